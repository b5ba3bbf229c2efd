"""``relance scenarios [--json]``: the scenario library as a table."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("scenarios", help="list the scenario library")
    p.add_argument("--json", action="store_true", help="one JSON list of entries")
    p.add_argument("--lang", choices=["fr", "en"], help="only this language")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from simulator.library import catalogue

    entries = [e for e in catalogue() if not args.lang or e.lang == args.lang]
    if args.json:
        json.dump([e.to_json() for e in entries], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    headers = ("id", "lang", "niveau/level", "profil/profile", "min", "titre/title")
    rows = [(e.id, e.lang, e.level, e.profile, str(e.estimated_minutes), e.title) for e in entries]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    widths[-1] = len(headers[-1])
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(f"{len(entries)} scénario(s) / scenario(s)", file=sys.stderr)
    return 0
