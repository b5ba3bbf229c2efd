"""The dialogue engine as a state machine: branching, fallbacks, mood, determinism,
snapshots. A tiny keyword analyzer stands in for the real one (injected through the
engine's Analyzer protocol) so that these tests exercise the engine alone; the real
analyzer is exercised end to end in tests/functional/test_run.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scoring.types import Act, Analysis, Entity, Span
from simulator.dialogue.engine import Engine, State
from simulator.dialogue.loader import load_scenario
from simulator.errors import EngineStateError

MINI = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "mini.yaml"
KEYWORDS = {
    "bonjour": "greeting",
    "comprends": "empathy",
    "propose": "proposal",
    "idiot": "aggressive",
    "prison": "abusive_threat",
}


def keyword_analyzer(
    text: str, lang: str, context: str | None = None, *, call_date: dt.date | None = None
) -> Analysis:
    acts = []
    entities = []
    low = text.lower()
    for word, label in KEYWORDS.items():
        if word in low:
            start = low.index(word)
            acts.append(
                Act(label, Span(start, start + len(word), text[start : start + len(word)]), 1.0)
            )
    for token in low.replace("€", " ").split():
        if token.isdigit():
            start = low.index(token)
            entities.append(
                Entity("amount", float(token), Span(start, start + len(token), token), "EUR")
            )
        if token.startswith("2026-"):
            start = low.index(token)
            entities.append(Entity("date", token, Span(start, start + len(token), token)))
    return Analysis(text=text, lang="fr", acts=tuple(acts), entities=tuple(entities))


@pytest.fixture
def loaded():
    return load_scenario(MINI)


def play(loaded, replies, seed=0):
    engine = Engine(loaded, keyword_analyzer, seed=seed)
    turns = [engine.start()]
    for reply in replies:
        if engine.state is State.FINISHED:
            break
        turns.append(engine.reply(reply).debtor)
    return engine, turns


def test_branching_to_a_promise_within_margins(loaded) -> None:
    engine, turns = play(loaded, ["Bonjour Monsieur", "Je vous propose 600 € le 2026-12-05"])
    assert [t.node_id for t in turns] == ["accueil", "ecoute", "promesse"]
    assert engine.state is State.FINISHED and engine.outcome == "promise"
    assert turns[-1].finished and turns[-1].outcome == "promise"


def test_offer_below_margin_is_not_accepted(loaded) -> None:
    engine, turns = play(loaded, ["Bonjour", "Je vous propose 200 €"])
    assert turns[-1].node_id == "ecoute"
    assert engine.mood.anger == 4  # transition effect anger +1
    # raising the amount later puts an acceptable offer on the table
    result = engine.reply("je propose 700")
    assert result.debtor.node_id == "promesse"


def test_offer_after_latest_date_is_refused(loaded) -> None:
    _, turns = play(loaded, ["Bonjour", "Je vous propose 800 € le 2026-12-20"])
    assert turns[-1].node_id == "ecoute"


def test_reactions_move_mood_and_interrupts_fire(loaded) -> None:
    engine, _ = play(loaded, ["Bonjour", "vous êtes idiot"])
    assert engine.mood.anger == 7 and engine.mood.trust == 4  # 3+4; 5+1(greeting tr.)-2
    engine2, turns2 = play(loaded, ["Bonjour", "vous irez en prison"])
    assert turns2[-1].node_id == "escalade" and engine2.outcome == "escalation"


def test_fallback_reprompts_then_moves_after_n(loaded) -> None:
    engine, turns = play(loaded, ["...", "..."])
    assert turns[1].reprompt and turns[1].node_id == "accueil"
    assert turns[1].variant_id in {"r1", "r2"}
    assert turns[2].node_id == "rappel" and engine.outcome == "callback"


def test_patience_running_out_ends_the_call(loaded) -> None:
    engine, turns = play(loaded, ["Bonjour", "hm", "hm", "hm"])
    assert engine.outcome == "callback"
    assert turns[-1].node_id == "rappel"


def test_flags_and_reveal(loaded) -> None:
    engine, _ = play(loaded, ["Bonjour", "Je comprends"])
    assert engine.revealed


def test_same_seed_same_call_and_seeds_vary(loaded) -> None:
    replies = ["hm", "Bonjour", "hm", "je comprends", "hm", "je propose 600"]
    a = [(t.node_id, t.variant_id, t.text) for t in play(loaded, replies, seed=3)[1]]
    b = [(t.node_id, t.variant_id, t.text) for t in play(loaded, replies, seed=3)[1]]
    assert a == b
    openings = {play(loaded, [], seed=s)[1][0].variant_id for s in range(20)}
    assert len(openings) >= 2


def test_wrong_state_raises_clear_errors(loaded) -> None:
    engine = Engine(loaded, keyword_analyzer)
    with pytest.raises(EngineStateError, match="before start"):
        engine.reply("Bonjour")
    engine.start()
    with pytest.raises(EngineStateError, match="start\\(\\) called"):
        engine.start()
    engine.reply("vous irez en prison")
    with pytest.raises(EngineStateError, match="after the call has ended"):
        engine.reply("allô ?")


def test_snapshot_restore_continues_identically(loaded) -> None:
    replies = ["Bonjour", "hm", "je comprends", "je propose 300", "je propose 600"]
    full = [(t.node_id, t.variant_id) for t in play(loaded, replies, seed=9)[1]]

    engine = Engine(loaded, keyword_analyzer, seed=9)
    turns = [engine.start()]
    for reply in replies[:2]:
        turns.append(engine.reply(reply).debtor)
    saved = json.loads(json.dumps(engine.snapshot()))  # must survive JSON
    restored = Engine.restore(loaded, keyword_analyzer, saved)
    for reply in replies[2:]:
        turns.append(restored.reply(reply).debtor)
    assert [(t.node_id, t.variant_id) for t in turns] == full
    assert restored.snapshot()["version"] == 1


def test_restore_refuses_another_version_or_scenario(loaded, tmp_path: Path) -> None:
    engine = Engine(loaded, keyword_analyzer)
    engine.start()
    snap = engine.snapshot()
    with pytest.raises(EngineStateError, match="version"):
        Engine.restore(loaded, keyword_analyzer, {**snap, "version": 99})
    with pytest.raises(EngineStateError, match="changed"):
        Engine.restore(loaded, keyword_analyzer, {**snap, "content_hash": "sha256:0"})


def test_abandon_ends_the_call(loaded) -> None:
    engine = Engine(loaded, keyword_analyzer)
    engine.start()
    engine.abandon()
    assert engine.state is State.FINISHED and engine.outcome == "abandoned"


def test_only_what_follows_the_proposal_is_the_offer(loaded) -> None:
    # the refused date and the amount quoted as a fact come before the proposal
    _, turns = play(loaded, ["Bonjour", "Pas 100 le 2026-12-20 : je propose 600 le 2026-12-05"])
    assert turns[-1].node_id == "promesse"
