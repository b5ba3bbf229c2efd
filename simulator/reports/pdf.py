"""The session report as a paginated PDF, to file in a certification record.

Same content as the HTML report, laid out on A4 with fpdf2 (pure Python, maintained,
embeds TrueType fonts as subsets). Every page repeats a header naming the trainee, the
scenario and the session id, and a footer with the seal state and "Page n / N", so a
loose page still says what it belongs to. The card's turn references are internal links
to the transcript.

Text is set in DejaVu Sans, shipped in ``simulator/reports/fonts`` (Bitstream Vera
licence) so that any name or quote — « », €, œ, ł, ğ… — renders the same on every
machine. If those files are missing, a system DejaVu is used; failing that, the PDF
core font Helvetica with the text folded to Latin-1 (never a crash).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from simulator.reports.model import CriterionView, SessionReport, turn_labels
from simulator.store.model import TurnRecord

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SYSTEM_FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
FAMILY = "DejaVu"
TOTAL_PAGES = "{relance-nb}"

INK = (29, 35, 43)
MUTED = (91, 101, 115)
OK = (30, 125, 58)
KO = (179, 38, 30)
WARN = (154, 103, 0)
LINK = (43, 108, 176)
DEBTOR_FILL = (241, 243, 245)
TRAINEE_FILL = (232, 240, 251)
OVERRIDE_FILL = (255, 248, 225)
PHASE_COLOURS = {
    "engage": (43, 108, 176),
    "discover": (47, 133, 90),
    "propose": (183, 121, 31),
    "conclude": (107, 70, 193),
}

#: What the core font cannot show, folded to Latin-1 (only without DejaVu).
_FOLD = str.maketrans(
    {
        "€": "EUR",
        "—": "-",
        "–": "-",
        "−": "-",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "✓": "+",
        "✗": "x",
        "●": "*",
        "→": "->",
        "œ": "oe",
        "Œ": "OE",
        "\u202f": " ",
    }
)


def find_fonts() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold: the bundled copies, else a system install."""
    for folder in (FONT_DIR, *SYSTEM_FONT_DIRS):
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Doc(FPDF):
    """An A4 page with the report's running header and footer."""

    def __init__(self, report: SessionReport, fonts: tuple[Path, Path] | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        self.unicode_text = fonts is not None
        if fonts is not None:
            self.add_font(FAMILY, "", str(fonts[0]))
            self.add_font(FAMILY, "B", str(fonts[1]))
            self.font_name = FAMILY
        else:
            self.font_name = "Helvetica"
        self.alias_nb_pages(TOTAL_PAGES)
        self.set_margins(18, 22, 18)
        self.set_auto_page_break(True, margin=18)
        self.turn_links: dict[int, int] = {}

    # -- text helpers -------------------------------------------------------------------
    def t(self, text: object) -> str:
        value = str(text)
        if self.unicode_text:
            return value
        return value.translate(_FOLD).encode("latin-1", "replace").decode("latin-1")

    def font(
        self, size: float = 10, bold: bool = False, colour: tuple[int, int, int] = INK
    ) -> None:
        self.set_font(self.font_name, "B" if bold else "", size)
        self.set_text_color(*colour)

    def para(
        self,
        text: str,
        *,
        size: float = 10,
        bold: bool = False,
        colour: tuple[int, int, int] = INK,
        indent: float = 0,
        height: float | None = None,
        fill: tuple[int, int, int] | None = None,
        link: int | str | None = None,
    ) -> None:
        self.font(size, bold, colour)
        if fill is not None:
            self.set_fill_color(*fill)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            w=self.epw - indent,
            h=height or size * 0.5,
            text=self.t(text),
            align="L",
            fill=fill is not None,
            link=link,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def heading(self, text: str, level: int = 1) -> None:
        size = {1: 15, 2: 12.5, 3: 11}[level]
        room = 60 if level == 1 else 35  # never a heading alone at the foot of a page
        if self.get_y() > self.h - room:
            self.add_page()
        self.ln(4 if level == 1 else 2.5)
        self.para(text, size=size, bold=True)
        if level == 1:
            self.set_draw_color(*MUTED)
            self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
            self.ln(2.5)
        else:
            self.ln(1)

    def turn_link(self, turn: int | None) -> int | None:
        if turn is None or turn not in self.report.turn_indexes:
            return None
        if turn not in self.turn_links:
            self.turn_links[turn] = self.add_link()
        return self.turn_links[turn]

    # -- every page -----------------------------------------------------------------------
    def header(self) -> None:
        r = self.report
        w = r.words
        s = r.session
        self.font(8, colour=MUTED)
        self.set_xy(self.l_margin, 9)
        left = f"{w['app']} — {w['title']} · {w['trainee']}{w.sep}{s.trainee}"
        self.cell(self.epw * 0.62, 4, self.t(left), align="L")
        self.cell(self.epw * 0.38, 4, self.t(f"{w['session']} {s.id}"), align="R")
        self.set_xy(self.l_margin, 13)
        self.cell(
            self.epw, 4, self.t(f"{w['scenario']}{w.sep}{s.scenario_title} ({s.scenario_id})")
        )
        self.set_draw_color(*MUTED)
        self.line(self.l_margin, 18, self.w - self.r_margin, 18)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        r = self.report
        w = r.words
        self.set_y(-13)
        colour = KO if r.seal_state == "altered" else MUTED
        self.font(8, bold=r.seal_state == "altered", colour=colour)
        seal = f"{w['seal']}{w.sep}{w['seal_' + r.seal_state]}"
        if r.verify.seal_hash:
            seal += f" · {r.verify.seal_hash[:23]}…"
        self.cell(self.epw * 0.75, 5, self.t(seal), align="L")
        self.font(8, colour=MUTED)
        page = w["page"].format(n=self.page_no(), total=TOTAL_PAGES)
        self.cell(self.epw * 0.25, 5, self.t(page), align="R")


def render_pdf(report: SessionReport) -> bytes:
    """The whole report as PDF bytes."""
    doc = _Doc(report, find_fonts())
    w = report.words
    s = report.session
    doc.set_title(doc.t(f"{w['app']} — {w['title']} {s.id} — {s.trainee}"))
    doc.set_author("Relance")
    doc.set_creator("Relance")
    doc.set_subject(doc.t(f"{s.scenario_title} ({s.scenario_id})"))
    doc.set_lang(report.lang)
    doc.set_creation_date(_aware(s.seal.at if s.seal else (s.ended_at or s.started_at)))
    doc.add_page()
    _header(doc)
    _card(doc)
    _timeline(doc)
    _transcript(doc)
    _overrides(doc)
    return bytes(doc.output())


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# -- header -------------------------------------------------------------------------------


def _header(doc: _Doc) -> None:
    r = doc.report
    w = r.words
    s = r.session
    doc.para(f"{w['title']} {s.id}", size=17, bold=True)
    doc.ln(2)
    facts = [
        (w["trainee"], s.trainee),
        (w["assessor"], s.assessor or w["none"]),
        (w["scenario"], f"{s.scenario_title} ({s.scenario_id})"),
        (w["date"], w.when(s.started_at)),
        (w["call_date"], s.call_date.isoformat()),
        (w["duration"], w.duration(r.duration)),
        (w["mode"], w.mode(s.mode)),
        (w["status"], w.status(s.status)),
        (w["outcome"], w.outcome(s.outcome)),
        (w["rubric"], f"{s.rubric_id} v{s.rubric_version}" if s.rubric_id else w["none"]),
    ]
    for label, value in facts:
        doc.font(10, colour=MUTED)
        doc.cell(38, 5.5, doc.t(label))
        doc.font(10, bold=True)
        doc.multi_cell(
            doc.epw - 38, 5.5, doc.t(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    doc.ln(3)
    _seal(doc)


def _seal(doc: _Doc) -> None:
    r = doc.report
    w = r.words
    s = r.session
    state = r.seal_state
    colour = {"unsealed": MUTED, "intact": OK, "altered": KO}[state]
    fill = {"unsealed": (246, 248, 250), "intact": (238, 248, 241), "altered": (253, 236, 234)}
    doc.para(
        f"{w['seal']}{w.sep}{w['seal_' + state]}",
        size=12,
        bold=True,
        colour=colour,
        fill=fill[state],
        height=7,
    )
    if s.seal is not None:
        doc.para(w["sealed_by"].format(by=s.seal.by, at=w.when(s.seal.at)))
    seal_hash = r.verify.seal_hash or (s.seal.hash if s.seal else None)
    if seal_hash:
        doc.para(f"{w['seal_hash']}{w.sep}{seal_hash}", size=8.5)
    if state == "unsealed":
        doc.para(f"{w['verify']}{w.sep}{w['verify_none']}", colour=MUTED)
    elif state == "intact":
        doc.para(f"{w['verify']}{w.sep}{w['verify_ok']}", colour=OK)
    else:
        doc.para(f"{w['verify']}{w.sep}{w['verify_ko']}", bold=True, colour=KO)
        for problem in r.problems:
            doc.para(f"• {problem}", colour=KO, indent=5)
        if r.verify.computed_hash:
            doc.para(f"{w['computed_hash']}{w.sep}{r.verify.computed_hash}", size=8.5)


# -- card -----------------------------------------------------------------------------------


def _card(doc: _Doc) -> None:
    r = doc.report
    w = r.words
    card = r.card
    doc.heading(w["card"])
    if card is None:
        message = w["bad_card"].format(error=r.card_error) if r.card_error else w["no_card"]
        doc.para(message, colour=MUTED)
        return
    if r.has_overrides and r.final_overall is not None and r.final_passed is not None:
        doc.para(
            f"{w['overall_final']}{w.sep}{w.pass_line(card, r.final_overall, r.final_passed)}",
            size=12,
            bold=True,
            colour=OK if r.final_passed else KO,
            height=6.5,
        )
        doc.para(
            f"{w['overall_auto']}{w.sep}{w.pass_line(card, card.overall, card.passed)}",
            size=10.5,
            bold=True,
            colour=MUTED,
            height=6,
        )
    else:
        doc.para(
            f"{w['overall']}{w.sep}{w.pass_line(card, card.overall, card.passed)}",
            size=12,
            bold=True,
            colour=OK if card.passed else KO,
            height=6.5,
        )
    extra = f" · {w['penalties']} −{w.num(card.penalties)}" if card.penalties else ""
    doc.para(
        f"{w['rubric']}{w.sep}{card.rubric_id} v{card.rubric_version}{extra}",
        size=8.5,
        colour=MUTED,
    )

    doc.heading(w["breaches"], 2)
    if not card.breaches:
        doc.para(w["no_breach"])
    for b in card.breaches:
        kind = w["blocking"] if b.blocking else w["non_blocking"]
        cost = f" −{w.num(b.penalty)} pts" if b.penalty else ""
        where = w.turn_ref(b.turn)
        doc.para(
            f"✗ {w.breach(b.code)} [{b.code}] ({kind}){cost} — {where}",
            bold=True,
            colour=KO if b.blocking else WARN,
            link=doc.turn_link(b.turn),
        )
        if b.quote:
            doc.para(f"« {b.quote} »", indent=5)
        if b.advice:
            doc.para(f"→ {b.advice}", indent=5, colour=MUTED, size=9)
        doc.ln(1)

    doc.heading(w["criteria"], 2)
    _criteria_table(doc)
    for c in r.criteria:
        _criterion(doc, c)
    _metrics(doc)


def _score(doc: _Doc, c: CriterionView, value: float) -> str:
    w = doc.report.words
    if not c.applicable and not c.overridden:
        return w["na"]
    return f"{w.num(value)}/100"


def _criteria_table(doc: _Doc) -> None:
    w = doc.report.words
    doc.font(9)
    with doc.table(
        col_widths=(62, 18, 28, 28, 22),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
        line_height=5,
        width=doc.epw - 8,
        align="LEFT",
    ) as table:
        head = table.row()
        for text in (w["criterion"], w["weight"], w["automatic"], w["override"], w["grade"]):
            head.cell(doc.t(text))
        for c in doc.report.criteria:
            row = table.row()
            row.cell(doc.t(c.title))
            row.cell(doc.t(w.percent(c.weight)))
            row.cell(doc.t(w["na"] if not c.applicable else f"{w.num(c.automatic)}/100"))
            override = c.override
            row.cell(doc.t(f"{w.num(override.score)}/100" if override else w["none"]))
            row.cell(doc.t(w.grade(c.grade)))
    doc.ln(2)


def _criterion(doc: _Doc, c: CriterionView) -> None:
    w = doc.report.words
    if doc.get_y() > doc.h - 40:
        doc.add_page()
    doc.ln(1.5)
    shown = c.final if c.overridden else c.automatic
    doc.para(
        f"{c.title} — {_score(doc, c, shown)} ({w['weight'].lower()} {w.percent(c.weight)})",
        size=10.5,
        bold=True,
    )
    override = c.override
    if override is not None:
        doc.para(
            f"{w['override']}{w.sep}{w.num(override.score)}/100 — {override.assessor}{w.sep}"
            f"« {override.justification} » ({w['automatic'].lower()} {_score(doc, c, c.automatic)})",
            fill=OVERRIDE_FILL,
            indent=3,
            size=9.5,
        )
    for ev in c.evidence:
        doc.para(
            f"✓ « {ev.quote} » ({w.turn_ref(ev.turn)})",
            indent=3,
            size=9.5,
            colour=OK,
            link=doc.turn_link(ev.turn),
        )
    for m in c.missing:
        quote = f" « {m.quote} »" if m.quote else ""
        where = f" ({w.turn_ref(m.turn)})" if m.turn is not None else ""
        doc.para(
            f"– {w.missing(m)}{quote}{where} −{w.num(m.lost * 100)} pts",
            indent=3,
            size=9.5,
            link=doc.turn_link(m.turn),
        )
    if c.advice:
        doc.para(f"{w['advice']}{w.sep}{c.advice}", indent=3, size=9.5, colour=MUTED)


def _metrics(doc: _Doc) -> None:
    r = doc.report
    assert r.card is not None
    w = r.words
    m = r.card.metrics
    doc.heading(w["metrics"], 2)
    at = (
        f" ({w.turn_ref(m.longest_monologue_turn)})" if m.longest_monologue_turn is not None else ""
    )
    lines = [
        f"{w['talk_share']}{w.sep}{w.percent(m.talk_share)}",
        f"{w['questions']}{w.sep}{m.questions} ({w['open']} {m.open_questions}, "
        f"{w['closed']} {m.closed_questions})",
        f"{w['monologue']}{w.sep}{m.longest_monologue_words} {w['words']}{at}",
        f"{w['turn_count']}{w.sep}{m.turns}",
    ]
    for line in lines:
        doc.para(line, size=9.5)
    for note in m.notes:
        doc.para(f"! {w.metric_note(note)}", size=9.5, colour=WARN)


# -- timeline -------------------------------------------------------------------------------


def _timeline(doc: _Doc) -> None:
    r = doc.report
    w = r.words
    card = r.card
    doc.heading(w["timeline"])
    if card is None:
        doc.para(w["no_card"], colour=MUTED)
        return
    doc.heading(w["phases"], 2)
    for span in card.phase_timeline:
        turns = ", ".join(str(t) for t in span.turns) or w["none"]
        labels = ", ".join(w.act(label) for label in span.labels)
        colour = PHASE_COLOURS.get(span.phase, INK)
        doc.font(10, bold=True, colour=colour)
        doc.cell(30, 5.5, doc.t(w.phase(span.phase)))
        doc.font(10)
        text = f"{w['turns']} {turns}" + (f" — {labels}" if labels else "")
        doc.multi_cell(
            doc.epw - 30, 5.5, doc.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    doc.heading(w["desc"], 2)
    if not card.desc_timeline:
        doc.para(w["no_desc"])
    for ep in card.desc_timeline:
        also = f" ({w['also']} {', '.join(map(str, ep.also))})" if ep.also else ""
        doc.para(
            f"{w.turn_ref(ep.turn).capitalize()} « {ep.quote} »{also}",
            bold=True,
            size=9.5,
            link=doc.turn_link(ep.turn),
        )
        steps = " · ".join(
            f"{st.step} {w.turn_ref(st.turn)}" if st.turn is not None else f"{st.step} —"
            for st in ep.steps
        )
        order = ""
        if len(ep.found) >= 2:
            order = " — " + (w["order_ok"] if ep.order_respected else w["order_ko"])
        doc.para(steps + order, indent=4, size=9.5)
        doc.ln(1)


# -- transcript -------------------------------------------------------------------------------


def _transcript(doc: _Doc) -> None:
    r = doc.report
    doc.heading(r.words["transcript"])
    for turn in r.session.turns:
        _turn(doc, turn)


def _turn(doc: _Doc, turn: TurnRecord) -> None:
    r = doc.report
    w = r.words
    if doc.get_y() > doc.h - 32:
        doc.add_page()
    link = doc.turn_link(turn.index)
    if link is not None:
        doc.set_link(link, y=doc.get_y(), page=doc.page_no())
    trainee = turn.speaker == "trainee"
    indent = 14.0 if trainee else 0.0
    who = w["trainee_turn"] if trainee else w["debtor"]
    cites = r.citations.get(turn.index, ())
    breach = any(kind == "breach" for kind, _ in cites)
    doc.para(
        f"{who.upper()} · {w['turn']} {turn.index}",
        size=8,
        bold=True,
        colour=KO if breach else MUTED,
        indent=indent,
    )
    doc.para(
        turn.text, size=10, indent=indent, height=5.2, fill=TRAINEE_FILL if trainee else DEBTOR_FILL
    )
    notes: list[tuple[str, tuple[int, int, int]]] = []
    if trainee:
        if turn.acts is None:
            notes.append((f"{w['acts']}{w.sep}{w['not_analysed']}", MUTED))
        else:
            labels = turn_labels(turn)
            text = ", ".join(w.act(label) for label in labels) if labels else w["no_acts"]
            notes.append((f"{w['acts']}{w.sep}{text}", LINK))
        for f in turn.wording or ():
            quoted = (f.get("span") or {}).get("text", f.get("key", ""))
            label = w["avoid"] if f.get("polarity") == "avoid" else w["prefer"]
            notes.append((f"{label}{w.sep}« {quoted} »", WARN if label == w["avoid"] else OK))
    else:
        extra = []
        if "resistance" in turn.tags:
            extra.append(w["resistance"])
        if turn.mood:
            mood = ", ".join(
                f"{w[k]} {turn.mood[k]}" for k in ("anger", "trust", "patience") if k in turn.mood
            )
            if mood:
                extra.append(f"{w['mood']}{w.sep}{mood}")
        if extra:
            notes.append((" · ".join(extra), MUTED))
    if cites:
        names = []
        for kind, key in cites:
            if kind == "breach":
                names.append("✗ " + w.breach(r.breaches[int(key) - 1].code))
            else:
                title = next((c.title for c in r.criteria if c.id == key), key)
                names.append(("✓ " if kind == "evidence" else "– ") + title)
        notes.append((f"{w['cited_by']}{w.sep}{', '.join(names)}", KO if breach else MUTED))
    for text, colour in notes:
        doc.para(text, size=8, colour=colour, indent=indent, height=4)
    doc.ln(1.5)


# -- overrides -------------------------------------------------------------------------------


def _overrides(doc: _Doc) -> None:
    r = doc.report
    w = r.words
    doc.heading(w["overrides"])
    overrides = r.session.overrides
    if not overrides:
        doc.para(w["no_overrides"])
        return
    views = {c.id: c for c in r.criteria}
    for o in overrides:
        view = views.get(o.criterion)
        in_force = view is not None and view.override == o
        name = view.title if view else o.criterion
        automatic = _score(doc, view, view.automatic) if view else w["none"]
        state = w["in_force"] if in_force else w["replaced"]
        if doc.get_y() > doc.h - 40:
            doc.add_page()
        doc.para(
            f"#{o.number} {name} [{o.criterion}] — {w['automatic'].lower()} {automatic} → "
            f"{w['override'].lower()} {w.num(o.score)}/100 ({state})",
            bold=True,
            size=10,
            fill=OVERRIDE_FILL if in_force else None,
        )
        doc.para(f"{w['by']} {o.assessor} · {w.when(o.created_at)}", size=9, colour=MUTED, indent=4)
        doc.para(f"{w['justification']}{w.sep}« {o.justification} »", size=9.5, indent=4)
        doc.ln(1.5)


def pdf_info() -> dict[str, Any]:
    """Which font the PDFs will use (for diagnostics and tests)."""
    fonts = find_fonts()
    return {"unicode": fonts is not None, "font": str(fonts[0]) if fonts else "Helvetica"}
