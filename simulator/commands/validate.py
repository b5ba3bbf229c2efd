"""``relance validate PATH...``: check scenario files, one line per problem."""

from __future__ import annotations

import argparse
import sys

from simulator.dialogue.loader import ScenarioLoadError, iter_scenario_files, load_scenario


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        help="check scenario files",
        description="Check scenario files (YAML, schema, graph, labels, conditions). "
        "Exit 0 when every file is valid, 1 otherwise.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print warnings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    files = iter_scenario_files(args.paths)
    if not files:
        print(f"relance: no .yaml file in {' '.join(args.paths)}", file=sys.stderr)
        return 1
    errors = warnings = bad_files = 0
    for path in files:
        try:
            loaded = load_scenario(path)
        except ScenarioLoadError as exc:
            bad_files += 1
            for problem in exc.problems:
                if problem.severity == "error":
                    errors += 1
                else:
                    warnings += 1
                if problem.severity == "error" or not args.quiet:
                    print(problem.format())
            continue
        warnings += len(loaded.warnings)
        if not args.quiet:
            for problem in loaded.warnings:
                print(problem.format())
    ok = len(files) - bad_files
    print(
        f"{len(files)} scénario(s): {ok} valide(s), {errors} erreur(s), {warnings} avertissement(s)"
        f" / {ok} valid, {errors} error(s), {warnings} warning(s)",
        file=sys.stderr,
    )
    return 1 if bad_files else 0
