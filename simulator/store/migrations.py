"""Schema migrations, one step per version, tracked by ``PRAGMA user_version``.

A database at version N has run steps 1…N. Opening it runs the missing steps in order,
each in its own transaction with the new ``user_version`` written in the same
transaction, so a crash leaves the file at a whole version. A released step is never
edited (``tests/unit/test_store_migrations.py`` pins each step's checksum): change the
schema by appending a step. Statements are run one by one, never with ``executescript``,
which would commit behind our back.

Bulky JSON (the engine snapshot, rewritten after every turn, and the score card) lives
in tables of its own, so that the ``sessions`` rows stay small and listing 10 000 of
them reads a few hundred pages rather than one page per session.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from simulator.errors import StoreError


@dataclass(frozen=True)
class Migration:
    version: int
    summary: str
    statements: tuple[str, ...]
    #: Optional data step run after the statements (same transaction).
    run: Callable[[sqlite3.Connection], None] | None = None

    def checksum(self) -> str:
        text = "\n;\n".join(" ".join(s.split()) for s in self.statements)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_V1 = Migration(
    1,
    "sessions, turns, overrides and seal items",
    (
        """
        CREATE TABLE sessions (
            id             TEXT PRIMARY KEY,
            trainee        TEXT NOT NULL,
            mode           TEXT NOT NULL
                           CHECK (mode IN ('practice', 'assessment', 'classroom')),
            assessor       TEXT,
            scenario_id    TEXT NOT NULL,
            scenario_title TEXT NOT NULL,
            scenario_hash  TEXT NOT NULL,
            lang           TEXT NOT NULL,
            seed           INTEGER NOT NULL,
            call_date      TEXT NOT NULL,
            rubric_id      TEXT,
            rubric_version TEXT,
            rubric_hash    TEXT,
            started_at     TEXT NOT NULL,
            ended_at       TEXT,
            status         TEXT NOT NULL DEFAULT 'in_progress'
                           CHECK (status IN ('in_progress', 'interrupted', 'finished',
                                             'abandoned')),
            outcome        TEXT,
            score          REAL,
            turn_count     INTEGER NOT NULL DEFAULT 0,
            sealed_by      TEXT,
            sealed_at      TEXT,
            seal_hash      TEXT
        )
        """,
        "CREATE INDEX sessions_by_start ON sessions (started_at)",
        "CREATE INDEX sessions_by_trainee ON sessions (trainee, started_at)",
        "CREATE INDEX sessions_by_scenario ON sessions (scenario_id, started_at)",
        "CREATE INDEX sessions_by_mode ON sessions (mode, started_at)",
        """
        CREATE INDEX sessions_open ON sessions (status, started_at)
        WHERE status IN ('in_progress', 'interrupted')
        """,
        """
        CREATE TABLE snapshots (
            session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
            state      TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE cards (
            session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
            card       TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE turns (
            session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            idx         INTEGER NOT NULL CHECK (idx >= 0),
            speaker     TEXT NOT NULL CHECK (speaker IN ('trainee', 'debtor')),
            text        TEXT NOT NULL,
            node        TEXT,
            variant     TEXT,
            tags        TEXT NOT NULL DEFAULT '[]',
            mood        TEXT,
            acts        TEXT,
            entities    TEXT,
            wording     TEXT,
            register    TEXT,
            engine_ms   REAL,
            at_ms       INTEGER,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (session_id, idx)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE overrides (
            session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            number        INTEGER NOT NULL CHECK (number >= 1),
            criterion     TEXT NOT NULL,
            score         REAL NOT NULL,
            justification TEXT NOT NULL CHECK (length(trim(justification)) > 0),
            assessor      TEXT NOT NULL,
            created_at    TEXT NOT NULL,
            PRIMARY KEY (session_id, number)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE seal_items (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,
            kind       TEXT NOT NULL
                       CHECK (kind IN ('session', 'turn', 'card', 'override', 'sign-off')),
            ref        INTEGER,
            fields     TEXT NOT NULL,
            hash       TEXT NOT NULL,
            PRIMARY KEY (session_id, position)
        ) WITHOUT ROWID
        """,
    ),
)

_V2 = Migration(
    2,
    "action plans per trainee",
    (
        """
        CREATE TABLE action_plans (
            id         INTEGER PRIMARY KEY,
            trainee    TEXT NOT NULL,
            goals      TEXT NOT NULL,
            author     TEXT,
            session_id TEXT REFERENCES sessions (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX action_plans_by_trainee ON action_plans (trainee, id)",
        "CREATE INDEX action_plans_by_session ON action_plans (session_id)",
    ),
)

_V3 = Migration(
    3,
    "audio recording reference per turn",
    ("ALTER TABLE turns ADD COLUMN audio TEXT",),
)

#: Every step, in order; ``MIGRATIONS[i].version == i + 1``.
MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3)
LATEST = MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> list[int]:
    """Run the missing steps up to ``target``; return the versions applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Each step re-reads
    the version inside its write transaction, so two processes opening an old file at
    once do not both migrate it.
    """
    if not 0 <= target <= LATEST:
        raise ValueError(f"no schema version {target}")
    found = current_version(conn)
    if found > LATEST:
        raise StoreError(
            f"the sessions database is at schema version {found}, newer than this "
            f"Relance (version {LATEST})",
            hint="upgrade Relance, or open another database",
        )
    applied: list[int] = []
    for step in MIGRATIONS:
        if step.version > target:
            break
        if step.version <= found:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) >= step.version:  # done meanwhile by another process
                conn.execute("ROLLBACK")
                continue
            for statement in step.statements:
                conn.execute(statement)
            if step.run is not None:
                step.run(conn)
            conn.execute(f"PRAGMA user_version = {step.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(step.version)
    return applied
