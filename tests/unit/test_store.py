"""The SQLite session store on a real file: recording, listing, crashes, erasure."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from simulator import locations
from simulator.errors import StoreError
from simulator.store import SessionStore, SqliteStore, TurnRecord, open_store
from simulator.store.model import ID_ALPHABET, ID_LENGTH, normalize_session_id

ROOT = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


class FrozenClock:
    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def store() -> Any:
    with open_store(clock=FrozenClock()) as opened:
        yield opened


def new_session(store: SessionStore, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "trainee": "Claire Martin",
        "mode": "practice",
        "scenario_id": "oubli-changement-comptable",
        "scenario_title": "Oubli après changement de comptable",
        "scenario_hash": "sha256:abc",
        "lang": "fr",
        "seed": 7,
        "call_date": dt.date(2026, 11, 25),
    }
    values.update(overrides)
    return store.create_session(**values)


def debtor(index: int, text: str = "Allô, Garage Lefort, j'écoute ?", **extra: Any) -> TurnRecord:
    fields: dict[str, Any] = {
        "node": "decroche",
        "variant": "a",
        "tags": ["resistance"],
        "mood": {"anger": 2, "trust": 5, "patience": 6},
        "at_ms": 1200 * index,
    }
    fields.update(extra)
    return TurnRecord(index, "debtor", text, **fields)


def trainee(index: int, text: str = "Bonjour Monsieur Lefort.", **extra: Any) -> TurnRecord:
    fields: dict[str, Any] = {
        "acts": [{"label": "greeting", "span": {"start": 0, "end": 7}, "confidence": 0.95}],
        "entities": [],
        "wording": [],
        "register": "vous",
        "engine_ms": 0.21,
    }
    fields.update(extra)
    return TurnRecord(index, "trainee", text, **fields)


# -- opening ---------------------------------------------------------------------------


def test_default_store_lives_in_the_data_dir_in_wal_mode(store: SqliteStore) -> None:
    assert isinstance(store, SessionStore)
    assert store.path == locations.database_file()
    assert store.recordings_dir == locations.recordings_dir()
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_open_store_accepts_paths_and_sqlite_urls(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db") as a:
        assert a.location == str(tmp_path / "a.db")
        assert a.recordings_dir == tmp_path / "recordings"
    with open_store(f"sqlite://{tmp_path / 'b.db'}") as b:
        assert b.location == str(tmp_path / "b.db")
    with open_store(":memory:") as memory:
        session = new_session(memory)
        memory.append_turn(session.id, debtor(0))
        assert memory.get(session.id).turns[0].text.startswith("Allô")


@pytest.mark.parametrize(
    ("url", "message"),
    [("postgresql://host/relance", "not supported yet"), ("ftp://x/y", "unknown session store")],
)
def test_open_store_refuses_other_urls(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        open_store(url)
    assert caught.value.hint


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "sessions.db"
    bad.write_bytes(b"this is not sqlite at all, just some text" * 100)
    with pytest.raises(StoreError, match="could not open") as caught:
        open_store(bad)
    assert "damaged" in caught.value.hint


# -- recording a call ------------------------------------------------------------------


def test_session_ids_are_short_and_typable(store: SqliteStore) -> None:
    session = new_session(store)
    assert len(session.id) == ID_LENGTH
    assert set(session.id) <= set(ID_ALPHABET)
    typed = "-".join((session.id[:4], session.id[4:])).lower()
    assert store.get(typed).id == session.id
    assert normalize_session_id(" ab0o-1il ") == "AB00111"


def test_create_session_records_everything(store: SqliteStore) -> None:
    session = new_session(
        store,
        trainee="  Claire   Martin ",
        mode="assessment",
        assessor="Jean Dupuis",
        rubric_id="default",
        rubric_version="3",
        rubric_hash="sha256:r",
        started_at=T0,
        snapshot={"node": "decroche"},
    )
    got = store.get(session.id)
    assert got == session
    assert got.trainee == "Claire Martin"
    assert (got.mode, got.assessor, got.status) == ("assessment", "Jean Dupuis", "in_progress")
    assert (got.rubric_id, got.rubric_version, got.rubric_hash) == ("default", "3", "sha256:r")
    assert got.started_at == T0
    assert got.call_date == dt.date(2026, 11, 25)
    assert got.snapshot == {"node": "decroche"}
    assert got.turns == () and got.card is None and got.seal is None


def test_turns_round_trip_with_every_field(store: SqliteStore) -> None:
    session = new_session(store)
    first = store.append_turn(session.id, debtor(0, audio="x/000.wav"), {"turn": 0})
    second = store.append_turn(session.id, trainee(1), {"turn": 1})
    third = store.append_turn(session.id, TurnRecord(2, "trainee", "Euh…"))  # not analysed
    got = store.get(session.id)
    assert got.turns == (first, second, third)
    assert got.turns[0].mood == {"anger": 2, "trust": 5, "patience": 6}
    assert got.turns[0].tags == ("resistance",)
    assert got.turns[0].audio == "x/000.wav"
    assert got.turns[1].acts is not None and got.turns[1].acts[0]["label"] == "greeting"
    assert got.turns[1].entities == ()  # analysed, nothing found …
    assert got.turns[2].acts is None  # … is not the same as not analysed
    assert got.turns[1].engine_ms == 0.21
    assert all(t.recorded_at is not None for t in got.turns)
    assert got.snapshot == {"turn": 1}  # no snapshot with the third turn: the last one kept
    assert got.transcript()["turns"][1]["acts"][0]["label"] == "greeting"
    assert TurnRecord.from_transcript(second.to_transcript()) == dataclass_without_time(second)


def dataclass_without_time(turn: TurnRecord) -> TurnRecord:
    import dataclasses

    return dataclasses.replace(turn, recorded_at=None)


def test_turns_must_come_in_order(store: SqliteStore) -> None:
    session = new_session(store)
    store.append_turn(session.id, debtor(0))
    with pytest.raises(StoreError, match="out of order: the next turn is 1"):
        store.append_turn(session.id, trainee(2))
    with pytest.raises(StoreError, match="out of order"):
        store.append_turn(session.id, trainee(0))
    assert len(store.get(session.id).turns) == 1


def test_bad_input_is_refused_with_a_message(store: SqliteStore) -> None:
    with pytest.raises(StoreError, match="trainee"):
        new_session(store, trainee="   ")
    with pytest.raises(StoreError, match="unknown session mode"):
        new_session(store, mode="exam")
    session = new_session(store)
    with pytest.raises(StoreError, match="cannot be saved as JSON"):
        store.append_turn(session.id, debtor(0), {"when": dt.date(2026, 1, 1)})
    assert store.get(session.id).turns == ()  # the turn went with its snapshot
    with pytest.raises(StoreError, match="unknown outcome"):
        store.finish_session(session.id, "won")
    with pytest.raises(StoreError, match="no session ZZZZZZZZ"):
        store.get("zzzzzzzz")


def test_finish_session_saves_outcome_card_and_score(store: SqliteStore) -> None:
    session = new_session(store)
    store.append_turn(session.id, debtor(0))
    end = T0 + dt.timedelta(minutes=5)
    store.finish_session(session.id, "promise", {"criteria": {"phases": 3}}, end, score=14.5)
    got = store.get(session.id)
    assert (got.status, got.outcome, got.ended_at, got.score) == ("finished", "promise", end, 14.5)
    assert got.card == {"criteria": {"phases": 3}}
    with pytest.raises(StoreError, match="finished"):
        store.append_turn(session.id, trainee(1))
    with pytest.raises(StoreError, match="already finished"):
        store.finish_session(session.id, "promise")
    store.save_card(session.id, {"criteria": {"phases": 4}}, score=15.0)
    assert store.get(session.id).card == {"criteria": {"phases": 4}}


def test_a_store_is_usable_from_worker_threads(store: SqliteStore) -> None:
    sessions = [new_session(store, trainee=f"T{i}") for i in range(4)]

    def record(session_id: str) -> None:
        for index in range(20):
            store.append_turn(session_id, trainee(index), {"i": index})

    threads = [threading.Thread(target=record, args=(s.id,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [len(store.get(s.id).turns) for s in sessions] == [20] * 4


def test_batch_is_all_or_nothing(store: SqliteStore) -> None:
    with pytest.raises(RuntimeError), store.batch():
        new_session(store, trainee="Ghost")
        raise RuntimeError("boom")
    assert store.list_sessions(trainee="Ghost") == []
    with store.batch():
        session = new_session(store, trainee="Kept")
        store.append_turn(session.id, debtor(0))
        store.finish_session(session.id, "refusal")
    assert store.get(session.id).status == "finished"


# -- listing ---------------------------------------------------------------------------


def test_list_sessions_filters_and_orders_newest_first(store: SqliteStore) -> None:
    day = dt.timedelta(days=1)
    a = new_session(store, trainee="Claire Martin", started_at=T0)
    b = new_session(store, trainee="Bob", scenario_id="litige", started_at=T0 + day)
    c = new_session(store, trainee="Claire Martin", mode="assessment", started_at=T0 + 2 * day)
    d = new_session(store, trainee="Claire Martin", scenario_id="litige", started_at=T0 + 3 * day)
    store.append_turn(a.id, debtor(0))
    store.append_turn(a.id, trainee(1))
    store.finish_session(a.id, "promise", {"x": 1}, score=12.0)

    def ids(**filters: Any) -> list[str]:
        return [s.id for s in store.list_sessions(**filters)]

    assert ids() == [d.id, c.id, b.id, a.id]
    assert ids(trainee="claire  martin".title()) == [d.id, c.id, a.id]
    assert ids(scenario="litige") == [d.id, b.id]
    assert ids(mode="assessment") == [c.id]
    assert ids(since=T0 + day) == [d.id, c.id, b.id]
    assert ids(since=(T0 + 2 * day).date()) == [d.id, c.id]
    assert ids(trainee="Claire Martin", scenario="litige") == [d.id]
    assert ids(limit=2) == [d.id, c.id]
    assert ids(status="finished") == [a.id]
    assert ids(trainee="Nobody") == []
    summary = store.list_sessions(trainee="Claire Martin")[-1]
    assert (summary.turn_count, summary.outcome, summary.score) == (2, "promise", 12.0)
    assert summary.sealed is False and summary.status == "finished"
    assert store.trainees() == ["Bob", "Claire Martin"]


def test_listing_uses_indexes(store: SqliteStore) -> None:
    queries = {
        "trainee = ?": "sessions_by_trainee",
        "scenario_id = ?": "sessions_by_scenario",
        "mode = ?": "sessions_by_mode",
        "started_at >= ?": "sessions_by_start",
    }
    for where, index in queries.items():
        plan = store._conn.execute(
            f"EXPLAIN QUERY PLAN SELECT id FROM sessions WHERE {where}"
            " ORDER BY started_at DESC, rowid DESC",
            ("x",),
        ).fetchall()
        text = " ".join(str(row["detail"]) for row in plan)
        assert index in text, text
        assert "TEMP B-TREE" not in text, text


# -- crashes and interrupted calls -----------------------------------------------------


def test_a_live_call_in_another_store_is_not_interrupted(store: SqliteStore) -> None:
    session = new_session(store)
    store.append_turn(session.id, debtor(0), {"turn": 0})
    with open_store() as other:  # a second process, say `relance sessions`
        assert other.interrupted_sessions() == []
        assert other.get(session.id).status == "in_progress"
        with pytest.raises(StoreError, match="another Relance process"):
            other.append_turn(session.id, trainee(1))
        with pytest.raises(StoreError, match="another Relance process"):
            other.finish_session(session.id, None)
        with pytest.raises(StoreError, match="another Relance process"):
            other.resume_session(session.id)
        with pytest.raises(StoreError, match="call in progress"):
            other.delete_trainee("Claire Martin")
        store.close()  # the trainer quits mid-call
        left = other.interrupted_sessions(trainee="Claire Martin")
        assert [s.id for s in left] == [session.id]
        assert left[0].status == "interrupted"
        assert other.interrupted_sessions(trainee="Bob") == []
        with pytest.raises(StoreError, match="interrupted") as caught:
            other.append_turn(session.id, trainee(1))
        assert "resume" in caught.value.hint
        resumed = other.resume_session(session.id)
        assert resumed.status == "in_progress" and resumed.snapshot == {"turn": 0}
        other.append_turn(session.id, trainee(1), {"turn": 1})
        other.finish_session(session.id, "callback", status="abandoned")
        assert other.get(session.id).status == "abandoned"
        assert other.interrupted_sessions() == []


def test_an_interrupted_call_can_be_closed_and_scored_as_it_stands(store: SqliteStore) -> None:
    session = new_session(store)
    store.append_turn(session.id, debtor(0))
    store.close()
    with open_store() as again:
        assert again.get(session.id).status == "interrupted"
        assert again.get(session.id).resumable
        again.finish_session(session.id, "abandoned", {"total": 3}, score=3.0)
        got = again.get(session.id)
        assert (got.status, got.outcome, got.card) == ("finished", "abandoned", {"total": 3})


CHILD = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from simulator.store import TurnRecord, open_store

    store = open_store()
    session = store.create_session(
        trainee="Claire Martin", mode="practice", scenario_id="s", scenario_title="S",
        scenario_hash="sha256:0", lang="fr", seed=1, call_date=dt.date(2026, 11, 25),
    )
    print("session", session.id, flush=True)
    for index in range(100_000):
        speaker = "debtor" if index % 2 == 0 else "trainee"
        turn = TurnRecord(index, speaker, f"réplique {index}", mood={"anger": index % 10})
        store.append_turn(session.id, turn, {"turn": index})
        print("ack", index, flush=True)
        time.sleep(0.002)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_kill_9_mid_call_loses_no_acknowledged_turn(relance_home: Path) -> None:
    env = {**os.environ, "RELANCE_HOME": str(relance_home), "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert child.stdout is not None
    header = child.stdout.readline().split()
    assert header[0] == "session", header
    session_id = header[1]
    acked = -1
    try:
        while acked < 25:
            line = child.stdout.readline()
            assert line, "the child died on its own"
            acked = int(line.split()[1])
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        rest = child.stdout.read()  # lines printed before the kill are acknowledged too
    finally:
        if child.poll() is None:
            child.kill()
    for line in rest.splitlines():
        if line.startswith("ack "):
            acked = int(line.split()[1])
    assert child.returncode == -signal.SIGKILL

    with open_store() as store:
        interrupted = store.interrupted_sessions()
        assert [s.id for s in interrupted] == [session_id]
        session = store.get(session_id)
        assert session.status == "interrupted"
        # Every acknowledged turn is there; at most one more (committed, not yet printed).
        assert acked + 1 <= len(session.turns) <= acked + 2
        assert [t.text for t in session.turns] == [
            f"réplique {i}" for i in range(len(session.turns))
        ]
        assert session.snapshot == {"turn": len(session.turns) - 1}
        resumed = store.resume_session(session_id)
        store.append_turn(session_id, trainee(len(resumed.turns)), {"turn": "resumed"})
        store.finish_session(session_id, "hang_up")
    conn = sqlite3.connect(locations.database_file())
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


# -- trainees: action plans and erasure ------------------------------------------------


def test_action_plans_keep_the_latest_per_trainee(store: SqliteStore) -> None:
    assert store.current_action_plan("Claire Martin") is None
    session = new_session(store)
    store.save_action_plan("Claire Martin", ["Reformuler l'objection"], author="Jean")
    plan = store.save_action_plan(
        "Claire  Martin", [" Verrouiller  la date ", "Annoncer l'objet"], session_id=session.id
    )
    assert plan.goals == ("Verrouiller la date", "Annoncer l'objet")
    assert store.current_action_plan("Claire Martin") == plan
    assert store.current_action_plan("Bob") is None
    with pytest.raises(StoreError, match="goal is empty"):
        store.save_action_plan("Claire Martin", ["ok", "  "])
    with pytest.raises(StoreError, match="no session"):
        store.save_action_plan("Claire Martin", ["ok"], session_id="ZZZZZZZZ")


def test_delete_trainee_erases_rows_and_recordings(store: SqliteStore) -> None:
    claire = [new_session(store) for _ in range(2)]
    bob = new_session(store, trainee="Bob")
    for session in (*claire, bob):
        for index in range(3):
            path = store.recording_path(session.id, index)
            path.write_bytes(b"RIFF....")
            store.append_turn(session.id, debtor(index, audio=str(path)))  # made relative
        store.finish_session(session.id, "promise", {"total": 10})
    store.recording_path(claire[0].id, 9, ".txt").write_text("stray")  # not referenced
    store.add_override(claire[0].id, "phases", 3, "Bonne découverte", "Jean")
    store.add_override(claire[1].id, "promise", 2, "Date floue", "Jean")
    store.seal(claire[1].id, "Jean")  # erasure overrides the seal
    store.save_action_plan("Claire Martin", ["Conclure"])
    store.save_action_plan("Bob", ["Écouter"])
    assert store.get(claire[0].id).turns[1].audio == f"{claire[0].id}/001.wav"

    report = store.delete_trainee("claire martin".title())
    assert report.trainee == "Claire Martin"
    assert (report.sessions, report.turns, report.overrides, report.action_plans) == (2, 6, 2, 1)
    assert report.recordings == 2 * 3 + 1  # every file of both sessions, the stray one too
    assert report.recording_errors == ()
    assert not report.nothing_found
    for session in claire:
        assert not (store.recordings_dir / session.id).exists()
        with pytest.raises(StoreError, match="no session"):
            store.get(session.id)
    assert store.list_sessions(trainee="Claire Martin") == []
    assert store.current_action_plan("Claire Martin") is None
    assert store.get(bob.id).turns[1].audio == f"{bob.id}/001.wav"
    assert len(list((store.recordings_dir / bob.id).iterdir())) == 3
    assert store.current_action_plan("Bob") is not None
    assert store.trainees() == ["Bob"]
    raw = sqlite3.connect(store.location)
    gone = (claire[0].id, claire[1].id)
    for table in ("turns", "overrides", "seal_items"):
        sql = f"SELECT count(*) FROM {table} WHERE session_id IN (?, ?)"
        assert raw.execute(sql, gone).fetchone()[0] == 0, table
    for table in ("sessions", "action_plans"):
        sql = f"SELECT count(*) FROM {table} WHERE trainee = 'Claire Martin'"
        assert raw.execute(sql).fetchone()[0] == 0, table
    raw.close()
    # secure_delete + WAL truncation: the name is gone from the bytes on disk as well.
    files = [Path(store.location), Path(store.location + "-wal")]
    assert all(b"Claire Martin" not in f.read_bytes() for f in files if f.exists())
    assert store.delete_trainee("Claire Martin").nothing_found


def test_delete_trainee_leaves_files_outside_the_recordings_dir(
    store: SqliteStore, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.wav"
    outside.write_bytes(b"RIFF")
    session = new_session(store)
    store.append_turn(session.id, debtor(0, audio=str(outside)))
    store.append_turn(session.id, trainee(1, audio="../../escape.wav"))
    store.finish_session(session.id, None)
    assert store.get(session.id).turns[0].audio == str(outside)  # kept absolute
    report = store.delete_trainee("Claire Martin")
    assert report.sessions == 1 and report.recordings == 0
    assert len(report.recording_errors) == 2
    assert all("outside" in error for error in report.recording_errors)
    assert outside.exists()


# -- boundaries --------------------------------------------------------------------------


def test_the_store_never_imports_the_ui_or_audio() -> None:
    code = (
        "import sys, simulator.store, simulator.store.sqlite, simulator.store.seal\n"
        "bad = [m for m in ('textual', 'vosk', 'pyttsx3', 'sounddevice') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
