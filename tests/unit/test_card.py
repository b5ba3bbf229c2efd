"""The score card: pass rule, JSON round trip, and the terminal rendering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import scoring.score as score_mod
from scoring.card import CardBreach, ScoreCard, passes
from scoring.render import render_card
from scoring.score import score_transcript

CALLS = Path(__file__).resolve().parents[1] / "data" / "calls"


@pytest.fixture(autouse=True)
def _no_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score_mod, "_load_analyzer", lambda: None)
    monkeypatch.setattr(score_mod, "_load_extractor", lambda: None)


def card_of(name: str) -> ScoreCard:
    data: dict[str, Any] = json.loads((CALLS / f"{name}.json").read_text(encoding="utf-8"))
    return score_transcript(data)


def test_pass_rule_of_acts_md() -> None:
    blocking = CardBreach("abusive_threat", True, 3, "…", "")
    minor = CardBreach("aggressive", False, 3, "…", "")
    assert passes(60, 60, ())
    assert not passes(59.9, 60, ())
    assert passes(75, 60, (minor,))
    assert not passes(95, 60, (blocking,))


@pytest.mark.parametrize("name", sorted(p.stem for p in CALLS.glob("*.json")))
def test_json_round_trip(name: str) -> None:
    card = card_of(name)
    assert ScoreCard.from_json(card.to_json()) == card
    assert ScoreCard.loads(card.dumps()) == card
    assert json.loads(card.dumps())["format"] == "relance/scorecard@1"


def test_from_json_refuses_other_documents() -> None:
    with pytest.raises(ValueError, match="not a score card"):
        ScoreCard.from_json({"format": "relance/transcript@1"})


def test_card_structure() -> None:
    card = card_of("abusive")
    assert card.breaches[0].blocking  # breaches first, blocking ones first
    assert [c.id for c in card.criteria][:4] == ["engage", "discover", "propose", "conclude"]
    assert sum(c.weight for c in card.criteria) == pytest.approx(1.0, abs=1e-3)
    desc = card.criterion("desc")
    assert desc is not None and desc.grade == "weak"
    assert [e.turn for e in card.desc_timeline] == [4]
    assert {p.phase for p in card.phase_timeline} == {"engage", "discover", "propose", "conclude"}
    assert card.metrics.turns == 9


def test_render_french_failure_shows_the_breach_first() -> None:
    text = render_card(card_of("abusive"), "fr")
    assert "ÉCHEC" in text
    breaches = text.index("Manquements")
    criteria = text.index("Critères")
    assert breaches < text.index("Menace abusive (bloquant)") < criteria
    assert "tour 7 «Si vous ne payez pas, vous irez en prison" in text
    assert "→ Conseil : " in text


def test_render_excellent_call_with_quotes_and_turns() -> None:
    text = render_card(card_of("excellent"), "fr")
    assert "RÉUSSI" in text and "Aucun manquement." in text
    assert "«Je suis bien en ligne avec Monsieur Lefort, le gérant ?» (tour 1)" in text
    assert "D tour 7 · E tour 7 · S tour 9 · C tour 9 — ordre respecté" in text


def test_render_in_english_and_missing_items() -> None:
    card = card_of("promise_no_date")
    text = render_card(card, "en")
    assert "PASS" in text and "Payment promise" in text
    assert "– payment date" in text
    french = render_card(card, "fr")
    assert "– date de paiement" in french
    assert "DESC face aux objections — sans objet" in french


def test_render_wrong_amount_and_margins() -> None:
    text = render_card(card_of("wrong_amount"), "fr")
    assert "Montant erroné (bloquant) — tour 3 «1 850 €»" in text
    assert "montant erroné : 1850 (attendu 1650)" in text
    assert "numéro de facture erroné : F-2075" in text
