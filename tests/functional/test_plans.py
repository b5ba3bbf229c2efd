"""Walk-through plans (tests/plans/<scenario-id>.yaml), run through the engine and the
scorer — Yarn Spinner's habit of pairing every script with a test plan.

A plan file::

    scenario: fr-oubli-changement-comptable
    plans:
      - name: appel maîtrisé
        kind: skilled            # skilled | clumsy | abusive (each scenario has all three)
        seed: 0
        replies: ["Bonjour Madame…", …]
        expect:
          path: [decroche, confirme, …]   # debtor nodes, opening included (optional)
          outcome: promise
          passed: true
          score: {min: 75, max: 100}
          breaches: [abusive_threat]       # codes that must be on the card
          weak: [desc, promise]            # criteria that must score below 50
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.analyzer import analyze
from scoring.score import score_transcript
from simulator.dialogue.engine import Engine, State
from simulator.dialogue.loader import iter_scenario_files, load_scenario
from simulator.dialogue.transcript import TranscriptBuilder

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "tests" / "plans"
SCENARIOS = {p.stem: p for p in iter_scenario_files([ROOT / "scenarios"])}


def _plan_cases() -> list[Any]:
    cases = []
    for path in sorted(PLANS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for plan in data["plans"]:
            cases.append(
                pytest.param(data["scenario"], plan, id=f"{data['scenario']}::{plan['name']}")
            )
    return cases


@functools.cache
def _loaded(scenario_id: str) -> Any:
    return load_scenario(SCENARIOS[scenario_id])


def play(scenario_id: str, plan: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    loaded = _loaded(scenario_id)
    engine = Engine(loaded, analyze, seed=int(plan.get("seed", 0)))
    builder = TranscriptBuilder(loaded, engine.seed, engine.call_date)
    path = [builder.add_debtor(engine.start())["node"]]
    for reply in plan["replies"]:
        assert engine.state is not State.FINISHED, (
            f"the call ended at {path[-1]} before the reply {reply!r}"
        )
        result = engine.reply(reply)
        builder.add_trainee(result.analysis, result.engine_ms)
        path.append(builder.add_debtor(result.debtor)["node"])
    finished = engine.outcome is not None
    if not finished:
        engine.abandon()
    return path, builder.to_json(engine.outcome, finished)


@pytest.mark.parametrize(("scenario_id", "plan"), _plan_cases())
def test_plan(scenario_id: str, plan: dict[str, Any]) -> None:
    assert scenario_id in SCENARIOS, f"no scenario {scenario_id}"
    path, transcript = play(scenario_id, plan)
    expect = plan["expect"]
    if "path" in expect:
        assert path == expect["path"]
    assert transcript["outcome"] == expect["outcome"], f"path was {path}"
    card = score_transcript(transcript)
    summary = f"score {card.overall:.1f}, breaches {card.breach_codes()}, " + ", ".join(
        f"{c.id}={c.score:.0f}" for c in card.criteria
    )
    if "passed" in expect:
        assert card.passed is expect["passed"], summary
    bounds = expect.get("score", {})
    assert bounds.get("min", 0) <= card.overall <= bounds.get("max", 100), summary
    for code in expect.get("breaches", []):
        assert code in card.breach_codes(), summary
    for criterion in expect.get("weak", []):
        found = card.criterion(criterion)
        assert found is not None and found.score < 50, summary


def test_every_scenario_has_the_three_kinds_of_plan() -> None:
    kinds: dict[str, set[str]] = {}
    for path in sorted(PLANS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds.setdefault(data["scenario"], set()).update(p["kind"] for p in data["plans"])
    missing = {
        sid: sorted({"skilled", "clumsy", "abusive"} - kinds.get(sid, set()))
        for sid in SCENARIOS
        if {"skilled", "clumsy", "abusive"} - kinds.get(sid, set())
    }
    assert not missing, f"scenarios missing plans: {missing}"
