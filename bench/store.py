"""Session store benchmark: durable turn commits and listing 10 000 sessions.

Run ``python bench/store.py``. Works in a temporary directory (never the user's data).
Each turn is its own transaction with ``synchronous=FULL``, so the first figure is the
price of "every turn is on disk when append_turn returns" on this machine's disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.store import SessionStore, TurnRecord, open_store

APPEND_TARGET_MS = 2.0
LIST_TARGET_MS = 200.0
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
R = TypeVar("R")


def session_args(i: int) -> dict[str, Any]:
    return {
        "trainee": f"Trainee {i % 250:03d}",
        "mode": ("practice", "assessment", "classroom")[i % 3],
        "scenario_id": f"scenario-{i % 40:02d}",
        "scenario_title": f"Scénario {i % 40}",
        "scenario_hash": "sha256:" + "0" * 64,
        "lang": "fr",
        "seed": i,
        "call_date": (T0 + dt.timedelta(hours=i)).date(),
        "started_at": T0 + dt.timedelta(hours=i),
    }


def turn(index: int) -> TurnRecord:
    if index % 2 == 0:
        return TurnRecord(
            index,
            "debtor",
            "Écoutez, je vous l'ai déjà dit, la facture est partie chez le comptable.",
            node=f"node-{index}",
            variant="b",
            tags=["resistance"],
            mood={"anger": 4, "trust": 3, "patience": 5},
            at_ms=index * 4000,
        )
    return TurnRecord(
        index,
        "trainee",
        "Je comprends. Pouvez-vous régler 400 € vendredi par virement ?",
        acts=[
            {
                "label": "empathy",
                "span": {"start": 0, "end": 13, "text": "Je comprends."},
                "confidence": 0.9,
            },
            {
                "label": "proposal",
                "span": {"start": 14, "end": 60, "text": "…"},
                "confidence": 0.85,
            },
        ],
        entities=[{"kind": "amount", "value": 400.0, "currency": "EUR", "span": {}}],
        wording=[],
        register="vous",
        engine_ms=0.3,
        at_ms=index * 4000,
    )


def snapshot(index: int) -> dict[str, Any]:
    """About the size of a dialogue engine save state (~1.5 KB)."""
    return {
        "format": "relance/engine-state@1",
        "node": f"node-{index}",
        "turn": index,
        "mood": {"anger": 4, "trust": 3, "patience": 5},
        "facts": {f"fact_{k}": k * 1.5 for k in range(20)},
        "history": [f"node-{k}" for k in range(index)][-40:],
        "rng": list(range(30)),
    }


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_append(store: SessionStore, turns: int) -> list[float]:
    session = store.create_session(**session_args(0))
    times: list[float] = []
    for index in range(turns):
        record, state = turn(index), snapshot(index)
        start = time.perf_counter()
        store.append_turn(session.id, record, state)
        times.append((time.perf_counter() - start) * 1000)
    store.finish_session(session.id, "promise")
    return times


def populate(store: SessionStore, sessions: int, turns_each: int) -> None:
    for first in range(0, sessions, 1000):
        with store.batch():
            for i in range(first, min(sessions, first + 1000)):
                session = store.create_session(**session_args(i))
                for index in range(turns_each):
                    last = index == turns_each - 1
                    store.append_turn(session.id, turn(index), snapshot(index) if last else None)
                store.finish_session(
                    session.id, "promise", {"total": i % 20}, session_args(i)["started_at"]
                )


def timed(action: Callable[[], R], runs: int = 7) -> tuple[float, R]:
    """Median milliseconds over ``runs`` calls, and the last result."""
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1000, help="turns appended (default 1000)")
    parser.add_argument("--sessions", type=int, default=10_000, help="sessions listed")
    parser.add_argument("--turns-each", type=int, default=6, help="turns per listed session")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="relance-bench-") as tmp:
        db = Path(tmp) / "sessions.db"
        with open_store(db) as store:
            times = bench_append(store, args.turns)
        p50, p95 = percentile(times, 0.50), percentile(times, 0.95)
        ok_append = p95 < APPEND_TARGET_MS
        print(f"append_turn, durable commit (WAL, synchronous=FULL), {args.turns} turns:")
        print(
            f"  p50 {p50:.3f} ms   p95 {p95:.3f} ms   max {max(times):.3f} ms"
            f"   target p95 < {APPEND_TARGET_MS:.0f} ms   {'OK' if ok_append else 'MISSED'}"
        )

        start = time.perf_counter()
        with open_store(db) as store:
            populate(store, args.sessions - 1, args.turns_each)
        fill = time.perf_counter() - start
        with open_store(db) as store:
            list_ms, rows = timed(lambda: store.list_sessions())
            count = len(rows)
            trainee_ms, _ = timed(lambda: store.list_sessions(trainee="Trainee 007"))
            recent_ms, _ = timed(lambda: store.list_sessions(limit=20))
            since_ms, _ = timed(
                lambda: store.list_sessions(since=T0 + dt.timedelta(hours=args.sessions - 500))
            )
            get_ms, _ = timed(lambda: store.get(rows[len(rows) // 2].id))
        start = time.perf_counter()
        open_store(db).close()
        open_ms = (time.perf_counter() - start) * 1000
        ok_list = list_ms < LIST_TARGET_MS
        size = db.stat().st_size / 1e6
        print(
            f"list_sessions() over {count} sessions ({args.turns_each} turns each,"
            f" {size:.1f} MB, filled in {fill:.1f} s):"
        )
        print(
            f"  all {list_ms:.1f} ms   target < {LIST_TARGET_MS:.0f} ms"
            f"   {'OK' if ok_list else 'MISSED'}"
        )
        print(
            f"  one trainee {trainee_ms:.2f} ms   newest 20 {recent_ms:.2f} ms"
            f"   last 500 by date {since_ms:.2f} ms"
        )
        print(f"get() with {args.turns_each} turns {get_ms:.2f} ms   open + sweep {open_ms:.1f} ms")
    return 1 if args.strict and not (ok_append and ok_list) else 0


if __name__ == "__main__":
    raise SystemExit(main())
