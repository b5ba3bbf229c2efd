"""The SQLite session store: one file in the data directory, every turn durable.

WAL journal with ``synchronous=FULL``: each turn is its own transaction and is on disk
when :meth:`SqliteStore.append_turn` returns, so ``kill -9`` (or a power cut) loses at
most the turn being written. Foreign keys cascade a session's deletion to its turns,
overrides and seal; ``secure_delete`` overwrites erased rows (GDPR). One connection per
store, shared by threads under a lock. This is the only module that writes SQL.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import math
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from simulator.errors import StoreError
from simulator.store.leases import Leases
from simulator.store.migrations import LATEST, current_version, migrate
from simulator.store.model import (
    END_STATUSES,
    MODES,
    SESSION_OUTCOMES,
    SPEAKERS,
    STATUSES,
    ActionPlan,
    DeletionReport,
    EndStatus,
    Mode,
    Override,
    Seal,
    Session,
    SessionSummary,
    Speaker,
    Status,
    TurnRecord,
    VerifyReport,
    new_session_id,
    normalize_name,
    normalize_session_id,
)
from simulator.store.seal import SEAL_FORMAT, SealItem, StoredItem, canonical_json, chain, compare

Clock = Callable[[], dt.datetime]

_HEADER_COLUMNS = (
    "id",
    "trainee",
    "mode",
    "assessor",
    "scenario_id",
    "scenario_title",
    "scenario_hash",
    "lang",
    "seed",
    "call_date",
    "rubric_id",
    "rubric_version",
    "rubric_hash",
    "started_at",
    "ended_at",
    "status",
    "outcome",
    "score",
)
_SESSION_COLUMNS = ", ".join(
    (*_HEADER_COLUMNS, "turn_count", "sealed_by", "sealed_at", "seal_hash")
) + (
    ", (SELECT state FROM snapshots WHERE session_id = sessions.id) AS snapshot"
    ", (SELECT card FROM cards WHERE session_id = sessions.id) AS card"
)
_SAVE_SNAPSHOT = (
    "INSERT INTO snapshots (session_id, state) VALUES (?, ?)"
    " ON CONFLICT (session_id) DO UPDATE SET state = excluded.state"
)
_SAVE_CARD = (
    "INSERT INTO cards (session_id, card) VALUES (?, ?)"
    " ON CONFLICT (session_id) DO UPDATE SET card = excluded.card"
)
_SUMMARY_COLUMNS = (
    "id, trainee, mode, assessor, scenario_id, scenario_title, lang, started_at, ended_at, "
    "status, outcome, score, turn_count, seal_hash IS NOT NULL AS sealed"
)
_TURN_COLUMNS = (
    "idx, speaker, text, node, variant, tags, mood, acts, entities, wording, register, "
    "engine_ms, at_ms, audio, recorded_at"
)
_JSON_TURN_FIELDS = ("tags", "mood", "acts", "entities", "wording")
_OVERRIDE_COLUMNS = "number, criterion, score, justification, assessor, created_at"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _ts(value: dt.datetime) -> str:
    """Timestamps are stored in UTC, one fixed ISO 8601 shape, so they sort as text.

    A naive datetime is taken as local time.
    """
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _parse_ts(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _lenient(text: str | None) -> Any:
    """JSON as stored, for the seal: an unreadable edit hashes as its raw text."""
    try:
        return _loads(text)
    except ValueError:
        return text


def _dump(value: Any, what: str) -> str:
    try:
        return canonical_json(value)
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"the {what} cannot be saved as JSON: {exc}",
            hint="only dicts, lists, strings, finite numbers, booleans and null can be stored",
        ) from exc


def _dump_opt(value: Any, what: str) -> str | None:
    return None if value is None else _dump(value, what)


def _hint_for(exc: sqlite3.Error, location: str) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "another Relance process is writing to it; try again in a moment"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return f"check that {location} and its directory are writable"
    if "full" in text or "disk i/o" in text:
        return "check the free space on the disk"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"{location} is damaged: restore it from a backup"
    return ""


class SqliteStore:
    """:class:`simulator.store.base.SessionStore` on a SQLite file (or ``":memory:"``)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        recordings_dir: Path | None = None,
        clock: Clock | None = None,
        timeout: float = 5.0,
    ) -> None:
        memory = str(path) == ":memory:"
        self.path: Path | None = None if memory else Path(path).expanduser()
        self.location = str(self.path) if self.path is not None else ":memory:"
        if recordings_dir is None:
            if self.path is None:
                from simulator.locations import recordings_dir as default_recordings

                recordings_dir = default_recordings()
            else:
                recordings_dir = self.path.parent / "recordings"
        self.recordings_dir = Path(recordings_dir)
        self._clock: Clock = clock or _utcnow
        self._lock = threading.RLock()
        self._batch_depth = 0
        self._closed = False
        self._leases = Leases(None if self.path is None else Path(f"{self.path}.leases"))
        fresh = self.path is not None and not self.path.exists()
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                self.location, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"cannot open the sessions database {self.location}: {exc}",
                hint=f"check that {Path(self.location).parent} exists and is writable",
            ) from exc
        self._conn.row_factory = sqlite3.Row
        try:
            self._configure(timeout)
            if fresh and self.path is not None:
                with contextlib.suppress(OSError):
                    os.chmod(self.path, 0o600)  # trainees' calls are personal data
            self._migrate()
            self._sweep()
        except sqlite3.Error as exc:
            self._conn.close()
            raise self._error("open the sessions database", exc) from exc
        except BaseException:
            self._conn.close()
            raise

    # -- plumbing -----------------------------------------------------------------------

    def _configure(self, timeout: float) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000):d}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if self.path is not None and str(mode).lower() != "wal":
            raise StoreError(
                f"cannot use write-ahead logging on {self.location} (journal mode {mode})",
                hint="keep the data directory on a local disk (set RELANCE_HOME)",
            )
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")

    def _migrate(self) -> None:
        found = current_version(self._conn)
        if self.path is not None and 0 < found < LATEST:
            backup = Path(f"{self.path}.v{found}.bak")
            target = sqlite3.connect(backup)
            try:
                self._conn.backup(target)
            finally:
                target.close()
        migrate(self._conn)

    def _error(self, action: str, exc: sqlite3.Error) -> StoreError:
        return StoreError(
            f"could not {action} ({self.location}): {exc}", hint=_hint_for(exc, self.location)
        )

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the session store is closed", hint="this is a bug in the caller")

    @contextlib.contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        """One durable transaction (or a part of the current :meth:`batch`)."""
        with self._lock:
            self._check_open()
            conn = self._conn
            if self._batch_depth:
                try:
                    yield conn
                except sqlite3.Error as exc:
                    raise self._error(action, exc) from exc
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise self._error(action, exc) from exc

    @contextlib.contextmanager
    def _read(self, action: str) -> Iterator[sqlite3.Connection]:
        """A consistent read (one snapshot of the database)."""
        with self._lock:
            self._check_open()
            conn = self._conn
            own = not conn.in_transaction
            try:
                if own:
                    conn.execute("BEGIN")
                try:
                    yield conn
                finally:
                    if own and conn.in_transaction:
                        conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise self._error(action, exc) from exc

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes in one transaction: all of them are kept, or none."""
        with self._lock:
            self._check_open()
            if self._batch_depth:
                self._batch_depth += 1
                try:
                    yield
                finally:
                    self._batch_depth -= 1
                return
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error("start a batch", exc) from exc
            self._batch_depth = 1
            try:
                yield
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise self._error("save the batch", exc) from exc
            finally:
                self._batch_depth = 0

    def _missing(self, session_id: str) -> StoreError:
        return StoreError(
            f"no session {session_id} in {self.location}",
            hint="`relance sessions` lists the recorded sessions",
        )

    def _writable(self, conn: sqlite3.Connection, session_id: str) -> sqlite3.Row:
        """The session's row, if it may still be changed."""
        row = conn.execute(
            "SELECT id, status, turn_count, sealed_by, sealed_at, seal_hash"
            " FROM sessions WHERE id = ?",
            (session_id,),
        ).fetchone()
        if row is None:
            raise self._missing(session_id)
        if row["sealed_at"] is not None or row["seal_hash"] is not None:
            raise StoreError(
                f"session sealed: {session_id} was signed off by {row['sealed_by']}"
                " and can no longer be changed",
                hint=f"`relance verify {session_id}` checks it is intact",
            )
        return cast(sqlite3.Row, row)

    def _held_here(self, session_id: str, status: str) -> None:
        if status != "in_progress":
            hint = "resume it first" if status == "interrupted" else "start a new session"
            raise StoreError(f"session {session_id} is {status.replace('_', ' ')}", hint=hint)
        if not self._leases.held_here(session_id):
            if self._leases.is_live(session_id):
                raise StoreError(
                    f"session {session_id} is being recorded by another Relance process",
                    hint="finish or quit the call there first",
                )
            raise StoreError(f"session {session_id} was interrupted", hint="resume it first")

    def _sweep(self) -> set[str]:
        """Mark ``interrupted`` the calls left ``in_progress`` by a dead process."""
        with self._read("look for interrupted sessions") as conn:
            open_ids = [
                r[0] for r in conn.execute("SELECT id FROM sessions WHERE status = 'in_progress'")
            ]
        dead = {sid for sid in open_ids if not self._leases.is_live(sid)}
        if dead and not self._batch_depth:
            # A read-only database cannot be marked: the sessions are still reported.
            with contextlib.suppress(StoreError), self._write("mark interrupted") as conn:
                conn.executemany(
                    "UPDATE sessions SET status = 'interrupted'"
                    " WHERE id = ? AND status = 'in_progress'",
                    [(sid,) for sid in sorted(dead)],
                )
        return dead

    def _checkpoint(self) -> None:
        """Fold the WAL into the file and truncate it (so erased rows leave the WAL too)."""
        if self._batch_depth or self.path is None:
            return
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- recording a call -----------------------------------------------------------

    def create_session(
        self,
        *,
        trainee: str,
        mode: Mode,
        scenario_id: str,
        scenario_title: str,
        scenario_hash: str,
        lang: str,
        seed: int,
        call_date: dt.date,
        assessor: str | None = None,
        rubric_id: str | None = None,
        rubric_version: str | None = None,
        rubric_hash: str | None = None,
        started_at: dt.datetime | None = None,
        snapshot: dict[str, Any] | None = None,
    ) -> Session:
        name = normalize_name(trainee)
        if not name:
            raise StoreError("a session needs the trainee's name", hint="pass --trainee NAME")
        if mode not in MODES:
            raise StoreError(
                f"unknown session mode {mode!r}", hint=f"use one of {', '.join(MODES)}"
            )
        if not scenario_id:
            raise StoreError("a session needs a scenario id")
        values = {
            "trainee": name,
            "mode": mode,
            "assessor": normalize_name(assessor) or None if assessor else None,
            "scenario_id": scenario_id,
            "scenario_title": scenario_title,
            "scenario_hash": scenario_hash,
            "lang": lang,
            "seed": int(seed),
            "call_date": call_date.isoformat(),
            "rubric_id": rubric_id,
            "rubric_version": rubric_version,
            "rubric_hash": rubric_hash,
            "started_at": _ts(started_at or self._clock()),
        }
        snapshot_json = _dump_opt(snapshot, "engine snapshot")
        columns = ", ".join(("id", *values))
        marks = ", ".join("?" * (len(values) + 1))
        for _ in range(10):
            session_id = new_session_id()
            if not self._leases.try_acquire(session_id):  # before the row exists, so
                continue  # no other process ever sees this session without its lock
            with self._write("create a session") as conn:
                taken = conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,))
                if taken.fetchone() is None:
                    conn.execute(
                        f"INSERT INTO sessions ({columns}) VALUES ({marks})",
                        (session_id, *values.values()),
                    )
                    if snapshot_json is not None:
                        conn.execute(_SAVE_SNAPSHOT, (session_id, snapshot_json))
                    break
            self._leases.release(session_id)
        else:  # pragma: no cover - 10 collisions in 2**40 ids
            raise StoreError("could not choose a free session id", hint="try again")
        return self.get(session_id)

    def append_turn(
        self, session_id: str, turn: TurnRecord, snapshot: dict[str, Any] | None = None
    ) -> TurnRecord:
        sid = normalize_session_id(session_id)
        if turn.speaker not in SPEAKERS:
            raise StoreError(f"unknown speaker {turn.speaker!r}", hint="trainee or debtor")
        if turn.index < 0:
            raise StoreError(f"turn index {turn.index} is negative")
        recorded_at = _ts(turn.recorded_at or self._clock())
        audio = self._audio_ref(turn.audio)
        row: dict[str, Any] = {
            "session_id": sid,
            "idx": turn.index,
            "speaker": turn.speaker,
            "text": turn.text,
            "node": turn.node,
            "variant": turn.variant,
            "tags": _dump(list(turn.tags), "turn tags"),
            "mood": _dump_opt(turn.mood, "mood"),
            "acts": _dump_opt(None if turn.acts is None else list(turn.acts), "acts"),
            "entities": _dump_opt(
                None if turn.entities is None else list(turn.entities), "entities"
            ),
            "wording": _dump_opt(None if turn.wording is None else list(turn.wording), "wording"),
            "register": turn.register,
            "engine_ms": turn.engine_ms,
            "at_ms": turn.at_ms,
            "audio": audio,
            "recorded_at": recorded_at,
        }
        snapshot_json = _dump_opt(snapshot, "engine snapshot")
        with self._write("record a turn") as conn:
            current = self._writable(conn, sid)
            self._held_here(sid, current["status"])
            if turn.index != current["turn_count"]:
                raise StoreError(
                    f"turn {turn.index} of session {sid} is out of order: the next turn is"
                    f" {current['turn_count']}",
                    hint="this is a bug in the caller",
                )
            conn.execute(
                f"INSERT INTO turns ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()),
            )
            conn.execute("UPDATE sessions SET turn_count = turn_count + 1 WHERE id = ?", (sid,))
            if snapshot_json is not None:
                conn.execute(_SAVE_SNAPSHOT, (sid, snapshot_json))
        return dataclasses.replace(turn, audio=audio, recorded_at=_parse_ts(recorded_at))

    def save_snapshot(self, session_id: str, snapshot: dict[str, Any]) -> None:
        sid = normalize_session_id(session_id)
        text = _dump(snapshot, "engine snapshot")
        with self._write("save the engine snapshot") as conn:
            current = self._writable(conn, sid)
            self._held_here(sid, current["status"])
            conn.execute(_SAVE_SNAPSHOT, (sid, text))

    def resume_session(self, session_id: str) -> Session:
        sid = normalize_session_id(session_id)
        with self._read("find the session") as conn:
            current = self._writable(conn, sid)
        status = current["status"]
        if status in END_STATUSES:
            raise StoreError(f"session {sid} is {status}: it cannot be resumed")
        self._leases.acquire(sid)  # fails if another process is recording it
        try:
            with self._write("resume the session") as conn:
                current = self._writable(conn, sid)
                if current["status"] in END_STATUSES:
                    raise StoreError(f"session {sid} is {current['status']}: it cannot be resumed")
                conn.execute("UPDATE sessions SET status = 'in_progress' WHERE id = ?", (sid,))
        except BaseException:
            self._leases.release(sid)
            raise
        return self.get(sid)

    def finish_session(
        self,
        session_id: str,
        outcome: str | None,
        card: dict[str, Any] | None = None,
        ended_at: dt.datetime | None = None,
        *,
        status: EndStatus = "finished",
        score: float | None = None,
    ) -> None:
        sid = normalize_session_id(session_id)
        if status not in END_STATUSES:
            raise StoreError(f"a session ends {' or '.join(END_STATUSES)}, not {status!r}")
        if outcome is not None and outcome not in SESSION_OUTCOMES:
            raise StoreError(
                f"unknown outcome {outcome!r}", hint=f"use one of {', '.join(SESSION_OUTCOMES)}"
            )
        card_json = _dump_opt(card, "score card")
        ended = _ts(ended_at or self._clock())
        with self._write("finish the session") as conn:
            current = self._writable(conn, sid)
            found = current["status"]
            if found in END_STATUSES:
                raise StoreError(f"session {sid} is already {found}")
            if (
                found == "in_progress"
                and not self._leases.held_here(sid)
                and self._leases.is_live(sid)
            ):
                raise StoreError(
                    f"session {sid} is being recorded by another Relance process",
                    hint="finish or quit the call there",
                )
            conn.execute(
                "UPDATE sessions SET status = ?, outcome = ?, ended_at = ? WHERE id = ?",
                (status, outcome, ended, sid),
            )
            if card_json is not None:
                conn.execute(_SAVE_CARD, (sid, card_json))
                conn.execute("UPDATE sessions SET score = ? WHERE id = ?", (_score(score), sid))
        self._leases.release(sid)

    def save_card(
        self, session_id: str, card: dict[str, Any], *, score: float | None = None
    ) -> None:
        sid = normalize_session_id(session_id)
        card_json = _dump(card, "score card")
        with self._write("save the score card") as conn:
            self._writable(conn, sid)
            conn.execute(_SAVE_CARD, (sid, card_json))
            conn.execute("UPDATE sessions SET score = ? WHERE id = ?", (_score(score), sid))

    def recording_path(self, session_id: str, turn_index: int, suffix: str = ".wav") -> Path:
        sid = normalize_session_id(session_id)
        folder = self.recordings_dir / sid
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create {folder}: {exc.strerror}", hint="check the disk and permissions"
            ) from exc
        return folder / f"{turn_index:03d}{suffix}"

    def _audio_ref(self, audio: str | None) -> str | None:
        """Recordings under the recordings directory are stored relative to it."""
        if audio is None:
            return None
        path = Path(audio)
        if path.is_absolute():
            with contextlib.suppress(ValueError):
                return path.resolve().relative_to(self.recordings_dir.resolve()).as_posix()
        return path.as_posix()

    def _recording_file(self, ref: str) -> Path | None:
        """The file a stored audio reference names, if it lies in the recordings directory."""
        root = self.recordings_dir.resolve()
        path = Path(ref)
        full = (path if path.is_absolute() else root / path).resolve()
        return full if full.is_relative_to(root) and full != root else None

    # -- reading ----------------------------------------------------------------------

    def get(self, session_id: str) -> Session:
        sid = normalize_session_id(session_id)
        with self._read("read the session") as conn:
            row = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (sid,)
            ).fetchone()
            if row is None:
                raise self._missing(sid)
            turns = conn.execute(
                f"SELECT {_TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY idx", (sid,)
            ).fetchall()
            overrides = conn.execute(
                f"SELECT {_OVERRIDE_COLUMNS} FROM overrides WHERE session_id = ? ORDER BY number",
                (sid,),
            ).fetchall()
        try:
            return _session(row, turns, overrides)
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(
                f"session {sid} is damaged in {self.location}: {exc}",
                hint=f"`relance verify {sid}` shows what changed if it was sealed",
            ) from exc

    def list_sessions(
        self,
        trainee: str | None = None,
        scenario: str | None = None,
        mode: Mode | None = None,
        since: dt.datetime | dt.date | None = None,
        limit: int | None = None,
        *,
        status: Status | None = None,
    ) -> list[SessionSummary]:
        where: list[str] = []
        params: list[Any] = []
        if trainee is not None:
            where.append("trainee = ?")
            params.append(normalize_name(trainee))
        if scenario is not None:
            where.append("scenario_id = ?")
            params.append(scenario)
        if mode is not None:
            if mode not in MODES:
                raise StoreError(
                    f"unknown session mode {mode!r}", hint=f"use one of {', '.join(MODES)}"
                )
            where.append("mode = ?")
            params.append(mode)
        if status is not None:
            if status not in STATUSES:
                raise StoreError(
                    f"unknown status {status!r}", hint=f"use one of {', '.join(STATUSES)}"
                )
            where.append(f"status = '{status}'")  # a literal, so the partial index applies
        if since is not None:
            if not isinstance(since, dt.datetime):
                since = dt.datetime.combine(since, dt.time.min)  # local midnight
            where.append("started_at >= ?")
            params.append(_ts(since))
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM sessions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started_at DESC, rowid DESC"
        if limit is not None:
            if limit < 0:
                raise StoreError(f"a limit of {limit} sessions makes no sense")
            sql += " LIMIT ?"
            params.append(limit)
        with self._read("list the sessions") as conn:
            cursor = conn.cursor()
            cursor.row_factory = None  # plain tuples: faster than sqlite3.Row here
            rows = cursor.execute(sql, params).fetchall()
        return [_summary(row) for row in rows]

    def interrupted_sessions(self, trainee: str | None = None) -> list[SessionSummary]:
        dead = self._sweep()  # also catches processes that died since the store opened
        found = self.list_sessions(trainee=trainee, status="interrupted")
        if dead:  # could not be marked (read-only database): report them all the same
            listed = {s.id for s in found}
            found += [
                dataclasses.replace(s, status="interrupted")
                for s in self.list_sessions(trainee=trainee, status="in_progress")
                if s.id in dead and s.id not in listed
            ]
            found.sort(key=lambda s: s.started_at, reverse=True)
        return found

    def trainees(self) -> list[str]:
        with self._read("list the trainees") as conn:
            rows = conn.execute(
                "SELECT trainee FROM sessions UNION SELECT trainee FROM action_plans ORDER BY 1"
            ).fetchall()
        return [row[0] for row in rows]

    # -- trainees -------------------------------------------------------------------

    def delete_trainee(self, name: str) -> DeletionReport:
        trainee = normalize_name(name)
        if not trainee:
            raise StoreError("which trainee? the name is empty")
        self._sweep()
        of_trainee = "SELECT id FROM sessions WHERE trainee = ?"
        with self._write(f"erase {trainee}") as conn:
            rows = conn.execute(
                "SELECT id, status FROM sessions WHERE trainee = ?", (trainee,)
            ).fetchall()
            live = [r["id"] for r in rows if r["status"] == "in_progress"]
            if live:
                raise StoreError(
                    f"{trainee} has a call in progress ({', '.join(live)})",
                    hint="finish or quit that call, then erase again",
                )
            session_ids = [r["id"] for r in rows]
            turns = conn.execute(
                f"SELECT count(*) FROM turns WHERE session_id IN ({of_trainee})", (trainee,)
            ).fetchone()[0]
            overrides = conn.execute(
                f"SELECT count(*) FROM overrides WHERE session_id IN ({of_trainee})", (trainee,)
            ).fetchone()[0]
            audio = [
                r[0]
                for r in conn.execute(
                    f"SELECT audio FROM turns WHERE session_id IN ({of_trainee})"
                    " AND audio IS NOT NULL",
                    (trainee,),
                )
            ]
            plans = conn.execute("DELETE FROM action_plans WHERE trainee = ?", (trainee,)).rowcount
            sessions = conn.execute("DELETE FROM sessions WHERE trainee = ?", (trainee,)).rowcount
        self._checkpoint()
        removed, errors = self._remove_recordings(audio, session_ids)
        return DeletionReport(
            trainee=trainee,
            sessions=sessions,
            turns=turns,
            overrides=overrides,
            action_plans=plans,
            recordings=removed,
            recording_errors=tuple(errors),
        )

    def _remove_recordings(
        self, refs: Iterable[str], session_ids: Iterable[str]
    ) -> tuple[int, list[str]]:
        removed = 0
        errors: list[str] = []
        files: list[Path] = []
        for ref in refs:
            path = self._recording_file(ref)
            if path is None:
                errors.append(f"{ref}: outside {self.recordings_dir}, left in place")
            else:
                files.append(path)
        folders = [self.recordings_dir / sid for sid in session_ids]
        for folder in folders:
            if folder.is_dir():
                files.extend(p for p in folder.rglob("*") if not p.is_dir())
        for path in dict.fromkeys(files):  # once each, in order
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                errors.append(f"{path}: {exc.strerror}")
                continue
            removed += 1
        for folder in folders:
            if folder.is_dir():
                for sub in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
                    with contextlib.suppress(OSError):
                        sub.rmdir()
                with contextlib.suppress(OSError):
                    folder.rmdir()
        return removed, errors

    def save_action_plan(
        self,
        trainee: str,
        goals: Sequence[str],
        *,
        author: str | None = None,
        session_id: str | None = None,
        created_at: dt.datetime | None = None,
    ) -> ActionPlan:
        name = normalize_name(trainee)
        if not name:
            raise StoreError("an action plan needs the trainee's name")
        if isinstance(goals, str):
            raise StoreError("goals must be a list of sentences, not one string")
        cleaned = tuple(" ".join(str(goal).split()) for goal in goals)
        if any(not goal for goal in cleaned):
            raise StoreError("an action plan goal is empty", hint="remove it or write it")
        sid = normalize_session_id(session_id) if session_id else None
        created = _ts(created_at or self._clock())
        with self._write("save the action plan") as conn:
            if (
                sid is not None
                and conn.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone() is None
            ):
                raise self._missing(sid)
            conn.execute(
                "INSERT INTO action_plans (trainee, goals, author, session_id, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (name, _dump(list(cleaned), "goals"), author, sid, created),
            )
        return ActionPlan(name, cleaned, _ts_required(created), author, sid)

    def current_action_plan(self, trainee: str) -> ActionPlan | None:
        with self._read("read the action plan") as conn:
            row = conn.execute(
                "SELECT trainee, goals, author, session_id, created_at FROM action_plans"
                " WHERE trainee = ? ORDER BY id DESC LIMIT 1",
                (normalize_name(trainee),),
            ).fetchone()
        if row is None:
            return None
        return ActionPlan(
            trainee=row["trainee"],
            goals=tuple(json.loads(row["goals"])),
            created_at=_ts_required(row["created_at"]),
            author=row["author"],
            session_id=row["session_id"],
        )

    # -- assessment -----------------------------------------------------------------

    def add_override(
        self,
        session_id: str,
        criterion: str,
        score: float,
        justification: str,
        assessor: str,
        *,
        created_at: dt.datetime | None = None,
    ) -> Override:
        sid = normalize_session_id(session_id)
        criterion = criterion.strip()
        justification = justification.strip()
        who = normalize_name(assessor)
        if not criterion:
            raise StoreError("an override needs the criterion it changes")
        if not justification:
            raise StoreError(
                "an override needs a justification",
                hint="say why the automatic score is wrong; it is kept next to yours",
            )
        if not who:
            raise StoreError("an override needs the assessor's name")
        value = _score(score)
        if value is None:
            raise StoreError("an override needs a score")
        created = _ts(created_at or self._clock())
        with self._write("save the override") as conn:
            self._writable(conn, sid)
            number = conn.execute(
                "SELECT coalesce(max(number), 0) + 1 FROM overrides WHERE session_id = ?", (sid,)
            ).fetchone()[0]
            conn.execute(
                f"INSERT INTO overrides (session_id, {_OVERRIDE_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sid, number, criterion, value, justification, who, created),
            )
        return Override(sid, number, criterion, value, justification, who, _ts_required(created))

    def seal(self, session_id: str, assessor: str, signed_at: dt.datetime | None = None) -> Seal:
        sid = normalize_session_id(session_id)
        who = normalize_name(assessor)
        if not who:
            raise StoreError("a seal needs the assessor's name")
        at = _ts(signed_at or self._clock())
        with self._write("seal the session") as conn:
            current = self._writable(conn, sid)
            if current["status"] not in END_STATUSES:
                raise StoreError(
                    f"session {sid} is {current['status'].replace('_', ' ')}:"
                    " only a finished call can be sealed",
                    hint="finish (or abandon) the session first",
                )
            conn.execute(
                "UPDATE sessions SET sealed_by = ?, sealed_at = ? WHERE id = ?", (who, at, sid)
            )
            items = _seal_items(conn, sid)
            links = chain(items)
            conn.executemany(
                "INSERT INTO seal_items (session_id, position, kind, ref, fields, hash)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (sid, pos, item.kind, item.ref, canonical_json(item.field_hashes()), link)
                    for pos, (item, link) in enumerate(zip(items, links, strict=True))
                ],
            )
            conn.execute("UPDATE sessions SET seal_hash = ? WHERE id = ?", (links[-1], sid))
        return Seal(who, _ts_required(at), links[-1])

    def verify(self, session_id: str) -> VerifyReport:
        sid = normalize_session_id(session_id)
        with self._read("verify the session") as conn:
            row = conn.execute(
                "SELECT sealed_at, seal_hash FROM sessions WHERE id = ?", (sid,)
            ).fetchone()
            if row is None:
                raise self._missing(sid)
            stored = [
                StoredItem(r["position"], r["kind"], r["ref"], _hash_map(r["fields"]), r["hash"])
                for r in conn.execute(
                    "SELECT position, kind, ref, fields, hash FROM seal_items"
                    " WHERE session_id = ? ORDER BY position",
                    (sid,),
                )
            ]
            if row["sealed_at"] is None and row["seal_hash"] is None and not stored:
                return VerifyReport(sid, sealed=False)
            items = _seal_items(conn, sid)
        problems = compare(stored, items, row["seal_hash"])
        return VerifyReport(sid, True, row["seal_hash"], chain(items)[-1], tuple(problems))

    def verify_all(self) -> list[VerifyReport]:
        with self._read("list the sealed sessions") as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM sessions WHERE seal_hash IS NOT NULL"
                    " OR sealed_at IS NOT NULL"
                    " OR id IN (SELECT session_id FROM seal_items)"
                    " ORDER BY started_at, id"
                )
            ]
        return [self.verify(sid) for sid in ids]

    # -- lifetime -------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            held = sorted(self._leases.held)
            if held and not self._batch_depth:
                with contextlib.suppress(StoreError), self._write("leave the calls") as conn:
                    conn.executemany(
                        "UPDATE sessions SET status = 'interrupted'"
                        " WHERE id = ? AND status = 'in_progress'",
                        [(sid,) for sid in held],
                    )
            self._leases.release_all()
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()
            self._closed = True

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqliteStore({self.location!r})"


# -- rows → domain objects ---------------------------------------------------------------


def _ts_required(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _score(score: float | None) -> float | None:
    if score is None:
        return None
    value = float(score)
    if not math.isfinite(value):
        raise StoreError(f"a score must be a finite number, not {score!r}")
    return value


def _hash_map(text: str) -> dict[str, str]:
    value = _lenient(text)
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _turn(row: sqlite3.Row) -> TurnRecord:
    return TurnRecord(
        index=row["idx"],
        speaker=cast(Speaker, row["speaker"]),
        text=row["text"],
        node=row["node"],
        variant=row["variant"],
        tags=tuple(json.loads(row["tags"])),
        mood=_loads(row["mood"]),
        acts=_loads(row["acts"]),
        entities=_loads(row["entities"]),
        wording=_loads(row["wording"]),
        register=row["register"],
        engine_ms=row["engine_ms"],
        at_ms=row["at_ms"],
        audio=row["audio"],
        recorded_at=_parse_ts(row["recorded_at"]),
    )


def _override(session_id: str, row: sqlite3.Row) -> Override:
    return Override(
        session_id=session_id,
        number=row["number"],
        criterion=row["criterion"],
        score=row["score"],
        justification=row["justification"],
        assessor=row["assessor"],
        created_at=_ts_required(row["created_at"]),
    )


def _session(
    row: sqlite3.Row, turns: Sequence[sqlite3.Row], overrides: Sequence[sqlite3.Row]
) -> Session:
    seal = None
    if row["seal_hash"] is not None:
        seal = Seal(row["sealed_by"], _ts_required(row["sealed_at"]), row["seal_hash"])
    return Session(
        id=row["id"],
        trainee=row["trainee"],
        mode=cast(Mode, row["mode"]),
        assessor=row["assessor"],
        scenario_id=row["scenario_id"],
        scenario_title=row["scenario_title"],
        scenario_hash=row["scenario_hash"],
        lang=row["lang"],
        seed=row["seed"],
        call_date=dt.date.fromisoformat(row["call_date"]),
        rubric_id=row["rubric_id"],
        rubric_version=row["rubric_version"],
        rubric_hash=row["rubric_hash"],
        started_at=_ts_required(row["started_at"]),
        ended_at=_parse_ts(row["ended_at"]),
        status=cast(Status, row["status"]),
        outcome=row["outcome"],
        score=row["score"],
        snapshot=_loads(row["snapshot"]),
        card=_loads(row["card"]),
        turns=tuple(_turn(t) for t in turns),
        overrides=tuple(_override(row["id"], o) for o in overrides),
        seal=seal,
    )


def _summary(row: tuple[Any, ...]) -> SessionSummary:
    """Positional (a plain tuple row): this runs 10 000 times for one listing."""
    (sid, trainee, mode, assessor, scenario, title, lang, started, ended, status, *rest) = row
    outcome, score, turn_count, sealed = rest
    return SessionSummary(
        sid,
        trainee,
        mode,
        assessor,
        scenario,
        title,
        lang,
        dt.datetime.fromisoformat(started),
        None if ended is None else dt.datetime.fromisoformat(ended),
        status,
        outcome,
        score,
        turn_count,
        bool(sealed),
    )


def _seal_items(conn: sqlite3.Connection, session_id: str) -> list[SealItem]:
    """The chain's items, from the values exactly as stored (JSON parsed, nothing else)."""
    row = conn.execute(
        f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    header: dict[str, Any] = {"format": SEAL_FORMAT}
    header.update({column: row[column] for column in _HEADER_COLUMNS})
    items = [SealItem("session", None, header)]
    for turn in conn.execute(
        f"SELECT {_TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY idx", (session_id,)
    ):
        fields: dict[str, Any] = {key: turn[key] for key in turn.keys()}  # noqa: SIM118
        fields["index"] = fields.pop("idx")
        for key in _JSON_TURN_FIELDS:
            fields[key] = _lenient(fields[key])
        items.append(SealItem("turn", turn["idx"], fields))
    items.append(SealItem("card", None, {"card": _lenient(row["card"])}))
    for override in conn.execute(
        f"SELECT {_OVERRIDE_COLUMNS} FROM overrides WHERE session_id = ? ORDER BY number",
        (session_id,),
    ):
        fields = {key: override[key] for key in override.keys()}  # noqa: SIM118
        items.append(SealItem("override", override["number"], fields))
    items.append(SealItem("sign-off", None, {"by": row["sealed_by"], "at": row["sealed_at"]}))
    return items
