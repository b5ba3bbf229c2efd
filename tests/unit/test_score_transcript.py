"""Reading transcripts: typed turns, lenient hand-typed forms, errors with the JSON line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.transcript import (
    TranscriptParseError,
    load_transcript,
    locate_line,
    parse_transcript,
    transcript_from_text,
    with_context,
)

CALLS = Path(__file__).resolve().parents[1] / "data" / "calls"


def test_every_test_call_parses_and_round_trips() -> None:
    for path in sorted(CALLS.glob("*.json")):
        t = load_transcript(path)
        assert t.source == str(path)
        assert t.turns and all(turn.index == i for i, turn in enumerate(t.turns))
        again = parse_transcript(t.to_json())
        assert again.turns == t.turns and again.invoices == t.invoices


def test_typed_fields() -> None:
    t = load_transcript(CALLS / "excellent.json")
    assert t.lang == "fr" and t.segment == "b2b" and str(t.call_date) == "2026-11-25"
    assert t.outcome == "promise" and t.finished is True and t.seed == 7
    assert t.total_outstanding == 1200
    assert t.margins is not None and t.margins.max_instalments == 3
    assert str(t.margins.latest_date) == "2026-12-15"
    first = t.turns[1]
    assert first.is_trainee and first.labels == {
        "greeting",
        "identification",
        "verify_interlocutor",
    }
    assert first.act("greeting") is not None
    debtor = t.turns[4]
    assert debtor.tags == ("resistance",) and debtor.node == "report"
    assert debtor.mood is not None and debtor.acts is None and debtor.entities is None


def test_hand_typed_shorthand() -> None:
    t = parse_transcript(
        {
            "format": "relance/transcript@1",
            "node_tags": {"n1": ["resistance"]},
            "turns": [
                {"speaker": "debtor", "text": "Je ne paierai pas.", "node": "n1"},
                {
                    "speaker": "trainee",
                    "text": "La facture F-2041 de 1 200 € est échue.",
                    "acts": ["fact_reminder", {"label": "purpose", "span": "La facture F-2041"}],
                    "entities": [{"kind": "amount", "value": 1200, "span": "1 200 €"}],
                },
                {"speaker": "trainee", "text": "Sans acts : à analyser."},
            ],
        }
    )
    assert t.lang == "fr" and t.call_date is None and t.segment is None
    assert t.turns[0].tags == ("resistance",)  # filled from node_tags
    trainee = t.turns[1]
    assert trainee.acts is not None and trainee.acts[0].span.text == trainee.text
    assert trainee.acts[1].span.start == 0 and trainee.acts[1].span.end == len("La facture F-2041")
    assert trainee.entities_of("amount")[0].span.text == "1 200 €"
    assert t.turns[2].acts is None  # left for the analyzer


def test_with_context_keeps_what_the_transcript_has() -> None:
    t = parse_transcript({"format": "relance/transcript@1", "segment": "b2c", "turns": []})
    filled = with_context(
        t,
        account={"segment": "b2b", "invoices": [{"number": "A1", "amount": 10}]},
        brief={"margins": {"min_first_payment": 5}},
        segment="b2b",
    )
    assert filled.segment == "b2c"
    assert filled.total_outstanding == 10
    assert filled.margins is not None and filled.margins.min_first_payment == 5


def test_json_syntax_error_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "call.json"
    path.write_text(
        '{\n  "format": "relance/transcript@1",\n  "turns": [\n    {"speaker": }\n  ]\n}\n'
    )
    with pytest.raises(TranscriptParseError) as err:
        load_transcript(path)
    assert err.value.line == 4
    assert str(err.value).startswith(f"{path}:4: invalid JSON")


def test_bad_speaker_reports_the_line_of_that_turn(tmp_path: Path) -> None:
    data = json.loads((CALLS / "excellent.json").read_text(encoding="utf-8"))
    data["turns"][5]["speaker"] = "coach"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    path = tmp_path / "call.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TranscriptParseError) as err:
        load_transcript(path)
    expected = next(i for i, line in enumerate(text.splitlines(), 1) if '"coach"' in line)
    assert err.value.line == expected
    assert "turn 5: speaker must be 'trainee' or 'debtor', got 'coach'" in str(err.value)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(format="relance/transcript@2"), "format must be"),
        (lambda d: d.update(lang="de"), "lang must be"),
        (lambda d: d.update(turns={}), "turns must be a list"),
        (lambda d: d["turns"][1].update(text=3), "turn 1: text must be a string"),
        (lambda d: d["turns"][1].update(index=4), "turn 1: index is 4"),
        (lambda d: d["turns"][1]["acts"].append("charm"), "turn 1: unknown act label 'charm'"),
        (lambda d: d["turns"][3]["entities"][0].update(kind="iban"), "unknown entity kind"),
        (
            lambda d: d["turns"][3]["entities"][1].update(value="lots"),
            "amount value must be a number",
        ),
        (
            lambda d: d["turns"][1]["acts"].append({"label": "greeting", "span": "absent"}),
            "not in the turn",
        ),
        (lambda d: d.update(outcome="victory"), "unknown outcome"),
        (lambda d: d.update(call_date="25/11/2026"), "expected an ISO date"),
        (lambda d: d["account"]["invoices"][0].update(amount="1200"), "amount must be a number"),
        (lambda d: d["brief"]["margins"].update(max_instalments=2.5), "max_instalments"),
    ],
)
def test_structural_errors(edit: object, message: str) -> None:
    data = json.loads((CALLS / "excellent.json").read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    with pytest.raises(TranscriptParseError, match=message):
        parse_transcript(data)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    with pytest.raises(TranscriptParseError) as err:
        transcript_from_text(text, source="x.json")
    assert err.value.line is not None and str(err.value).startswith("x.json:")


def test_locate_line_falls_back_to_the_parent() -> None:
    text = '{\n "turns": [\n  {"speaker": "debtor"},\n  {\n   "text": "x"\n  }\n ]\n}'
    assert locate_line(text, ("turns", 1, "speaker")) == 4
    assert locate_line(text, ("turns", 1, "text")) == 5
    assert locate_line(text, ("nothing",)) == 1


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(TranscriptParseError, match="cannot read"):
        load_transcript(tmp_path / "absent.json")
    with pytest.raises(TranscriptParseError, match="must be a JSON object"):
        transcript_from_text("[]")
