"""``relance`` (or ``relance tui``): open the terminal trainer."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "tui",
        help="open the trainer (default)",
        description="Open the terminal trainer: scenarios, calls, debriefs, history.",
    )
    p.add_argument("--lang", choices=["fr", "en"], help="language of the interface (this run)")
    p.add_argument("--seed", type=int, help="seed for the debtor's line variants")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from simulator.tui.app import make_app

    app = make_app(seed=args.seed)
    if args.lang:
        from simulator.tui import i18n

        app.settings.language = args.lang
        i18n.set_language(args.lang)
    app.run()
    return app.return_code or 0
