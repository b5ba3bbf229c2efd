"""Autoplay: every scenario walked 500 times with seeded random replies.

Replies are drawn from a pool of realistic lines (good, poor, off-topic, empty, very
long, other language; tests/data/autoplay_pool.yaml), from the scenario's own node
hints (model phrases) and from its walk-through plans (tests/plans/), so both good and
bad branches get walked. Asserts: no crash, no
dead end, every walk ends within a bounded number of turns, and every node is reached by
some walk. Prints node coverage per scenario (`pytest -s` to see it).
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
import yaml

from scoring.analyzer import analyze
from simulator.dialogue.engine import Engine, State
from simulator.dialogue.loader import LoadedScenario, iter_scenario_files, load_scenario

ROOT = Path(__file__).resolve().parents[2]
WALKS = 500
MAX_TURNS = 60
POOL = yaml.safe_load((ROOT / "tests" / "data" / "autoplay_pool.yaml").read_text(encoding="utf-8"))
FILES = iter_scenario_files([ROOT / "scenarios"])

_cached = functools.lru_cache(maxsize=None)(analyze)


def cached_analyzer(text, lang, context=None, *, call_date=None):  # type: ignore[no-untyped-def]
    return _cached(text, lang, context, call_date=call_date)


def reply_pool(loaded: LoadedScenario) -> tuple[list[str], dict[str, list[str]]]:
    lang = loaded.scenario.lang
    groups = POOL[lang]
    generic = [line for group in groups.values() for line in group]
    long_line = " ".join(groups["good"][:6]) * 3
    generic += ["", "   ", long_line]
    hints = {n.id: [n.hint] for n in loaded.scenario.nodes if n.hint}
    plan_file = ROOT / "tests" / "plans" / f"{loaded.scenario.id}.yaml"
    if plan_file.exists():  # the scenario's walk-through lines: skilled, clumsy, abusive
        plans = yaml.safe_load(plan_file.read_text(encoding="utf-8"))["plans"]
        generic += [reply for plan in plans for reply in plan["replies"]]
    return generic, hints


def walk(loaded: LoadedScenario, seed: int) -> tuple[list[str], str | None, int]:
    rng = random.Random(seed)
    generic, hints = reply_pool(loaded)
    all_hints = [h for hs in hints.values() for h in hs]
    engine = Engine(loaded, cached_analyzer, seed=seed)
    visited = [engine.start().node_id]
    turns = 0
    while engine.state is not State.FINISHED:
        turns += 1
        assert turns <= MAX_TURNS, (
            f"walk {seed} did not end within {MAX_TURNS} turns: {visited[-8:]}"
        )
        roll = rng.random()
        if roll < 0.45 and engine.node.id in hints:
            text = rng.choice(hints[engine.node.id])
        elif roll < 0.6 and all_hints:
            text = rng.choice(all_hints)
        else:
            text = rng.choice(generic)
        visited.append(engine.reply(text).debtor.node_id)
    return visited, engine.outcome, turns


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_autoplay_covers_every_node_and_always_ends(path: Path) -> None:
    loaded = load_scenario(path)
    seen: set[str] = set()
    outcomes: dict[str, int] = {}
    longest = 0
    for seed in range(WALKS):
        visited, outcome, turns = walk(loaded, seed)
        assert outcome is not None
        seen.update(visited)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        longest = max(longest, turns)
    nodes = [n.id for n in loaded.scenario.nodes]
    coverage = len(seen & set(nodes)) / len(nodes)
    print(
        f"\n{loaded.scenario.id}: node coverage {coverage:.0%} ({len(seen)}/{len(nodes)}), "
        f"longest walk {longest} turns, outcomes {dict(sorted(outcomes.items()))}"
    )
    missing = [n for n in nodes if n not in seen]
    assert not missing, f"never reached in {WALKS} walks: {missing}"
