"""score_transcript end to end on the hand-made calls: what a trainer would notice."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scoring.score as score_mod
from scoring.card import ScoreCard
from scoring.labels import LABELS
from scoring.rubric import parse_rubric
from scoring.score import ScoringError, score_transcript
from scoring.transcript import parse_transcript
from scoring.types import Act, Analysis, Entity, Span

CALLS = Path(__file__).resolve().parents[1] / "data" / "calls"


@pytest.fixture(autouse=True)
def _no_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests must not depend on the analyzer: every trainee turn carries its acts."""
    monkeypatch.setattr(score_mod, "_load_analyzer", lambda: None)
    monkeypatch.setattr(score_mod, "_load_extractor", lambda: None)


def raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CALLS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def card_of(name: str) -> ScoreCard:
    return score_transcript(raw(name))


def test_excellent_call_passes_high() -> None:
    card = card_of("excellent")
    assert card.passed and card.overall >= 80
    assert card.breaches == ()
    assert card.rubric_id == "relance-default" and card.rubric_hash.startswith("sha256:")
    assert card.scenario_id == "test-excellent" and card.call_date == "2026-11-25"


def test_decent_call_passes_with_advice() -> None:
    card = card_of("decent_en")
    assert card.passed and 60 <= card.overall < 90
    conclude = card.criterion("conclude")
    assert conclude is not None and "writing" in conclude.advice  # advice in the call's language
    desc = card.criterion("desc")
    assert desc is not None and desc.advice.startswith("Express the impact")


def test_weak_call_fails_without_breach() -> None:
    card = card_of("weak")
    assert not card.passed and card.overall < 60
    assert card.breaches == ()


def test_abusive_call_fails_with_the_threat_cited_at_its_turn() -> None:
    card = card_of("abusive")
    assert not card.passed
    first = card.breaches[0]
    assert (first.code, first.turn, first.blocking) == ("abusive_threat", 7, True)
    assert "prison" in first.quote and first.advice
    aggressive = next(b for b in card.breaches if b.code == "aggressive")
    assert not aggressive.blocking and aggressive.turn == 5 and aggressive.penalty > 0
    compliance = card.criterion("compliance")
    assert compliance is not None and compliance.score == 0
    assert ("abusive_threat", 7) in [(m.key, m.turn) for m in compliance.missing]
    # the breach does not erase the rest: the good opening still counts
    engage = card.criterion("engage")
    assert engage is not None and engage.score == 100


def test_blocking_breach_fails_a_call_whose_score_would_pass() -> None:
    data = raw("excellent")
    data["turns"][9]["acts"].append({"label": "abusive_threat", "span": None, "confidence": 0.9})
    card = score_transcript(data)
    assert card.overall >= 60 and not card.passed
    assert card.breaches[0].code == "abusive_threat" and card.breaches[0].turn == 9


def test_promise_without_date_loses_on_date() -> None:
    card = card_of("promise_no_date")
    promise = card.criterion("promise")
    assert promise is not None and promise.score < 100
    assert [m.key for m in promise.missing] == ["date"]
    assert "date" in promise.advice


def test_wrong_amount_call_cites_the_amount() -> None:
    card = card_of("wrong_amount")
    assert not card.passed
    (breach,) = card.breaches
    assert breach.code == "wrong_amount" and breach.turn == 3 and "1 850" in breach.quote
    assert breach.criterion == "facts"


def test_no_verification_and_gatekeeper_and_borrowing() -> None:
    card = card_of("no_verification")
    assert not card.passed and card.breach_codes() == ("no_verification",)
    card = card_of("gatekeeper_disclosure")
    assert not card.passed and card.breach_codes() == ("third_party_disclosure",)
    assert card.breaches[0].turn == 3
    card = card_of("b2c_borrow")
    assert card.breach_codes() == ("pressure_to_borrow",)
    assert not card.breaches[0].blocking
    assert card.penalties == 5


def test_every_point_lost_is_traceable() -> None:
    """Each criterion's score is 100 minus its missing items; each breach has a turn."""
    for path in sorted(CALLS.glob("*.json")):
        card = score_transcript(json.loads(path.read_text(encoding="utf-8")))
        for c in card.criteria:
            if c.applicable:
                lost = sum(m.lost for m in c.missing) * 100
                assert c.score == pytest.approx(max(0.0, 100 - lost), abs=0.11), (path.name, c.id)
            for m in c.missing:
                assert m.turn is None or 0 <= m.turn < card.metrics.turns
        for b in card.breaches:
            assert b.turn is not None


def test_scenario_fills_account_brief_and_node_tags() -> None:
    data = raw("excellent")
    account, brief = data.pop("account"), data.pop("brief")
    data.pop("segment")
    for turn in data["turns"]:
        turn.pop("tags", None)
    bare = score_transcript(data)
    facts = bare.criterion("facts")
    assert facts is not None and not facts.applicable  # no account card: nothing to check
    node_tags = {"report": ["resistance"], "pas_tout": ["resistance"]}
    full = score_transcript(
        data,
        scenario={"account": account, "brief": brief, "segment": "b2b", "node_tags": node_tags},
    )
    assert full.criterion("facts") is not None
    assert [e.turn for e in full.desc_timeline] == [4]
    assert full.to_json() == score_transcript(raw("excellent")).to_json()


def test_custom_rubric_changes_the_pass_mark() -> None:
    data = yaml.safe_load(
        resources.files("scoring").joinpath("rubrics/default.yaml").read_text(encoding="utf-8")
    )
    data["pass_mark"] = 85
    strict = parse_rubric(data, source="strict.yaml")
    card = score_transcript(raw("decent_en"), rubric=strict)
    assert not card.passed and card.pass_mark == 85 and card.rubric_hash == strict.hash


# --------------------------------------------------------------------------- analyzer


def test_unanalysed_turns_need_the_analyzer() -> None:
    data = raw("excellent")
    del data["turns"][1]["acts"]
    with pytest.raises(ScoringError, match="turn 1 has no acts"):
        score_transcript(data)


def test_unanalysed_turns_are_analysed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str, str | None, dt.date | None]] = []

    def fake(text: str, lang: str, context: str | None, **kw: Any) -> Analysis:
        calls.append((text, lang, context, kw.get("call_date")))
        acts = (Act("greeting", Span(0, 7, text[:7]), 0.9),) if text.startswith("Bonjour") else ()
        entities = (Entity("date", "2026-11-27", Span(0, 3, text[:3])),) if "Oui" in text else ()
        return Analysis(text=text, lang="fr", acts=acts, entities=entities)

    monkeypatch.setattr(score_mod, "_load_analyzer", lambda: fake)
    data = raw("excellent")
    del data["turns"][1]["acts"]
    card = score_transcript(data)
    assert calls[0] == (
        data["turns"][1]["text"],
        "fr",
        data["turns"][0]["text"],
        dt.date(2026, 11, 25),
    )
    # the debtor's answers to a proposal or a commitment request are read for terms
    assert [c[0] for c in calls[1:]] == [data["turns"][10]["text"], data["turns"][12]["text"]]
    engage = card.criterion("engage")
    assert engage is not None and "identification" in [m.key for m in engage.missing]
    assert card.breach_codes() == ("no_identification", "no_verification")


# --------------------------------------------------------------------------- determinism

_TEXTS = (
    "Bonjour Monsieur, je vous appelle au sujet de la facture.",
    "Je vous propose 400 € vendredi par virement ?",
    "Je récapitule, merci et bonne journée.",
    "Vous devez payer.",
    "",
)


@st.composite
def transcripts(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(min_value=0, max_value=14))
    turns: list[dict[str, Any]] = []
    for i in range(n):
        text = draw(st.sampled_from(_TEXTS))
        if draw(st.booleans()):
            tags = draw(
                st.lists(st.sampled_from(["resistance", "gatekeeper", "third_party"]), max_size=2)
            )
            turns.append({"index": i, "speaker": "debtor", "text": text, "tags": tags})
            continue
        labels = draw(st.lists(st.sampled_from(LABELS), max_size=4, unique=True))
        entities = draw(
            st.lists(
                st.one_of(
                    st.builds(
                        lambda v: {"kind": "amount", "value": v},
                        st.sampled_from([40, 400, 1200, 1850]),
                    ),
                    st.builds(
                        lambda v: {"kind": "date", "value": v},
                        st.sampled_from(["2026-11-27", "2027-02-01", "soon"]),
                    ),
                    st.builds(
                        lambda v: {"kind": "means", "value": v}, st.sampled_from(["transfer", "x"])
                    ),
                    st.builds(lambda v: {"kind": "instalments", "value": v}, st.integers(1, 8)),
                    st.builds(
                        lambda v: {"kind": "invoice", "value": v},
                        st.sampled_from(["F-2041", "F-9"]),
                    ),
                ),
                max_size=3,
            )
        )
        wording = draw(
            st.lists(
                st.builds(
                    lambda k, p: {"key": k, "polarity": p},
                    st.sampled_from(["vous_devez", "je_comprends"]),
                    st.sampled_from(["avoid", "prefer"]),
                ),
                max_size=2,
            )
        )
        turns.append(
            {
                "index": i,
                "speaker": "trainee",
                "text": text,
                "acts": labels,
                "entities": entities,
                "wording": wording,
                "register": draw(st.sampled_from(["vous", "tu", "unknown"])),
            }
        )
    base = raw(draw(st.sampled_from(["excellent", "b2c_borrow"])))
    base["turns"] = turns
    base["outcome"] = draw(st.sampled_from([None, "promise", "refusal", "abandoned"]))
    return base


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts())
def test_scoring_is_deterministic_and_bounded(data: dict[str, Any]) -> None:
    first = score_transcript(data)
    second = score_transcript(json.loads(json.dumps(data)))
    assert first == second
    assert first.to_json() == second.to_json()
    assert ScoreCard.from_json(first.to_json()) == first
    assert 0 <= first.overall <= 100
    for c in first.criteria:
        assert 0 <= c.score <= 100
    if first.passed:
        assert not first.blocking_breaches and first.overall >= first.pass_mark


def test_parsed_and_raw_transcripts_score_the_same() -> None:
    data = raw("wrong_amount")
    assert score_transcript(parse_transcript(data)) == score_transcript(data)
