"""The session store: recorded calls, score cards, overrides, seals and action plans.

Everything goes through :class:`SessionStore`; :func:`open_store` picks the backend from
a path or URL (SQLite today). Repositories take and return the frozen dataclasses of
:mod:`simulator.store.model`; no other part of Relance writes SQL. This package imports
nothing from the UI or the audio stack, so headless commands and tests stay light.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from simulator.errors import StoreError
from simulator.store.base import SessionStore
from simulator.store.model import (
    ActionPlan,
    DeletionReport,
    Override,
    Seal,
    Session,
    SessionSummary,
    Tamper,
    TurnRecord,
    VerifyReport,
    normalize_session_id,
)
from simulator.store.sqlite import Clock, SqliteStore

__all__ = [
    "ActionPlan",
    "DeletionReport",
    "Override",
    "Seal",
    "Session",
    "SessionStore",
    "SessionSummary",
    "SqliteStore",
    "Tamper",
    "TurnRecord",
    "VerifyReport",
    "normalize_session_id",
    "open_store",
]


def open_store(
    url_or_path: str | os.PathLike[str] | None = None,
    *,
    recordings_dir: Path | None = None,
    clock: Clock | None = None,
) -> SessionStore:
    """Open (creating and migrating as needed) the session store.

    ``None`` is ``sessions.db`` in the data directory (``RELANCE_HOME`` overrides), with
    recordings in :func:`simulator.locations.recordings_dir`. Otherwise a file path,
    ``sqlite:///absolute/path.db``, or ``":memory:"``; recordings then live in
    ``recordings/`` next to the file unless ``recordings_dir`` says otherwise.
    """
    from simulator import locations

    if url_or_path is None:
        return SqliteStore(
            locations.database_file(),
            recordings_dir=recordings_dir or locations.recordings_dir(),
            clock=clock,
        )
    target = os.fspath(url_or_path)
    if "://" in target:
        parts = urlsplit(target)
        scheme = parts.scheme.lower()
        if scheme in ("postgres", "postgresql"):
            raise StoreError(
                "PostgreSQL session stores are not supported yet",
                hint="use a SQLite file path, or leave the setting empty for the default",
            )
        if scheme != "sqlite":
            raise StoreError(
                f"unknown session store {target!r}",
                hint="give a file path or sqlite:///path/to/sessions.db",
            )
        target = unquote(parts.path)
        if target in ("/:memory:", ""):
            target = ":memory:"
    return SqliteStore(target, recordings_dir=recordings_dir, clock=clock)
