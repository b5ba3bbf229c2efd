"""The ``relance`` command: parses arguments and hands over to one command module.

Each sub-command lives in ``simulator/commands/<name>.py`` and exposes ``register(sub)``
(adds its parser, sets ``func``). Modules are imported only when the command runs, so
``relance validate`` never pays for Textual and ``relance`` alone opens the trainer fast.
Every user-facing failure is a :class:`simulator.errors.RelanceError`: printed as one
clear message, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence

from simulator.errors import RelanceError

#: sub-command → (module, one-line help). Order is the order of ``relance --help``.
COMMANDS: dict[str, tuple[str, str]] = {
    "tui": ("simulator.commands.tui", "open the trainer (default)"),
    "run": ("simulator.commands.run", "play a scenario headless with replies from a file"),
    "validate": ("simulator.commands.validate", "check scenario files"),
    "schema": ("simulator.commands.schema", "print the scenario JSON Schema"),
    "scenarios": ("simulator.commands.scenarios", "list the scenario library"),
    "graph": ("simulator.commands.graph", "export a scenario's dialogue graph"),
    "new": ("simulator.commands.new", "scaffold a new scenario"),
    "analyze": ("simulator.commands.analyze", "analyse utterances read from stdin"),
    "score": ("simulator.commands.score", "score a transcript"),
    "sessions": ("simulator.commands.sessions", "list recorded sessions"),
    "show": ("simulator.commands.show", "print one recorded session"),
    "delete": ("simulator.commands.delete", "erase a trainee's sessions (GDPR)"),
    "assess": ("simulator.commands.assess", "run an assessed, sealed session"),
    "verify": ("simulator.commands.verify", "check sealed sessions for tampering"),
    "report": ("simulator.commands.report", "render a session report"),
    "export": ("simulator.commands.export", "export sessions as CSV"),
}


def _available() -> dict[str, tuple[str, str]]:
    """The commands whose module is present in this build."""
    out = {}
    for name, (module, help_) in COMMANDS.items():
        if importlib.util.find_spec(module) is not None:
            out[name] = (module, help_)
    return out


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relance",
        description="Relance — entraînement aux appels de recouvrement / debt-collection call trainer.",
    )
    parser.add_argument("--version", action="version", version="relance 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    available = _available()
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, (module, help_) in available.items():
        if name == wanted:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=help_, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list = ["tui", *args_list]
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except RelanceError as exc:
        print(f"relance: {exc.user_message()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("relance: interrompu / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
