"""Helpers shared by the session commands: open the store, parse filters, print tables."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from typing import Any


def open_store() -> Any:
    from simulator.store import open_store as _open

    return _open()


def add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trainee", metavar="NAME", help="only this trainee")
    p.add_argument("--scenario", metavar="ID", help="only this scenario")
    p.add_argument("--mode", choices=["practice", "assessment", "classroom"], help="only this mode")
    p.add_argument(
        "--since", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="started on or after"
    )


def table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


STATUS = {
    "in_progress": "en cours / in progress",
    "interrupted": "INTERROMPUE / INTERRUPTED",
    "finished": "terminée / finished",
    "abandoned": "abandonnée / abandoned",
}
