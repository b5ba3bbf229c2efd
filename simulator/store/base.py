"""The session store as the rest of Relance sees it: a Protocol, whatever the backend.

:class:`simulator.store.sqlite.SqliteStore` is the only implementation today; a
PostgreSQL one (a shared server for a training centre) only has to satisfy this
Protocol and reuse :mod:`simulator.store.seal` for the hash chain. Every method raises
:class:`simulator.errors.StoreError` with a user-facing message when it cannot comply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from simulator.store.model import (
    ActionPlan,
    DeletionReport,
    EndStatus,
    Mode,
    Override,
    Seal,
    Session,
    SessionSummary,
    Status,
    TurnRecord,
    VerifyReport,
)


@runtime_checkable
class SessionStore(Protocol):
    """Sessions, their turns as they happen, score cards, overrides, seals, action plans."""

    #: Where the data lives, for messages ("/home/…/sessions.db").
    location: str
    #: Where turn recordings are written; ``TurnRecord.audio`` is relative to it.
    recordings_dir: Path

    # -- recording a call ------------------------------------------------------------

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
        """Start recording a call (status ``in_progress``, held by this process)."""
        ...

    def append_turn(
        self, session_id: str, turn: TurnRecord, snapshot: dict[str, Any] | None = None
    ) -> TurnRecord:
        """Commit one turn and, in the same transaction, the engine's new snapshot.

        ``turn.index`` must be the next index. Returns the turn as stored.
        """
        ...

    def save_snapshot(self, session_id: str, snapshot: dict[str, Any]) -> None: ...

    def resume_session(self, session_id: str) -> Session:
        """Take an interrupted session back (``in_progress``, held by this process)."""
        ...

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
        """End a call in progress or interrupted; ``card`` (if given) is saved with it."""
        ...

    def save_card(
        self, session_id: str, card: dict[str, Any], *, score: float | None = None
    ) -> None: ...

    def recording_path(self, session_id: str, turn_index: int, suffix: str = ".wav") -> Path:
        """Where to write a turn's recording (directory created); store it relative."""
        ...

    # -- reading ----------------------------------------------------------------------

    def get(self, session_id: str) -> Session: ...

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
        """Newest first; never loads turns."""
        ...

    def interrupted_sessions(self, trainee: str | None = None) -> list[SessionSummary]:
        """Sessions whose process died mid-call (found and marked when the store opens)."""
        ...

    def trainees(self) -> list[str]: ...

    # -- trainees -------------------------------------------------------------------

    def delete_trainee(self, name: str) -> DeletionReport:
        """Erase a trainee: sessions, turns, overrides, action plans, recordings."""
        ...

    def save_action_plan(
        self,
        trainee: str,
        goals: Sequence[str],
        *,
        author: str | None = None,
        session_id: str | None = None,
        created_at: dt.datetime | None = None,
    ) -> ActionPlan: ...

    def current_action_plan(self, trainee: str) -> ActionPlan | None: ...

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
    ) -> Override: ...

    def seal(self, session_id: str, assessor: str, signed_at: dt.datetime | None = None) -> Seal:
        """Sign off: hash-chain the session; it can no longer be changed through the store."""
        ...

    def verify(self, session_id: str) -> VerifyReport: ...

    def verify_all(self) -> list[VerifyReport]: ...

    # -- lifetime -------------------------------------------------------------------

    def batch(self) -> AbstractContextManager[None]:
        """Group several writes in one transaction (imports, benchmarks)."""
        ...

    def close(self) -> None:
        """Release this process's calls (left ``interrupted``) and the connection."""
        ...

    def __enter__(self) -> SessionStore: ...

    def __exit__(self, *exc: object) -> None: ...
