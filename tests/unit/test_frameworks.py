"""Each framework on small hand-made calls, asserting what a trainer would notice.

The calls under tests/data/calls carry explicit acts and entities, so nothing here
depends on the utterance analyzer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scoring.frameworks import balance, compliance, desc, facts, metrics, phases, promise, wording
from scoring.frameworks.base import CriterionResult, FrameworkResult
from scoring.rubric import default_rubric
from scoring.transcript import Transcript, parse_transcript

CALLS = Path(__file__).resolve().parents[1] / "data" / "calls"


def raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CALLS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def call(name: str) -> Transcript:
    return parse_transcript(raw(name))


def run(module: Any, transcript: Transcript) -> FrameworkResult:
    result: FrameworkResult = module.evaluate(transcript, default_rubric().section(module.NAME))
    return result


def crit(result: FrameworkResult, cid: str) -> CriterionResult:
    return next(c for c in result.criteria if c.id == cid)


def missing_keys(c: CriterionResult) -> list[str]:
    return [m.key for m in c.missing]


def test_every_criterion_loses_exactly_what_its_missing_items_say() -> None:
    for path in sorted(CALLS.glob("*.json")):
        t = parse_transcript(json.loads(path.read_text(encoding="utf-8")))
        for module in (phases, desc, balance, promise, facts, compliance, wording):
            for c in run(module, t).criteria:
                if c.applicable:
                    lost = sum(m.lost for m in c.missing)
                    assert c.score == pytest.approx(max(0.0, 1.0 - lost), abs=1e-5), (path, c.id)


# --------------------------------------------------------------------------- 4C


def test_phases_excellent_call_covers_the_four_phases_in_order() -> None:
    result = run(phases, call("excellent"))
    for cid in ("engage", "discover", "propose", "conclude"):
        assert crit(result, cid).score == 1.0, cid
    timeline = {p.phase: p.turns for p in result.phase_timeline}
    assert timeline["engage"][0] == 1
    assert timeline["conclude"] == (13,)


def test_phases_weak_call_skips_discovery_and_conclusion() -> None:
    result = run(phases, call("weak"))
    discover = crit(result, "discover")
    assert discover.score == 0.0
    assert {"open_question", "reformulation", "empathy"} <= set(missing_keys(discover))
    conclude = crit(result, "conclude")
    assert "conclude_last" in missing_keys(conclude)
    last = next(m for m in conclude.missing if m.key == "conclude_last")
    assert last.turn == 7


def test_phases_debt_before_engagement_is_out_of_order() -> None:
    data = raw("excellent")
    turn = data["turns"][1]
    turn["acts"] = [a for a in turn["acts"] if a["label"] == "greeting"]
    data["turns"][3]["acts"] = [a for a in data["turns"][3]["acts"] if a["label"] != "purpose"]
    engage = crit(run(phases, parse_transcript(data)), "engage")
    item = next(m for m in engage.missing if m.key == "engage_first")
    assert item.turn == 3


def test_phases_proposal_before_discovery() -> None:
    # decent_en: the first proposal (turn 7) comes after the open question (turn 5).
    assert "discover_first" not in missing_keys(crit(run(phases, call("decent_en")), "discover"))
    data = raw("decent_en")
    data["turns"][5]["acts"] = []
    discover = crit(run(phases, parse_transcript(data)), "discover")
    item = next(m for m in discover.missing if m.key == "discover_first")
    assert item.turn == 7


# --------------------------------------------------------------------------- DESC


def test_desc_timeline_of_the_excellent_call() -> None:
    result = run(desc, call("excellent"))
    (episode,) = result.desc_timeline
    assert episode.turn == 4
    assert episode.also == (8,)  # the renewed resistance joins the open episode
    assert {s.step: s.turn for s in episode.steps} == {"D": 7, "E": 7, "S": 9, "C": 9}
    assert episode.order_respected
    assert crit(result, "desc").score == 1.0


def test_desc_missing_steps_are_named_with_the_resistance_turn() -> None:
    c = crit(run(desc, call("decent_en")), "desc")
    assert sorted(missing_keys(c)) == ["C", "E"]
    assert all(m.turn == 4 for m in c.missing)
    assert c.score == pytest.approx(0.6)


def test_desc_order_not_respected() -> None:
    data = raw("excellent")
    # Consequences first, then the facts: C in turn 5, D/E in turn 7, S in turn 9.
    data["turns"][5]["acts"].append({"label": "consequence", "span": None, "confidence": 0.9})
    data["turns"][9]["acts"] = [a for a in data["turns"][9]["acts"] if a["label"] != "consequence"]
    result = run(desc, parse_transcript(data))
    (episode,) = result.desc_timeline
    assert not episode.order_respected
    assert "order" in missing_keys(crit(result, "desc"))


def test_desc_not_applicable_without_resistance() -> None:
    c = crit(run(desc, call("promise_no_date")), "desc")
    assert not c.applicable


def test_desc_cues_when_the_call_has_no_tags() -> None:
    data = raw("excellent")
    for turn in data["turns"]:
        turn.pop("tags", None)
    episodes = desc.timeline(parse_transcript(data))
    assert [e.turn for e in episodes] == [4]
    assert episodes[0].cue.lower().startswith("rappelez")
    en = raw("decent_en")
    for turn in en["turns"]:
        turn.pop("tags", None)
    assert [e.turn for e in desc.timeline(parse_transcript(en))] == [4]


# --------------------------------------------------------------------------- balance


def test_balance_excellent_call_listens_and_holds_firm() -> None:
    assert crit(run(balance, call("excellent")), "balance").score == 1.0


def test_balance_concessions_beyond_the_margins_cost() -> None:
    data = raw("excellent")
    text = "Je vous propose 200 € le 20 janvier et on annule les pénalités."
    data["turns"][9] = {
        "index": 9,
        "speaker": "trainee",
        "text": text,
        "acts": [{"label": "proposal", "span": None, "confidence": 0.9}],
        "entities": [
            {"kind": "amount", "value": 200, "span": "200 €", "currency": "EUR"},
            {"kind": "date", "value": "2027-01-20", "span": "20 janvier"},
            {"kind": "instalments", "value": 6, "span": "Je vous propose"},
        ],
    }
    c = crit(run(balance, parse_transcript(data)), "balance")
    keys = missing_keys(c)
    for key in (
        "concession_amount",
        "concession_date",
        "concession_penalties",
        "concession_instalments",
    ):
        assert key in keys, key
        assert next(m for m in c.missing if m.key == key).turn == 9
    date = next(m for m in c.missing if m.key == "concession_date")
    assert date.data == {"value": "2027-01-20", "limit": "2026-12-15"}


def test_balance_refusing_to_waive_is_not_a_concession() -> None:
    data = raw("excellent")
    data["turns"][9]["text"] += " Je ne peux pas annuler les pénalités."
    c = crit(run(balance, parse_transcript(data)), "balance")
    assert "concession_penalties" not in missing_keys(c)


def test_balance_waiving_allowed_by_the_brief() -> None:
    data = raw("excellent")
    data["turns"][9]["text"] += " Et j'annule les pénalités."
    assert "concession_penalties" in missing_keys(
        crit(run(balance, parse_transcript(data)), "balance")
    )
    data["brief"]["margins"]["waive_penalties"] = True
    assert "concession_penalties" not in missing_keys(
        crit(run(balance, parse_transcript(data)), "balance")
    )


# --------------------------------------------------------------------------- promise


def test_promise_complete_in_the_excellent_call() -> None:
    assert crit(run(promise, call("excellent")), "promise").score == 1.0


def test_promise_without_date_loses_on_date() -> None:
    c = crit(run(promise, call("promise_no_date")), "promise")
    assert missing_keys(c) == ["date"]
    assert c.missing[0].turn is None  # an absence over the call
    assert c.score < 0.9


def test_promise_reads_the_debtors_answer() -> None:
    data = raw("promise_no_date")
    # Without the trainee's summary entities, the debtor's own words still give the means.
    data["turns"][7]["entities"] = []
    c = crit(run(promise, parse_transcript(data)), "promise")
    assert "means" not in missing_keys(c)
    assert "amount" not in missing_keys(c)


def test_promise_outside_margins_and_bad_outcome() -> None:
    data = raw("excellent")
    summary = data["turns"][13]
    for e in summary["entities"]:
        if e["kind"] == "date":
            e["value"] = "2027-01-08"
    data["outcome"] = "refusal"
    c = crit(run(promise, parse_transcript(data)), "promise")
    within = next(m for m in c.missing if m.key == "within_margins")
    assert within.turn == 13 and within.data["item"] == "date"
    assert next(m for m in c.missing if m.key == "outcome").data == {"outcome": "refusal"}


def test_promise_imprecise_date_gets_half_credit() -> None:
    data = raw("excellent")
    for turn in data["turns"]:
        for e in turn.get("entities") or []:
            if e["kind"] == "date" and turn["index"] >= 9:
                e["value"] = "next week"
    c = crit(run(promise, parse_transcript(data)), "promise")
    item = next(m for m in c.missing if m.key == "date")
    assert item.turn == 13


# --------------------------------------------------------------------------- facts


def test_facts_wrong_amount_is_cited_as_a_breach() -> None:
    result = run(facts, call("wrong_amount"))
    (breach,) = result.breaches
    assert breach.code == "wrong_amount" and breach.blocking
    assert breach.turn == 3
    assert breach.quote == "1 850 €"
    assert breach.data["value"] == "1850" and breach.data["expected"] == "1650"
    c = crit(result, "facts")
    assert "accuracy" in missing_keys(c)
    wrong_invoice = next(m for m in c.missing if m.key == "wrong_invoice")
    assert wrong_invoice.quote == "F-2075" and wrong_invoice.turn == 3


def test_facts_accepts_totals_sums_partials_and_the_b2b_indemnity() -> None:
    t = call("wrong_amount")
    legit = facts.legit_amounts(t)
    for value in (1200, 450, 1650, 40, 80, 1690, 1730):
        assert any(abs(v - value) < 0.01 for v in legit), value
    assert call("excellent").total_outstanding == 1200
    # B2C: no 40 € indemnity
    assert 40 not in facts.legit_amounts(call("b2c_borrow"))


def test_facts_offer_above_what_is_due_is_wrong() -> None:
    data = raw("excellent")
    data["turns"][11]["entities"][1]["value"] = 2000
    result = run(facts, parse_transcript(data))
    assert [(b.code, b.turn) for b in result.breaches] == [("wrong_amount", 11)]


def test_facts_clean_call() -> None:
    result = run(facts, call("excellent"))
    assert result.breaches == ()
    assert crit(result, "facts").score == 1.0


def test_facts_wrong_past_date_is_cited() -> None:
    data = raw("excellent")
    data["turns"][3]["entities"][2]["value"] = "2026-10-05"
    c = crit(run(facts, parse_transcript(data)), "facts")
    item = next(m for m in c.missing if m.key == "wrong_date")
    assert item.turn == 3 and item.quote == "15 octobre"


# --------------------------------------------------------------------------- compliance


def breaches_of(name: str) -> list[tuple[str, int | None, bool]]:
    return [(b.code, b.turn, b.blocking) for b in run(compliance, call(name)).breaches]


def test_compliance_abusive_threat_and_aggressiveness() -> None:
    assert breaches_of("abusive") == [("aggressive", 5, False), ("abusive_threat", 7, True)]


def test_compliance_no_verification_cites_the_first_debt_turn() -> None:
    assert breaches_of("no_verification") == [("no_verification", 1, True)]


def test_compliance_gatekeeper_disclosure_b2c_but_not_b2b_staff() -> None:
    assert breaches_of("gatekeeper_disclosure") == [("third_party_disclosure", 3, True)]
    data = raw("gatekeeper_disclosure")
    data["segment"] = "b2b"
    data["account"]["segment"] = "b2b"
    assert compliance.detect(parse_transcript(data)) == ()  # staff are not third parties
    data["turns"][2]["tags"] = ["third_party"]
    assert [b.code for b in compliance.detect(parse_transcript(data))] == ["third_party_disclosure"]


def test_compliance_pressure_to_borrow_only_in_b2c() -> None:
    assert breaches_of("b2c_borrow") == [("pressure_to_borrow", 5, False)]
    (breach,) = run(compliance, call("b2c_borrow")).breaches
    assert "emprunter" in breach.quote
    data = raw("b2c_borrow")
    data["segment"] = "b2b"
    data["account"]["segment"] = "b2b"
    assert compliance.detect(parse_transcript(data)) == ()


def test_compliance_borrowing_disclaimer_is_not_pressure() -> None:
    data = raw("b2c_borrow")
    data["turns"][5]["text"] = (
        "Je comprends. Je ne vous demande pas d'emprunter, cherchons un échéancier."
    )
    data["turns"][5]["acts"] = [{"label": "empathy", "span": "Je comprends.", "confidence": 0.9}]
    assert compliance.detect(parse_transcript(data)) == ()


def test_compliance_no_identification() -> None:
    data = raw("excellent")
    data["turns"][1]["acts"] = [
        a for a in data["turns"][1]["acts"] if a["label"] != "identification"
    ]
    codes = [(b.code, b.turn) for b in compliance.detect(parse_transcript(data))]
    assert codes == [("no_identification", 1)]


def test_compliance_clean_calls() -> None:
    for name in ("excellent", "decent_en", "promise_no_date", "weak"):
        assert breaches_of(name) == [], name


# --------------------------------------------------------------------------- wording


def test_wording_avoid_flags_and_tutoiement() -> None:
    c = crit(run(wording, call("weak")), "wording")
    assert [m.data["key"] for m in c.missing] == [
        "il_faut_que_vous",
        "malheureusement",
        "vous_devez",
        "je_vais_essayer",
    ]
    assert c.score == pytest.approx(0.6)
    data = raw("excellent")
    data["turns"][5]["register"] = "tu"
    c = crit(run(wording, parse_transcript(data)), "wording")
    assert [(m.key, m.turn) for m in c.missing] == [("register", 5)]
    assert [e.label for e in c.evidence] == ["je_comprends", "je_vous_propose", "je_vous_confirme"]


def test_wording_cap_per_expression() -> None:
    data = raw("weak")
    flag = data["turns"][5]["wording"][0]
    data["turns"][5]["wording"] = [copy.deepcopy(flag) for _ in range(5)]
    c = crit(run(wording, parse_transcript(data)), "wording")
    assert sum(1 for m in c.missing if m.data["key"] == "malheureusement") == 2


# --------------------------------------------------------------------------- metrics


def test_metrics_of_the_excellent_call() -> None:
    m = metrics.compute(call("excellent"), {"max_talk_share": 0.6})
    assert m.turns == 15 and m.trainee_turns == 7 and m.debtor_turns == 8
    assert m.open_questions == 1 and m.closed_questions == 0
    assert m.questions == 3
    assert m.longest_monologue_turn == 9
    assert 0.5 < m.talk_share < 1.0
    assert m.notes == ("max_talk_share",)
    assert metrics.Metrics.from_json(m.to_json()) == m


def test_metrics_consecutive_trainee_turns_are_one_monologue() -> None:
    data = {
        "format": "relance/transcript@1",
        "turns": [
            {"speaker": "debtor", "text": "Allô"},
            {"speaker": "trainee", "text": "un deux trois", "acts": []},
            {"speaker": "trainee", "text": "quatre cinq", "acts": []},
        ],
    }
    m = metrics.compute(parse_transcript(data))
    assert (m.longest_monologue_words, m.longest_monologue_turn) == (5, 1)


def test_facts_amounts_and_references_the_card_itself_gives_are_not_wrong() -> None:
    data = raw("wrong_amount")
    data["account"]["notes"] = ["Promesse du 20 novembre : 1 850 € par virement, non tenue."]
    data["account"]["reminders"] = [
        {"date": "2026-11-02", "channel": "email", "content": "Relance, bon de commande 2075"}
    ]
    result = run(facts, parse_transcript(data))
    assert not result.breaches  # 1 850 € is the broken promise on file, not a wrong sum
    assert "wrong_invoice" not in missing_keys(crit(result, "facts"))
    assert 1850 in facts.card_text_amounts(parse_transcript(data))


def test_facts_an_amount_inside_a_reformulation_is_not_stated_as_the_debt() -> None:
    data = raw("excellent")
    text = "Si je comprends bien, votre client vous doit 38 000 €."
    start = text.index("38 000 €")
    data["turns"].append(
        {
            "speaker": "trainee",
            "text": text,
            "acts": [
                {"label": "reformulation", "span": {"start": 0, "end": len(text), "text": text}}
            ],
            "entities": [
                {
                    "kind": "amount",
                    "value": 38000,
                    "currency": "EUR",
                    "span": {"start": start, "end": start + 8, "text": "38 000 €"},
                }
            ],
        }
    )
    assert not run(facts, parse_transcript(data)).breaches
