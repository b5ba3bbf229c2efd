"""Sessions as a spreadsheet: one row per session, one column per criterion.

Choices, for a trainer who double-clicks the file:

* **Delimiter ``;`` and decimal comma by default.** Relance's trainers work in French;
  Excel in a French locale splits a CSV on ``;`` and reads ``78,5`` as a number (with
  ``,`` everything lands in one column and ``78.5`` turns into text or a date). English
  users pass ``--delimiter ,``, which switches the decimal to a point; ``--decimal``
  chooses it explicitly.
* **UTF-8 with a BOM in files.** Without it Excel reads UTF-8 as the ANSI code page and
  « Zoé » becomes « ZoÃ© »; LibreOffice, pandas (``encoding="utf-8-sig"``) and Python's
  ``csv`` handle the BOM. Written to standard output (a pipe) there is no BOM.
* Dates are ``YYYY-MM-DD HH:MM`` in UTC (what the store keeps; every spreadsheet reads
  it as a date-time); booleans are ``true``/``false``; an unscored session leaves its
  score and criterion cells empty.
* Cells of recorded text that start with ``= + - @`` get a leading ``'`` so that a
  spreadsheet never runs them as formulas (CSV injection).

Criterion columns are the union of the criterion ids of the cards, in the order they
first appear; each holds the automatic score (as on the card). ``overall_final`` and
``passed_final`` are the result with the assessor's overrides in force, and
``overrides`` lists them (``desc=70; promise=60``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Literal

from simulator.reports.model import SessionReport

Decimal = Literal["point", "comma"]

FIXED: tuple[str, ...] = (
    "id",
    "date",
    "trainee",
    "assessor",
    "mode",
    "scenario",
    "scenario_title",
    "lang",
    "status",
    "outcome",
    "turns",
    "overall",
    "passed",
    "pass_mark",
    "breaches",
    "blocking_breaches",
    "overall_final",
    "passed_final",
    "overrides",
    "sealed",
    "seal_check",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def default_decimal(delimiter: str) -> Decimal:
    return "comma" if delimiter == ";" else "point"


def criterion_columns(reports: Iterable[SessionReport]) -> list[str]:
    """Every criterion id found on the cards, in order of first appearance."""
    seen: list[str] = []
    for report in reports:
        for c in report.criteria:
            if c.id not in seen:
                seen.append(c.id)
    return seen


def _text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _bool(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


class _Numbers:
    def __init__(self, decimal: Decimal) -> None:
        self.comma = decimal == "comma"

    def __call__(self, value: float | None) -> str:
        if value is None:
            return ""
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if self.comma else text


def header(criteria: Sequence[str]) -> list[str]:
    columns = list(FIXED)
    for cid in criteria:
        columns.append(cid if cid not in FIXED else f"criterion:{cid}")
    return columns


def row(report: SessionReport, criteria: Sequence[str], decimal: Decimal = "comma") -> list[str]:
    num = _Numbers(decimal)
    s = report.session
    card = report.card
    scores = {c.id: c for c in report.criteria}
    overrides = "; ".join(f"{cid}={num(c.final)}" for cid, c in scores.items() if c.overridden)
    cells = [
        s.id,
        s.started_at.strftime("%Y-%m-%d %H:%M"),
        _text(s.trainee),
        _text(s.assessor),
        s.mode,
        _text(s.scenario_id),
        _text(s.scenario_title),
        s.lang,
        s.status,
        s.outcome or "",
        str(len(s.turns)),
        num(report.overall),
        _bool(report.passed),
        num(card.pass_mark) if card else "",
        ", ".join(b.code for b in report.breaches),
        ", ".join(b.code for b in report.breaches if b.blocking),
        num(report.final_overall),
        _bool(report.final_passed),
        overrides,
        _bool(s.seal is not None),
        "" if report.seal_state == "unsealed" else report.seal_state,
    ]
    for cid in criteria:
        view = scores.get(cid)
        cells.append("" if view is None or not view.applicable else num(view.automatic))
    return cells


def render_csv(
    reports: Sequence[SessionReport],
    *,
    delimiter: str = ";",
    decimal: Decimal | None = None,
) -> str:
    """The table as CSV text (no BOM: the caller adds it when writing a file)."""
    criteria = criterion_columns(reports)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header(criteria))
    chosen = decimal or default_decimal(delimiter)
    for report in reports:
        writer.writerow(row(report, criteria, chosen))
    return buffer.getvalue()
