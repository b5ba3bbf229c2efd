"""``relance export [filters] [--format csv|json|xapi] [-o FILE]``: many sessions at once.

CSV (the default) is one row per session with every criterion as a column, for a
trainer's spreadsheet; JSON is the list of full records; xAPI the statements of every
session, for a Learning Record Store. The helpers that write the output and parse the
format options are shared with ``relance report``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from simulator.commands._store import add_filters, open_store
from simulator.errors import RelanceError, UsageError

DELIMITERS = {";": ";", ",": ",", "tab": "\t", "\\t": "\t", "\t": "\t", "|": "|"}


def delimiter(text: str) -> str:
    try:
        return DELIMITERS[text]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"invalid delimiter {text!r} (use ';', ',', 'tab' or '|')"
        ) from None


def add_output_options(p: argparse.ArgumentParser) -> None:
    """Options every report and export share: output file, language, CSV, xAPI."""
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE ('-' for standard output)")
    p.add_argument("--lang", choices=["fr", "en"], help="labels' language (default: the call's)")
    csv_group = p.add_argument_group("CSV")
    csv_group.add_argument(
        "--delimiter",
        type=delimiter,
        default=";",
        metavar="CHAR",
        help="field separator: ';' (default, for a French Excel), ',', 'tab' or '|'",
    )
    csv_group.add_argument(
        "--decimal",
        choices=["comma", "point"],
        help="decimal separator (default: comma with ';', point otherwise)",
    )
    csv_group.add_argument(
        "--no-bom",
        action="store_true",
        help="no UTF-8 byte-order mark in the file (it is there so Excel reads UTF-8)",
    )
    xapi_group = p.add_argument_group("xAPI")
    xapi_group.add_argument(
        "--xapi-home-page",
        metavar="IRI",
        help="homePage of the learners' accounts (default: $RELANCE_XAPI_HOMEPAGE or "
        "https://relance.example)",
    )
    xapi_group.add_argument(
        "--xapi-base",
        metavar="IRI",
        help="prefix of activity and extension IRIs (default: $RELANCE_XAPI_BASE or "
        "https://relance.example)",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help="export sessions as CSV",
        description="Export recorded sessions: CSV (one row per session, one column per "
        "criterion), JSON (full records) or xAPI statements.",
    )
    p.add_argument("--format", choices=["csv", "json", "xapi"], default="csv")
    add_filters(p)
    add_output_options(p)
    p.set_defaults(func=run)


def xapi_options(args: argparse.Namespace) -> Any:
    from simulator.reports.xapi import XapiOptions

    return XapiOptions.from_env(args.xapi_home_page, args.xapi_base)


def render_text(fmt: str, reports: list[Any], args: argparse.Namespace) -> str:
    """CSV, JSON or xAPI text for these reports."""
    if fmt == "csv":
        from simulator.reports.csv import render_csv

        return render_csv(reports, delimiter=args.delimiter, decimal=args.decimal)
    if fmt == "json":
        from simulator.reports.jsonreport import render_json, render_json_list

        if getattr(args, "id", None) is not None:
            return render_json(reports[0])
        return render_json_list(reports)
    if fmt == "xapi":
        from simulator.reports.xapi import render_xapi

        return render_xapi(reports, xapi_options(args))
    raise UsageError(f"unknown format {fmt!r}")


def emit(data: str | bytes, output: str | None, *, bom: bool = False) -> Path | None:
    """Write to ``output`` (a file, or standard output for ``None``/``-``).

    Text is UTF-8; ``bom`` prefixes a byte-order mark, in files only. Returns the file.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output in (None, "-"):
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            buffer.write(raw)
            buffer.flush()
        else:  # pragma: no cover - a text-only stream
            sys.stdout.write(raw.decode("utf-8", "replace"))
        return None
    path = Path(output)
    if bom and isinstance(data, str):
        raw = b"\xef\xbb\xbf" + raw
    try:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(raw)
        tmp.replace(path)
    except OSError as exc:
        raise RelanceError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="check that the folder exists and is writable",
        ) from None
    return path


def run(args: argparse.Namespace) -> int:
    from simulator.reports.model import SessionReport

    if args.format == "xapi":
        xapi_options(args)  # bad IRIs fail before any work
    with open_store() as store:
        summaries = store.list_sessions(
            trainee=args.trainee, scenario=args.scenario, mode=args.mode, since=args.since
        )
        summaries.sort(key=lambda s: (s.started_at, s.id))  # oldest first: a progress sheet
        reports = [
            SessionReport.of(store.get(s.id), store.verify(s.id), args.lang) for s in summaries
        ]
    text = render_text(args.format, reports, args)
    path = emit(text, args.output, bom=args.format == "csv" and not args.no_bom)
    if path is not None:
        print(
            f"{len(reports)} session(s) → {path}",
            file=sys.stderr,
        )
    elif not reports:
        print("aucune session / no session matches", file=sys.stderr)
    return 0
