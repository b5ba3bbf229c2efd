"""``relance report ID --format html|pdf|csv|json|xapi [-o FILE] [--lang fr|en]``.

One recorded session, rendered for a learner, a trainer or a certification file. Text
formats go to standard output unless ``-o`` names a file; a PDF goes to ``-o FILE`` or
to ``<ID>.pdf`` in the current folder (``-o -`` sends it to standard output). The labels
are in the call's language unless ``--lang`` says otherwise.
"""

from __future__ import annotations

import argparse
import sys

from simulator.commands._store import open_store
from simulator.commands.export import add_output_options, emit, render_text, xapi_options
from simulator.errors import UsageError

FORMATS = ("html", "pdf", "csv", "json", "xapi")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="render a session report",
        description="Render one recorded session: a self-contained HTML page, a paginated "
        "PDF for a certification file, a CSV row, the full JSON record or xAPI statements.",
    )
    p.add_argument("id", metavar="ID", help="session id (see `relance sessions`)")
    p.add_argument("-f", "--format", choices=FORMATS, default="html", help="default: html")
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from simulator.reports.model import load_report

    if args.format == "xapi":
        xapi_options(args)
    if args.format == "pdf" and args.output == "-" and sys.stdout.isatty():
        raise UsageError("a PDF is not for the terminal", hint="give -o FILE, or pipe it")
    with open_store() as store:
        report = load_report(store, args.id, args.lang)
    if args.format == "html":
        from simulator.reports.html import render_html

        path = emit(render_html(report), args.output)
    elif args.format == "pdf":
        from simulator.reports.pdf import render_pdf

        path = emit(render_pdf(report), args.output or f"{report.session.id}.pdf")
    else:
        text = render_text(args.format, [report], args)
        path = emit(text, args.output, bom=args.format == "csv" and not args.no_bom)
    if path is not None:
        print(f"{args.format.upper()} → {path}", file=sys.stderr)
    if args.format == "xapi" and report.session.status in ("in_progress", "interrupted"):
        print(
            f"session {report.session.id} is not over: no xAPI statement yet",
            file=sys.stderr,
        )
    return 0
