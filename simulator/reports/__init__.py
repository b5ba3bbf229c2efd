"""Session reports: HTML, PDF, CSV, JSON and xAPI renderings of recorded calls.

:mod:`simulator.reports.model` reads a session once (card, overrides, seal check) into a
:class:`~simulator.reports.model.SessionReport`; each format is one module that renders
it. ``relance report ID --format …`` renders one session, ``relance export`` many. No
module here imports the UI or the audio stack; fpdf2 is imported only for PDFs.
"""

from __future__ import annotations

from simulator.reports.model import SessionReport, load_report

FORMATS: tuple[str, ...] = ("html", "pdf", "csv", "json", "xapi")

__all__ = ["FORMATS", "SessionReport", "load_report"]
