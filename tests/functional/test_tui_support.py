"""Shared helpers of the TUI tests: a small library, a frozen clock, a keyword analyzer."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from scoring.types import Act, Analysis, Span

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "fr-oubli-changement-comptable.yaml"
FROZEN = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


def frozen_clock() -> dt.datetime:
    return FROZEN


def stepping_clock(
    start: dt.datetime = FROZEN, step: dt.timedelta = dt.timedelta(days=1)
) -> Callable[[], dt.datetime]:
    """A clock that moves on by ``step`` at each call (sessions on different days)."""
    state = {"now": start}

    def now() -> dt.datetime:
        value = state["now"]
        state["now"] = value + step
        return value

    return now


def make_library(root: Path, *, broken: bool = False) -> Path:
    """The complete library scenario, plus variants for the filters (English, B2C, …)."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy(BASE, root / BASE.name)
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    variants = [
        {
            "id": "en-test-direct-debit",
            "lang": "en",
            "title": "Harper Gym — the forgotten direct debit",
            "level": "expert",
            "profile": "vulnerable",
            "segment": "b2c",
        },
        {
            "id": "fr-test-portail",
            "lang": "fr",
            "title": "Hexa Distribution — la facture bloquée au portail",
            "level": "confirmé",
            "profile": "blocked_payables",
            "segment": "b2b",
        },
    ]
    for v in variants:
        d = copy.deepcopy(data)
        d["id"], d["lang"], d["title"], d["level"] = v["id"], v["lang"], v["title"], v["level"]
        d["persona"]["profile"] = v["profile"]
        d["account"]["segment"] = v["segment"]
        (root / f"{v['id']}.yaml").write_text(
            yaml.safe_dump(d, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    if broken:
        (root / "zz-en-cours.yaml").write_text(
            "format: relance/scenario@1\nid: [oops\n", encoding="utf-8"
        )
    return root


KEYWORDS = {
    "bonjour": "greeting",
    "nordis": "identification",
    "bien avec": "verify_interlocutor",
    "au sujet": "purpose",
    "1 380": "fact_reminder",
    "qu'est-ce": "open_question",
    "comprends": "empathy",
    "si je comprends bien": "reformulation",
    "propose": "proposal",
    "pour quelle date": "commitment_request",
    "récapitule": "summary",
    "par mail": "written_confirmation",
    "bonne journée": "closing",
}


def keyword_analyzer(
    text: str, lang: str, context: str | None = None, *, call_date: dt.date | None = None
) -> Analysis:
    """A deterministic stand-in for the analyzer, for snapshots that must not move."""
    lowered = text.lower()
    acts = tuple(
        Act(label, Span(0, len(text), text), 1.0)
        for key, label in KEYWORDS.items()
        if key in lowered
    )
    return Analysis(text, "fr" if lang == "fr" else "en", acts)


def hint_replies(loaded: Any, analyzer: Any, seed: int = 0, limit: int = 30) -> Iterator[str]:
    """The node hints (model phrases) played from the start until the call ends."""
    from simulator.dialogue.engine import Engine, State

    engine = Engine(loaded, analyzer, seed=seed)
    engine.start()
    for _ in range(limit):
        if engine.state is State.FINISHED:
            return
        reply = engine.node.hint or "Je vous le confirme par mail. Merci, bonne journée !"
        yield reply
        engine.reply(reply)


def sync(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run an ``async def`` test with asyncio (no pytest-asyncio in the dev tools)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def app_for(
    library: Path,
    store: Any,
    *,
    analyzer: Any = keyword_analyzer,
    learner: str = "Claire Martin",
    **kw: Any,
) -> Any:
    """The trainer on a test library, in French, with a frozen clock and a fixed seed."""
    from simulator.config import Settings
    from simulator.tui.app import make_app

    return make_app(
        settings=Settings(learner=learner, language="fr"),
        store=store,
        analyzer=analyzer,
        clock=frozen_clock,
        library_dir=library,
        seed=0,
        **kw,
    )


async def until(pilot: Any, predicate: Any, timeout: float = 15.0) -> None:
    """Let workers run until ``predicate()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out on {pilot.app.screen!r}")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.02)


def screen_name(app: Any) -> str:
    return type(app.screen).__name__


async def say(pilot: Any, text: str) -> None:
    """Type a reply in the call screen and wait for the debtor's answer."""
    from simulator.tui.widgets.reply_box import ReplyBox

    screen = pilot.app.screen
    box = screen.query_one(ReplyBox)
    box.value = text
    box.focus()
    before = len(screen.turns)
    await pilot.press("enter")
    await until(pilot, lambda: len(screen.turns) >= before + 2)
