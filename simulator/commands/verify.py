"""``relance verify [ID|--all]``: recompute the seals and name anything altered."""

from __future__ import annotations

import argparse
import sys

from simulator.commands._store import open_store
from simulator.errors import UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("verify", help="check sealed sessions for tampering")
    p.add_argument("id", nargs="?", metavar="ID", help="one session")
    p.add_argument("--all", action="store_true", help="every sealed session")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.id and not args.all:
        raise UsageError("give a session ID or --all")
    with open_store() as store:
        if args.all:
            reports = [r for r in store.verify_all() if r.sealed]
        else:
            from simulator.commands.show import get_session

            get_session(store, args.id)
            reports = [store.verify(args.id)]
    bad = 0
    for report in reports:
        print(report.describe())
        if report.sealed and not report.ok:
            bad += 1
    if args.all:
        print(
            f"{len(reports)} session(s) scellée(s)/sealed, {bad} altérée(s)/altered",
            file=sys.stderr,
        )
    return 1 if bad else 0
