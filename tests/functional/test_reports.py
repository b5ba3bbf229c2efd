"""Session reports end to end: sessions recorded in a real SQLite store, scored with the
real scorer, overridden and sealed, then rendered through ``relance report`` / ``relance
export`` as HTML, PDF, CSV, JSON and xAPI, and each output checked the way its reader
would: an HTML parser, pdftotext, the csv module, a JSON round trip, an xAPI validator.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import sqlite3
import subprocess
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from scoring.card import ScoreCard
from scoring.score import score_transcript
from simulator.cli import main
from simulator.reports.model import SessionReport, overall_with
from simulator.sessions import session_transcript
from simulator.store import SqliteStore, TurnRecord, open_store

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
SIGNED = dt.datetime(2026, 11, 25, 11, 30, tzinfo=dt.UTC)
TRAINEE = "Zoé Lefèvre-Łukasik"
ASSESSOR = "Jean Dupuis"
SCENARIO_ID = "oubli-changement-comptable"
SCENARIO_TITLE = "Oubli après changement de comptable"
JUSTIFICATION = (
    "Écoute réelle : la question « et de votre côté ? » vaut <b>reformulation</b> & plus"
)

ACCOUNT: dict[str, Any] = {
    "creditor": {"name": "Dupont Fournitures", "kind": "company"},
    "debtor": {"name": "Garage Lefort", "kind": "company"},
    "contact": {"name": "Jean Lefort", "role": "gérant"},
    "segment": "b2b",
    "invoices": [
        {
            "number": "F-2041",
            "amount": 1200.0,
            "currency": "EUR",
            "issued": "2026-09-15",
            "due": "2026-10-15",
            "status": "overdue",
            "paid": 0.0,
        }
    ],
    "payment_terms": "30 jours date de facture ; pénalités de retard ; indemnité forfaitaire de 40 €",
    "reminders": [{"date": "2026-10-20", "channel": "email", "content": "Relance n°1"}],
    "notes": [],
}
BRIEF: dict[str, Any] = {
    "objective": "Obtenir une promesse de paiement datée des 1 200 €.",
    "margins": {
        "min_first_payment": 400,
        "max_instalments": 3,
        "latest_date": "2026-12-15",
        "waive_penalties": False,
        "waive_indemnity": False,
    },
    "allowed_offers": [],
}

Line = tuple[str, str, list[tuple[str, str]], dict[str, Any]]


def debtor(text: str, node: str, *tags: str, anger: int = 3) -> Line:
    return (
        "debtor",
        text,
        [],
        {
            "node": node,
            "variant": "a",
            "tags": list(tags),
            "mood": {"anger": anger, "trust": 5, "patience": 6},
        },
    )


def trainee(text: str, *acts: tuple[str, str], **extra: Any) -> Line:
    return ("trainee", text, list(acts), {"register": "vous", "engine_ms": 0.2, **extra})


#: A good call: engage, discover, DESC on the stall, a dated promise, a recap.
GOOD_CALL: list[Line] = [
    debtor("Allô, Garage Lefort, j'écoute ?", "decroche"),
    trainee(
        "Bonjour, Claire Martin, du service recouvrement de Dupont Fournitures. "
        "Je suis bien en ligne avec Monsieur Lefort, le gérant ?",
        ("greeting", "Bonjour"),
        ("identification", "Claire Martin, du service recouvrement de Dupont Fournitures"),
        ("verify_interlocutor", "Je suis bien en ligne avec Monsieur Lefort, le gérant ?"),
    ),
    debtor("Oui, c'est moi.", "identite"),
    trainee(
        "Je vous appelle au sujet de la facture F-2041 de 1 200 €, échue le 15 octobre ; "
        "nous vous avons écrit le 20 octobre, sans réponse.",
        ("purpose", "Je vous appelle au sujet de la facture F-2041"),
        (
            "fact_reminder",
            "Je vous appelle au sujet de la facture F-2041 de 1 200 €, échue le "
            "15 octobre ; nous vous avons écrit le 20 octobre, sans réponse.",
        ),
        entities=[
            {"kind": "invoice", "value": "F-2041"},
            {"kind": "amount", "value": 1200.0, "currency": "EUR"},
        ],
    ),
    debtor(
        "Ah… Écoutez, en ce moment ce n'est vraiment pas possible, rappelez-moi le mois prochain.",
        "report",
        "resistance",
    ),
    trainee(
        "Je comprends que la période soit chargée. Qu'est-ce qui explique ce retard de votre côté ?",
        ("empathy", "Je comprends que la période soit chargée."),
        ("open_question", "Qu'est-ce qui explique ce retard de votre côté ?"),
    ),
    debtor("On a changé de comptable, tout a pris du retard.", "raison"),
    trainee(
        "Si je comprends bien, le changement de comptable a bloqué vos règlements. La facture de "
        "1 200 € est échue depuis plus d'un mois, et ce retard pèse sur notre trésorerie.",
        (
            "reformulation",
            "Si je comprends bien, le changement de comptable a bloqué vos règlements.",
        ),
        ("fact_reminder", "La facture de 1 200 € est échue depuis plus d'un mois"),
        ("impact", "ce retard pèse sur notre trésorerie"),
        entities=[{"kind": "amount", "value": 1200.0, "currency": "EUR"}],
    ),
    debtor("Je ne peux pas tout payer d'un coup.", "pas_tout", "resistance"),
    trainee(
        "Je vous propose 400 € par virement vendredi 27 novembre, puis le solde en deux "
        "versements de 400 € en décembre et en janvier. Sans accord aujourd'hui, le dossier "
        "partira au service contentieux.",
        (
            "proposal",
            "Je vous propose 400 € par virement vendredi 27 novembre, puis le solde en "
            "deux versements de 400 € en décembre et en janvier.",
        ),
        ("consequence", "Sans accord aujourd'hui, le dossier partira au service contentieux."),
        entities=[
            {"kind": "amount", "value": 400.0, "currency": "EUR"},
            {"kind": "means", "value": "transfer"},
            {"kind": "date", "value": "2026-11-27"},
        ],
    ),
    debtor("D'accord, 400 € vendredi par virement, ça je peux.", "accord"),
    trainee(
        "Je peux donc compter sur votre virement de 400 € ce vendredi 27 ?",
        ("commitment_request", "Je peux donc compter sur votre virement de 400 € ce vendredi 27 ?"),
        entities=[
            {"kind": "means", "value": "transfer"},
            {"kind": "amount", "value": 400.0, "currency": "EUR"},
            {"kind": "date", "value": "2026-11-27"},
        ],
    ),
    debtor("Oui, c'est noté.", "engagement"),
    trainee(
        "Je récapitule : virement de 400 € vendredi 27 novembre, puis 400 € le 15 décembre et "
        "400 € le 15 janvier. Je vous confirme cela par mail. Merci, bonne journée Monsieur Lefort.",
        (
            "summary",
            "Je récapitule : virement de 400 € vendredi 27 novembre, puis 400 € le "
            "15 décembre et 400 € le 15 janvier.",
        ),
        ("written_confirmation", "Je vous confirme cela par mail."),
        ("closing", "Merci, bonne journée Monsieur Lefort."),
        entities=[
            {"kind": "means", "value": "transfer"},
            {"kind": "amount", "value": 400.0, "currency": "EUR"},
            {"kind": "date", "value": "2026-11-27"},
        ],
    ),
    debtor("Au revoir.", "fin_promesse"),
]

#: A failed call: an aggressive line and an abusive threat (a blocking breach).
THREAT_CALL: list[Line] = [
    debtor("Garage Lefort, j'écoute.", "decroche"),
    trainee(
        "Bonjour Monsieur, Claire Martin de Dupont Fournitures. "
        "C'est bien vous qui gérez les règlements ?",
        ("greeting", "Bonjour Monsieur"),
        ("identification", "Claire Martin de Dupont Fournitures"),
        ("verify_interlocutor", "C'est bien vous qui gérez les règlements ?"),
    ),
    debtor("Oui, c'est moi.", "identite"),
    trainee(
        "Je vous appelle au sujet de la facture F-2041 de 1 200 €, échue le 15 octobre.",
        ("purpose", "Je vous appelle au sujet de la facture F-2041"),
        (
            "fact_reminder",
            "Je vous appelle au sujet de la facture F-2041 de 1 200 €, échue le 15 octobre.",
        ),
        entities=[
            {"kind": "invoice", "value": "F-2041"},
            {"kind": "amount", "value": 1200.0, "currency": "EUR"},
        ],
    ),
    debtor("Je ne paierai pas, votre matériel était défectueux.", "refus", "resistance", anger=5),
    trainee(
        "Vous vous moquez de moi ? Personne ne nous a jamais signalé de défaut.",
        ("aggressive", "Vous vous moquez de moi ?"),
    ),
    debtor("Je vous dis que je ne paierai pas.", "refus2", "resistance", anger=7),
    trainee(
        "Si vous ne payez pas, vous irez en prison, et je vais prévenir votre banque.",
        (
            "abusive_threat",
            "Si vous ne payez pas, vous irez en prison, et je vais prévenir votre banque.",
        ),
    ),
    debtor("C'est ça, au revoir.", "fin_raccroche", anger=9),
]
THREAT_QUOTE = "Si vous ne payez pas, vous irez en prison"


def _turn(index: int, line: Line) -> TurnRecord:
    speaker, text, acts, extra = line
    if speaker == "debtor":
        return TurnRecord(index, "debtor", text, at_ms=index * 9000, **extra)
    found = []
    for label, fragment in acts:
        start = text.index(fragment)
        found.append(
            {
                "label": label,
                "confidence": 0.9,
                "span": {"start": start, "end": start + len(fragment), "text": fragment},
            }
        )
    fields = {k: v for k, v in extra.items() if k != "entities"}
    return TurnRecord(
        index,
        "trainee",
        text,
        acts=found,
        entities=extra.get("entities", []),
        wording=[],
        at_ms=index * 9000,
        **fields,
    )


def record_call(
    store: SqliteStore,
    lines: list[Line],
    outcome: str,
    *,
    mode: str = "practice",
    trainee_name: str = TRAINEE,
    assessor: str | None = None,
    scenario_id: str = SCENARIO_ID,
    started: dt.datetime = T0,
    lang: str = "fr",
) -> str:
    """Record, score and close a call the way CallSession does; return its id."""
    session = store.create_session(
        trainee=trainee_name,
        mode=mode,  # type: ignore[arg-type]
        assessor=assessor,
        scenario_id=scenario_id,
        scenario_title=SCENARIO_TITLE,
        scenario_hash="sha256:" + "ab" * 32,
        lang=lang,
        seed=7,
        call_date=started.date(),
        rubric_id="relance-default",
        rubric_version="1.0.0",
        rubric_hash="sha256:" + "cd" * 32,
        started_at=started,
        snapshot={"node": "decroche"},
    )
    for index, line in enumerate(lines):
        store.append_turn(session.id, _turn(index, line), {"node": line[3].get("node")})
    transcript = {**session_transcript(store.get(session.id)), "outcome": outcome, "finished": True}
    card = score_transcript(
        transcript, scenario={"account": ACCOUNT, "brief": BRIEF, "segment": "b2b"}
    )
    store.finish_session(
        session.id,
        outcome,
        card.to_json(),
        started + dt.timedelta(minutes=6, seconds=12, milliseconds=500),
        score=card.overall,
    )
    return session.id


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The default store of ``relance`` (what the commands open), on tmp_path."""
    monkeypatch.setenv("RELANCE_HOME", str(tmp_path / "home"))
    with open_store() as opened:
        assert isinstance(opened, SqliteStore)
        assert Path(opened.location).is_relative_to(tmp_path)
        yield opened


@pytest.fixture
def sessions(store: SqliteStore) -> dict[str, str]:
    """A practice call (passed), an assessed threat call (overridden, sealed), a call of
    another trainee, and one still in progress (no card)."""
    good = record_call(store, GOOD_CALL, "promise")
    threat = record_call(
        store,
        THREAT_CALL,
        "hang_up",
        mode="assessment",
        assessor=ASSESSOR,
        started=T0 + dt.timedelta(days=1),
    )
    store.add_override(
        threat,
        "discover",
        40,
        JUSTIFICATION,
        ASSESSOR,
        created_at=T0 + dt.timedelta(days=1, hours=1),
    )
    store.add_override(
        threat,
        "discover",
        35,
        "Relu : 35 suffit",
        ASSESSOR,
        created_at=T0 + dt.timedelta(days=1, hours=1, minutes=5),
    )
    store.seal(threat, ASSESSOR, SIGNED + dt.timedelta(days=1))
    other = record_call(
        store,
        GOOD_CALL,
        "promise",
        trainee_name="Marc Petit",
        scenario_id="autre-scenario",
        started=T0 + dt.timedelta(days=2),
        lang="fr",
    )
    pending = store.create_session(
        trainee=TRAINEE,
        mode="practice",
        scenario_id=SCENARIO_ID,
        scenario_title=SCENARIO_TITLE,
        scenario_hash="sha256:x",
        lang="fr",
        seed=1,
        call_date=T0.date(),
        started_at=T0 + dt.timedelta(days=3),
    )
    store.append_turn(pending.id, _turn(0, GOOD_CALL[0]))
    return {"good": good, "threat": threat, "other": other, "pending": pending.id}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- HTML -------------------------------------------------------------------------------


class Page(HTMLParser):
    """Collects what the tests look at: tags, ids, links, text, and where text sits."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.header_text: list[str] = []
        self._in_header = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "header":
            self._in_header += 1
        if tag in ("style", "title"):
            self._skip += 1
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name == "id" and value:
                self.ids.add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "header":
            self._in_header -= 1
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._in_header:
            self.header_text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    @property
    def header(self) -> str:
        return " ".join(" ".join(self.header_text).split())

    def hrefs(self) -> list[str]:
        return [v for _, name, v in self.attrs if name == "href"]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def test_html_report_is_complete_and_self_contained(
    store: SqliteStore, sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    sid = sessions["threat"]
    code, html, _ = run(capsys, "report", sid, "--format", "html")
    assert code == 0
    page = parse(html)
    text = page.all_text
    session = store.get(sid)
    card = ScoreCard.from_json(session.card or {})

    # Header: who, what, when, how, and the seal with its verification.
    header = page.header
    for fact in (
        TRAINEE,
        ASSESSOR,
        SCENARIO_TITLE,
        SCENARIO_ID,
        "2026-11-26 09:00 UTC",
        "évaluation",
        sid,
        "Scellée — intacte",
        ASSESSOR,
    ):
        assert fact in header, fact
    assert session.seal is not None and session.seal.hash in header
    assert "l'empreinte recalculée correspond" in header

    # The card: verdict, breaches first (codes, quotes, advice), every criterion.
    assert "ÉCHEC" in text and "Note automatique : 23 / 100" in text.replace("\u202f", " ")
    assert text.index("Manquements") < text.index("Critères")
    assert "abusive_threat" in text and "Menace abusive" in text and "bloquant" in text
    assert THREAT_QUOTE in text
    for criterion in card.criteria:
        assert f"criterion-{criterion.id}" in page.ids
        for ev in criterion.evidence:
            assert ev.quote in text
        if criterion.advice:
            assert criterion.advice in text
    for breach in card.breaches:
        assert breach.advice in text

    # Every internal link lands on an element of the page; evidence links reach turns.
    hrefs = page.hrefs()
    assert hrefs and all(h.startswith("#") for h in hrefs)
    assert {h[1:] for h in hrefs} <= page.ids
    evidence_turns = {ev.turn for c in card.criteria for ev in c.evidence}
    assert {f"#turn-{t}" for t in evidence_turns} <= set(hrefs)
    assert {f"turn-{t.index}" for t in session.turns} <= page.ids

    # The transcript: both speakers, distinct, with the acts of each trainee turn.
    turn_classes = [
        v
        for tag, name, v in page.attrs
        if tag == "li" and name == "class" and v.startswith("turn ")
    ]
    assert sum("debtor" in c for c in turn_classes) == 5
    assert sum("trainee" in c for c in turn_classes) == 4
    assert any("breach-turn" in c for c in turn_classes)
    for label in (
        "salutation",
        "présentation",
        "vérification de l'interlocuteur",
        "menace abusive",
    ):
        assert label in text

    # Overrides: both scores, the justification (escaped, never markup), who and which is
    # in force; the overall after overrides is shown beside the automatic one.
    assert JUSTIFICATION in text
    assert "<b>reformulation</b>" not in html and "&lt;b&gt;reformulation&lt;/b&gt;" in html
    assert "Relu : 35 suffit" in text and "en vigueur" in text and "remplacée" in text
    assert "Note après corrections de l'évaluateur" in text

    # Self-contained: inline CSS only, no script, image, external link or resource.
    assert "style" in page.tags
    assert not {"script", "img", "link", "iframe", "object", "embed"} & set(page.tags)
    for _, name, value in page.attrs:
        assert name not in ("src", "srcset", "style") or not re.search(r"https?:", value)
        if name == "href":
            assert not value.startswith(("http:", "https:", "//"))
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", html)
    assert "@import" not in html and "url(" not in html


def test_html_escapes_recorded_text(store: SqliteStore, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        debtor('<script>alert("x")</script> Allô ? <img src="http://evil.example/x.png">', "d"),
        *GOOD_CALL[1:],
    ]
    sid = record_call(store, lines, "promise", trainee_name="Eve <i>Mallory</i> & co")
    code, html, _ = run(capsys, "report", sid)
    assert code == 0
    page = parse(html)
    assert "script" not in page.tags and "img" not in page.tags and "i" not in page.tags
    assert '<script>alert("x")</script>' in page.all_text
    assert "Eve <i>Mallory</i> & co" in page.header
    assert not any(name == "src" for _, name, _ in page.attrs)


def test_a_tampered_session_shows_as_altered_in_the_header(
    store: SqliteStore, sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    sid = sessions["threat"]
    conn = sqlite3.connect(store.location)
    with conn:
        conn.execute(
            "UPDATE turns SET text = 'Je vous propose un échéancier.' WHERE session_id = ? AND idx = 7",
            (sid,),
        )
    conn.close()
    code, html, _ = run(capsys, "report", sid, "--format", "html")
    assert code == 0
    page = parse(html)
    header = page.header
    assert "ALTÉRÉE depuis le scellement" in header
    assert "Scellée — intacte" not in header
    assert "turn 7: text changed" in header
    assert "seal-altered" in html
    code, out, _ = run(capsys, "report", sid, "--format", "json")
    assert json.loads(out)["verify"]["state"] == "altered"


def test_html_in_english_on_request(
    sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, html, _ = run(capsys, "report", sessions["good"], "--lang", "en")
    assert code == 0
    page = parse(html)
    assert '<html lang="en">' in html
    assert "Session report" in page.all_text and "Not sealed" in page.header
    assert "Overall: 100 / 100 — PASS" in page.all_text
    assert "No override" in page.all_text


# -- PDF --------------------------------------------------------------------------------

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pdf_text(path: Path) -> list[str]:
    """The text of each page, whitespace folded (pdftotext wraps lines)."""
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return [" ".join(page.split()) for page in raw.split("\f") if page.strip()]


@needs_pdftotext
def test_pdf_report_holds_the_key_facts_on_numbered_pages(
    store: SqliteStore,
    sessions: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sid = sessions["threat"]
    out = tmp_path / "dossier" / "rapport.pdf"
    out.parent.mkdir()
    code, stdout, err = run(capsys, "report", sid, "--format", "pdf", "-o", str(out))
    assert code == 0 and stdout == "" and str(out) in err
    assert out.read_bytes().startswith(b"%PDF-")
    pages = pdf_text(out)
    assert len(pages) >= 2
    whole = " ".join(pages)
    session = store.get(sid)
    assert session.seal is not None
    for fact in (
        TRAINEE,  # needs the Unicode font: « ł » is not Latin-1
        SCENARIO_TITLE,
        SCENARIO_ID,
        "23 / 100",  # the automatic overall
        "ÉCHEC",
        "abusive_threat",
        JUSTIFICATION,
        THREAT_QUOTE,
        "Bonjour Monsieur, Claire Martin de Dupont Fournitures.",  # a quoted turn
        session.seal.hash,
        "Scellée — intacte",
    ):
        assert fact in whole, fact
    # Every page names the trainee, the scenario and the session, and is numbered.
    for number, page in enumerate(pages, start=1):
        assert TRAINEE in page and SCENARIO_ID in page and sid in page
        assert f"Page {number} / {len(pages)}" in page


@needs_pdftotext
def test_pdf_defaults_to_id_pdf_and_passes_show_as_passed(
    sessions: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    sid = sessions["good"]
    code, _, _ = run(capsys, "report", sid, "--format", "pdf", "--lang", "en")
    assert code == 0
    whole = " ".join(pdf_text(tmp_path / f"{sid}.pdf"))
    assert "Overall: 100 / 100 — PASS" in whole and "Not sealed" in whole
    assert "No breach." in whole


@needs_pdftotext
def test_pdf_without_the_unicode_font_still_renders(
    sessions: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from simulator.reports import pdf

    monkeypatch.setattr(pdf, "find_fonts", lambda: None)
    out = tmp_path / "core.pdf"
    code, _, _ = run(capsys, "report", sessions["threat"], "--format", "pdf", "-o", str(out))
    assert code == 0
    whole = " ".join(pdf_text(out))
    assert "Zoé Lefèvre-" in whole and "1 200 EUR" in whole and "abusive_threat" in whole


# -- CSV --------------------------------------------------------------------------------


def read_csv(path: Path, delimiter: str = ";") -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a file for Excel starts with the UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_export_has_a_row_per_session_and_a_column_per_criterion(
    store: SqliteStore,
    sessions: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "sessions.csv"
    code, stdout, err = run(capsys, "export", "--format", "csv", "-o", str(out))
    assert code == 0 and stdout == "" and "4 session(s)" in err
    rows = read_csv(out)
    assert [r["id"] for r in rows] == [
        sessions["good"],
        sessions["threat"],
        sessions["other"],
        sessions["pending"],
    ]  # oldest first
    card = ScoreCard.from_json(store.get(sessions["threat"]).card or {})
    criteria = [c.id for c in card.criteria]
    assert len(criteria) == 10
    header = list(rows[0])
    for column in (
        "id",
        "date",
        "trainee",
        "mode",
        "scenario",
        "outcome",
        "overall",
        "passed",
        "breaches",
        "sealed",
    ):
        assert column in header
    assert header[-len(criteria) :] == criteria

    good, threat, _, pending = rows
    assert good["trainee"] == TRAINEE and good["date"] == "2026-11-25 09:00"
    assert good["passed"] == "true" and good["sealed"] == "false" and good["seal_check"] == ""
    assert threat["mode"] == "assessment" and threat["outcome"] == "hang_up"
    assert threat["overall"] == "23" and threat["passed"] == "false"
    assert threat["breaches"] == "abusive_threat, aggressive"
    assert threat["sealed"] == "true" and threat["seal_check"] == "intact"
    assert threat["overrides"] == "discover=35" and threat["discover"] == "0"
    assert threat["passed_final"] == "false"
    for c in card.criteria:  # the automatic scores, decimal comma for a French Excel
        assert threat[c.id] == f"{c.score:g}".replace(".", ",")
    # No card: the score and criterion cells are empty.
    assert pending["overall"] == pending["passed"] == ""
    assert all(pending[c] == "" for c in criteria)


def test_csv_export_filters_and_delimiter(
    sessions: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "marc.csv"
    code, _, _ = run(
        capsys, "export", "--trainee", "Marc Petit", "--delimiter", ",", "-o", str(out)
    )
    assert code == 0
    rows = read_csv(out, ",")
    assert [r["id"] for r in rows] == [sessions["other"]]
    code, stdout, _ = run(capsys, "export", "--mode", "assessment", "--since", "2026-11-26")
    assert code == 0 and not stdout.startswith("\ufeff")  # no BOM on a pipe
    rows = list(csv.DictReader(io.StringIO(stdout), delimiter=";"))
    assert [r["id"] for r in rows] == [sessions["threat"]]
    code, stdout, _ = run(capsys, "export", "--scenario", "autre-scenario", "--delimiter", "tab")
    rows = list(csv.DictReader(io.StringIO(stdout), delimiter="\t"))
    assert [r["scenario"] for r in rows] == ["autre-scenario"]


def test_csv_cells_never_run_as_formulas(
    store: SqliteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    record_call(store, GOOD_CALL, "promise", trainee_name='=HYPERLINK("x")')
    code, stdout, _ = run(capsys, "export")
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(stdout), delimiter=";")
    assert row["trainee"] == '\'=HYPERLINK("x")'


def test_report_csv_is_one_row(
    sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run(capsys, "report", sessions["good"], "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(stdout), delimiter=";"))
    assert len(rows) == 1 and rows[0]["id"] == sessions["good"]


# -- JSON -------------------------------------------------------------------------------


def test_json_record_round_trips(
    store: SqliteStore, sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from simulator.reports.jsonreport import session_from_json, verify_from_json

    sid = sessions["threat"]
    code, out, _ = run(capsys, "report", sid, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "relance/session-report@1"
    stored = store.get(sid)
    assert session_from_json(data) == replace(stored, snapshot=None)
    assert verify_from_json(data) == store.verify(sid)
    assert ScoreCard.from_json(data["card"]).to_json() == data["card"] == stored.card
    assert data["verify"] == {
        "state": "intact",
        "sealed": True,
        "ok": True,
        "seal_hash": stored.seal.hash,  # type: ignore[union-attr]
        "computed_hash": stored.seal.hash,
        "problems": [],  # type: ignore[union-attr]
    }
    assert [o["justification"] for o in data["overrides"]] == [JUSTIFICATION, "Relu : 35 suffit"]
    assert data["overrides"][0]["automatic"] == 0.0
    assert data["result"]["overall"] == 23.0 and data["result"]["final_scores"]["discover"] == 35
    # The transcript inside is a transcript: scoring it again gives the same card.
    again = score_transcript(
        data["transcript"], scenario={"account": ACCOUNT, "brief": BRIEF, "segment": "b2b"}
    )
    assert again.to_json() == stored.card
    # JSON text in, same JSON text out.
    assert json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n" == out


def test_json_export_lists_the_records(
    sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "export", "--format", "json", "--trainee", TRAINEE)
    assert code == 0
    ids = [r["session"]["id"] for r in json.loads(out)]
    assert ids == [sessions["good"], sessions["threat"], sessions["pending"]]


# -- overall after overrides ------------------------------------------------------------


def test_the_overall_is_the_cards_own_aggregation(
    store: SqliteStore, sessions: dict[str, str]
) -> None:
    for key in ("good", "threat", "other"):
        session = store.get(sessions[key])
        card = ScoreCard.from_json(session.card or {})
        every = {c.id: c.score for c in card.criteria if c.applicable}
        assert overall_with(card, every) == pytest.approx(card.overall, abs=0.1)
    threat = SessionReport.of(store.get(sessions["threat"]), store.verify(sessions["threat"]))
    assert threat.card is not None
    discover = threat.card.criterion("discover")
    assert discover is not None
    total = sum(c.weight for c in threat.card.criteria if c.applicable)
    expected = threat.card.overall + discover.weight * (35 - discover.score) / total
    assert threat.final_overall == pytest.approx(expected, abs=0.1)
    assert threat.final_passed is False  # a blocking breach fails the call whatever the score


# -- xAPI -------------------------------------------------------------------------------

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DURATION_RE = re.compile(
    r"^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?"
    r"(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$"
)
ADL = "http://adlnet.gov/expapi/verbs/"


def validate_statement(statement: dict[str, Any]) -> None:
    """xAPI 1.0.3: the ralph-malph model of a Statement, then the rules it leaves out."""
    from ralph.models.xapi.base.statements import BaseXapiStatement

    BaseXapiStatement(**statement)  # raises pydantic.ValidationError
    assert UUID_RE.match(statement["id"])
    assert statement["version"].startswith("1.0.")
    actor = statement["actor"]
    assert actor["objectType"] == "Agent"
    assert sum(k in actor for k in ("mbox", "mbox_sha1sum", "openid", "account")) == 1
    assert_absolute_iri(actor["account"]["homePage"])
    assert_absolute_iri(statement["verb"]["id"])
    obj = statement["object"]
    assert obj["objectType"] == "Activity"
    assert_absolute_iri(obj["id"])
    assert_absolute_iri(obj["definition"]["type"])
    result = statement["result"]
    score = result.get("score")
    if score is not None:
        assert -1 <= score["scaled"] <= 1
        assert score["min"] <= score["raw"] <= score["max"]
        assert score["min"] < score["max"]
        assert score["scaled"] == pytest.approx(score["raw"] / 100)
    if "duration" in result:
        assert DURATION_RE.match(result["duration"]), result["duration"]
    for key in result.get("extensions", {}):
        assert_absolute_iri(key)
    context = statement["context"]
    assert UUID_RE.match(context["registration"])
    if "instructor" in context:
        instructor = context["instructor"]
        assert instructor.get("objectType", "Agent") == "Agent" and "member" not in instructor
        assert sum(k in instructor for k in ("mbox", "mbox_sha1sum", "openid", "account")) == 1
    for key in context.get("extensions", {}):
        assert_absolute_iri(key)
    for activities in context["contextActivities"].values():
        for activity in activities:
            assert_absolute_iri(activity["id"])
    stamp = dt.datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
    assert stamp.tzinfo is not None


def assert_absolute_iri(value: str) -> None:
    assert re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/]+", value), value


def test_xapi_statements_validate(
    store: SqliteStore, sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    sid = sessions["threat"]
    code, out, _ = run(
        capsys,
        "report",
        sid,
        "--format",
        "xapi",
        "--xapi-home-page",
        "https://lms.cfa-recouvrement.example",
    )
    assert code == 0
    statements = json.loads(out)
    assert [s["verb"]["id"] for s in statements] == [ADL + "completed", ADL + "failed"]
    for statement in statements:
        validate_statement(statement)
    completed, failed = statements
    session = store.get(sid)
    assert completed["actor"] == {
        "objectType": "Agent",
        "name": TRAINEE,
        "account": {"homePage": "https://lms.cfa-recouvrement.example", "name": TRAINEE},
    }
    assert failed["object"]["id"] == f"https://relance.example/scenarios/{SCENARIO_ID}"
    assert failed["object"]["definition"]["name"] == {"fr": SCENARIO_TITLE}
    assert (
        failed["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/simulation"
    )
    result = failed["result"]
    assert result["success"] is False and result["completion"] is True
    assert result["duration"] == "PT372.5S"
    report = SessionReport.of(session, store.verify(sid))
    assert result["score"]["raw"] == report.final_overall
    assert result["score"]["scaled"] == pytest.approx((report.final_overall or 0) / 100)
    criteria = {k: v for k, v in result["extensions"].items() if "/xapi/criteria/" in k}
    assert len(criteria) == 10
    discover = criteria["https://relance.example/xapi/criteria/discover"]
    assert discover["score"] == 35 and discover["automatic"] == 0 and discover["overridden"]
    context = failed["context"]
    assert context["instructor"]["name"] == ASSESSOR
    assert context["instructor"]["objectType"] == "Agent"
    assert context["contextActivities"]["grouping"] and context["contextActivities"]["category"]
    assert failed["timestamp"] == "2026-11-26T11:30:00.000Z"  # the sign-off
    assert completed["timestamp"] == "2026-11-26T09:06:12.500Z"  # the end of the call
    assert completed["id"] != failed["id"]
    assert completed["context"]["registration"] == failed["context"]["registration"]

    # Deterministic: the same session gives the same registration and statement ids.
    code, again, _ = run(
        capsys,
        "report",
        sid,
        "--format",
        "xapi",
        "--xapi-home-page",
        "https://lms.cfa-recouvrement.example",
    )
    assert json.loads(again) == statements
    from simulator.reports.xapi import registration

    assert context["registration"] == registration(sid)
    assert registration(sid) != registration(sessions["good"])


def test_xapi_for_a_passed_practice_call_and_an_unfinished_one(
    sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", sessions["good"], "--format", "xapi")
    assert code == 0
    statements = json.loads(out)
    assert [s["verb"]["id"] for s in statements] == [ADL + "completed", ADL + "passed"]
    for statement in statements:
        validate_statement(statement)
        assert "instructor" not in statement["context"]  # practice: no assessor
        assert statement["result"]["score"] == {"scaled": 1.0, "raw": 100.0, "min": 0, "max": 100}
    code, out, err = run(capsys, "report", sessions["pending"], "--format", "xapi")
    assert code == 0 and json.loads(out) == [] and "not over" in err
    code, out, _ = run(capsys, "export", "--format", "xapi")
    every = json.loads(out)
    assert len(every) == 6
    for statement in every:
        validate_statement(statement)


def test_the_validator_rejects_broken_statements(
    sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The checks above would catch a regression: each breakage is refused."""
    from pydantic import ValidationError

    _, out, _ = run(capsys, "report", sessions["threat"], "--format", "xapi")
    good = json.loads(out)[1]
    breakages = [
        lambda s: s["result"]["score"].update(scaled=Decimal("1.5")),
        lambda s: s["result"]["score"].update(raw=120),
        lambda s: s["result"].update(duration="372 seconds"),
        lambda s: s["verb"].update(id="completed"),
        lambda s: s["object"].update(id="scenarios/oubli"),
        lambda s: s.update(id="not-a-uuid"),
        lambda s: s["context"].update(instructor={"objectType": "Group", "member": []}),
        lambda s: s["actor"].update(mbox="mailto:zoe@example.org"),
    ]
    for breakage in breakages:
        statement = json.loads(json.dumps(good))
        breakage(statement)
        with pytest.raises((AssertionError, ValidationError, ValueError)):
            validate_statement(statement)


def test_xapi_rejects_a_relative_home_page(
    sessions: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "report", sessions["good"], "--format", "xapi", "--xapi-home-page", "lms.example"
    )
    assert code == 2 and out == "" and "absolute" in err and "Traceback" not in err


# -- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "pdf", "json", "xapi", "csv"])
def test_unknown_session_is_a_clear_error(
    store: SqliteStore,
    sessions: dict[str, str],
    fmt: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "report", "ZZZZ9999", "--format", fmt)
    assert code == 1
    assert out == ""
    assert "no session ZZZZ9999" in err and "relance sessions" in err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("*.pdf"))


def test_unwritable_output_is_a_clear_error(
    sessions: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-folder" / "r.html"
    code, _, err = run(capsys, "report", sessions["good"], "-o", str(target))
    assert code == 1 and "cannot write" in err and "Traceback" not in err


def test_report_modules_stay_off_the_ui_and_audio_stack() -> None:
    code = (
        "import sys\n"
        "import simulator.reports.html, simulator.reports.pdf, simulator.reports.csv\n"
        "import simulator.reports.jsonreport, simulator.reports.xapi\n"
        "import simulator.commands.report, simulator.commands.export\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'vosk', 'pyttsx3', 'sounddevice')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([_python(), "-c", code], check=True)


def _python() -> str:
    import sys

    return sys.executable
