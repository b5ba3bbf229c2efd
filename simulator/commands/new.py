"""``relance new --profile PROFILE --lang fr|en ID``: scaffold a valid scenario."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from simulator.errors import UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "new",
        help="scaffold a new scenario",
        description="Write a valid starting scenario for a persona profile.",
    )
    p.add_argument("id", metavar="ID", help="scenario id (also the file name)")
    p.add_argument("--profile", required=True, help="forgetful, bad_faith, aggressive, …")
    p.add_argument("--lang", choices=["fr", "en"], default="fr")
    p.add_argument("-o", "--output", metavar="FILE", help="default: scenarios/ID.yaml")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from simulator.dialogue.loader import ScenarioLoadError, load_scenario
    from simulator.locations import bundled_scenarios_dir
    from simulator.scaffold import build, render

    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,63}", args.id):
        raise UsageError(
            f"invalid id '{args.id}'", hint="lower-case letters, digits, '-', '_' or '.'"
        )
    out = Path(args.output) if args.output else bundled_scenarios_dir() / f"{args.id}.yaml"
    if out.exists() and not args.force:
        raise UsageError(f"{out} already exists", hint="choose another id, or add --force")
    text = render(build(args.profile, args.lang, args.id))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    try:
        load_scenario(out)
    except ScenarioLoadError as exc:  # a bug in the scaffold: say so plainly
        out.unlink()
        raise UsageError("the scaffold did not validate: " + str(exc)) from None
    print(f"{out}", file=sys.stdout)
    print(
        f"écrit / written: {out}\n  next: edit it, then `relance validate {out}` and "
        f"`relance graph {out}`",
        file=sys.stderr,
    )
    return 0
