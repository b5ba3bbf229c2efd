"""``relance sessions [filters] [--json]``: the recorded sessions, newest first."""

from __future__ import annotations

import argparse
import json
import sys

from simulator.commands._store import STATUS, add_filters, open_store, table


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sessions", help="list recorded sessions")
    add_filters(p)
    p.add_argument("--limit", type=int, help="at most this many")
    p.add_argument("--json", action="store_true", help="a JSON list")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_store() as store:
        rows = store.list_sessions(
            trainee=args.trainee,
            scenario=args.scenario,
            mode=args.mode,
            since=args.since,
            limit=args.limit,
        )
    if args.json:
        data = [
            {
                "id": s.id,
                "trainee": s.trainee,
                "mode": s.mode,
                "assessor": s.assessor,
                "scenario": s.scenario_id,
                "title": s.scenario_title,
                "lang": s.lang,
                "started_at": s.started_at.isoformat(),
                "ended_at": s.ended_at.isoformat() if s.ended_at else None,
                "status": s.status,
                "interrupted": s.status == "interrupted",
                "outcome": s.outcome,
                "score": s.score,
                "turns": s.turn_count,
                "sealed": s.sealed,
            }
            for s in rows
        ]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("aucune session / no session", file=sys.stderr)
        return 0
    body = [
        (
            s.id,
            s.started_at.strftime("%Y-%m-%d %H:%M"),
            s.trainee,
            s.mode,
            s.scenario_id,
            s.outcome or "—",
            f"{s.score:.0f}" if s.score is not None else "—",
            STATUS.get(s.status, s.status) + (" 🔒" if s.sealed else ""),
        )
        for s in rows
    ]
    headers = (
        "id",
        "date",
        "stagiaire/trainee",
        "mode",
        "scénario",
        "issue/outcome",
        "score",
        "état/status",
    )
    sys.stdout.write(table(headers, body))
    return 0
