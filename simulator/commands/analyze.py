"""``relance analyze``: utterances on stdin (one per line) → one JSON analysis per line.

A line may also be a JSON object ``{"text": …, "context": …, "lang": …}`` so that an
evaluation can pass the debtor's previous line along with each utterance.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "analyze",
        help="analyse utterances read from stdin",
        description="Read utterances from stdin, one per line (plain text, or a JSON object "
        'with "text" and optional "context" and "lang"); write one JSON object per line.',
    )
    p.add_argument("--lang", choices=["fr", "en"], default="fr")
    p.add_argument(
        "--call-date",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="date that relative dates are resolved against (default: today)",
    )
    p.add_argument("--context", help="the debtor's previous line, for every utterance")
    p.add_argument("--lexicon", action="append", default=[], metavar="FILE", help="extra lexicon")
    p.set_defaults(func=run)


def _request(line: str, args: argparse.Namespace) -> tuple[str, str, str | None]:
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            data: Any = json.loads(stripped)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            lang = str(data["lang"]) if data.get("lang") in ("fr", "en") else str(args.lang)
            context = data["context"] if isinstance(data.get("context"), str) else None
            return str(data["text"]), lang, context or args.context
    return line, args.lang, args.context


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scoring.analyzer import analyze

    lexicons = tuple(Path(p) for p in args.lexicon)
    out = sys.stdout
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        text, lang, context = _request(line.rstrip("\r\n"), args)
        analysis = analyze(text, lang, context, call_date=args.call_date, lexicon_paths=lexicons)
        record = analysis.to_json()
        record["labels"] = sorted(analysis.labels)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return 0
