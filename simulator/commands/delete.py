"""``relance delete --trainee X [--yes]``: erase a person's sessions and recordings (GDPR)."""

from __future__ import annotations

import argparse
import sys

from simulator.commands._store import open_store
from simulator.errors import UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "delete",
        help="erase a trainee's sessions (GDPR)",
        description="Erase every session, turn, override, action plan and recording of a "
        "trainee (right to erasure).",
    )
    p.add_argument("--trainee", required=True, metavar="NAME")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_store() as store:
        sessions = store.list_sessions(trainee=args.trainee)
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError("confirmation needed", hint="add --yes to erase without asking")
            answer = input(
                f"Effacer définitivement {len(sessions)} session(s) de « {args.trainee} » ? "
                f"/ Erase {len(sessions)} session(s) for good? [o/y/N] "
            )
            if answer.strip().lower() not in ("o", "oui", "y", "yes"):
                print("annulé / cancelled")
                return 1
        report = store.delete_trainee(args.trainee)
    if report.nothing_found:
        print(f"rien à effacer pour « {args.trainee} » / nothing to erase")
        return 0
    print(
        f"effacé / erased « {report.trainee} »: {report.sessions} session(s), {report.turns} tour(s)/turns, "
        f"{report.overrides} correction(s)/overrides, {report.action_plans} plan(s) d'action, "
        f"{report.recordings} enregistrement(s)/recordings"
    )
    for problem in report.recording_errors:
        print(f"  ⚠ {problem}", file=sys.stderr)
    return 0 if not report.recording_errors else 1
