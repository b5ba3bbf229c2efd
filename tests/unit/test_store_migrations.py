"""Schema migrations: every earlier version opens with the current code, data intact."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from simulator.errors import StoreError
from simulator.store import SqliteStore, TurnRecord
from simulator.store import migrations as m
from simulator.store.migrations import LATEST, MIGRATIONS, Migration, current_version, migrate

#: A released step never changes: append a new one instead. Update this table only when
#: adding a step.
RELEASED = {1: "a3f3149067b2878e", 2: "3d658cce33cf7540", 3: "7d0226bb64c25463"}


def test_steps_are_numbered_in_order() -> None:
    assert [step.version for step in MIGRATIONS] == list(range(1, LATEST + 1))


def test_released_steps_are_never_edited() -> None:
    got = {step.version: step.checksum() for step in MIGRATIONS}
    assert got == RELEASED, "a released migration changed: add a new step instead"


def build(path: Path, version: int) -> None:
    """A database as Relance ``version`` left it, with data written by that version."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=version)
    assert current_version(conn) == version
    if version >= 1:
        conn.execute(
            "INSERT INTO sessions (id, trainee, mode, assessor, scenario_id, scenario_title,"
            " scenario_hash, lang, seed, call_date, started_at, ended_at, status, outcome,"
            " score, turn_count)"
            " VALUES ('PREV0001', 'Claire Martin', 'assessment', 'Jean', 'oubli', 'Oubli',"
            " 'sha256:a', 'fr', 7, '2026-11-25', '2026-11-25T09:00:00.000000+00:00',"
            " '2026-11-25T09:05:00.000000+00:00', 'finished', 'promise', 12.5, 2)"
        )
        conn.execute("INSERT INTO snapshots VALUES ('PREV0001', '{\"n\":1}')")
        conn.execute("INSERT INTO cards VALUES ('PREV0001', '{\"total\":12.5}')")
        conn.execute(
            "INSERT INTO sessions (id, trainee, mode, scenario_id, scenario_title,"
            " scenario_hash, lang, seed, call_date, started_at, status, turn_count)"
            " VALUES ('PREV0002', 'Bob', 'practice', 'oubli', 'Oubli', 'sha256:a', 'fr', 1,"
            " '2026-11-26', '2026-11-26T09:00:00.000000+00:00', 'in_progress', 1)"
        )
        turns = [
            ("PREV0001", 0, "debtor", "Allô ?", "decroche", "a", '["resistance"]', None),
            ("PREV0001", 1, "trainee", "Bonjour.", None, None, "[]", '[{"label":"greeting"}]'),
            ("PREV0002", 0, "debtor", "Oui ?", "decroche", "b", "[]", None),
        ]
        conn.executemany(
            "INSERT INTO turns (session_id, idx, speaker, text, node, variant, tags, acts,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2026-11-25T09:00:01.000000+00:00')",
            turns,
        )
        conn.execute(
            "INSERT INTO overrides VALUES ('PREV0001', 1, 'phases', 3.0, 'Bonne écoute',"
            " 'Jean', '2026-11-25T10:00:00.000000+00:00')"
        )
    if version >= 2:
        conn.execute(
            "INSERT INTO action_plans (trainee, goals, created_at)"
            " VALUES ('Claire Martin', '[\"Conclure\"]', '2026-11-25T10:00:00.000000+00:00')"
        )
    conn.close()


@pytest.mark.parametrize("version", range(LATEST))
def test_migrates_from_every_earlier_version(tmp_path: Path, version: int) -> None:
    db = tmp_path / "sessions.db"
    build(db, version)
    with SqliteStore(db) as store:
        assert current_version(store._conn) == LATEST
        if version >= 1:
            old = store.get("PREV0001")
            assert (old.trainee, old.mode, old.status, old.score) == (
                "Claire Martin",
                "assessment",
                "finished",
                12.5,
            )
            assert [t.text for t in old.turns] == ["Allô ?", "Bonjour."]
            assert old.turns[0].tags == ("resistance",)
            assert old.turns[1].acts == ({"label": "greeting"},)
            assert all(t.audio is None for t in old.turns)  # column added in v3
            assert old.overrides[0].justification == "Bonne écoute"
            assert old.card == {"total": 12.5} and old.snapshot == {"n": 1}
            # An old call left in progress is recognised as interrupted.
            assert [s.id for s in store.interrupted_sessions()] == ["PREV0002"]
            store.resume_session("PREV0002")
            store.append_turn("PREV0002", TurnRecord(1, "trainee", "Allô", audio="a/1.wav"))
            assert store.get("PREV0002").turns[1].audio == "a/1.wav"
            assert Path(f"{db}.v{version}.bak").exists()  # a copy before migrating
            seal = store.seal("PREV0001", "Jean")
            assert store.verify("PREV0001").ok and seal.hash
        plan = store.current_action_plan("Claire Martin")
        if version >= 2:
            assert plan is not None and plan.goals == ("Conclure",)
        else:
            assert plan is None
        store.save_action_plan("Bob", ["Écouter"])
        fresh = new_schema(tmp_path / "fresh.db")
        assert schema(store._conn) == fresh


def schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return sorted(
        (name, " ".join(sql.split()))
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        )
    )


def new_schema(path: Path) -> list[tuple[str, str]]:
    with SqliteStore(path) as store:
        return schema(store._conn)


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this Relance") as caught:
        SqliteStore(db)
    assert "upgrade" in caught.value.hint


def test_a_failing_step_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Migration(
        LATEST + 1,
        "broken",
        ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL"),
    )
    monkeypatch.setattr(m, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(m, "LATEST", LATEST + 1)
    conn = sqlite3.connect(tmp_path / "sessions.db", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, target=LATEST + 1)
    assert current_version(conn) == LATEST
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    conn.close()


def test_opening_twice_migrates_once(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    build(db, 1)
    with SqliteStore(db), SqliteStore(db) as second:
        assert current_version(second._conn) == LATEST
        assert second.get("PREV0001").call_date == dt.date(2026, 11, 25)
