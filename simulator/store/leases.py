"""Which in-progress sessions still have a live process behind them.

A process recording a call holds an exclusive lock on ``<db>.leases/<session id>.lock``
for as long as the call runs. The operating system drops the lock when the process
dies, even under ``kill -9``, so another process can tell a live call (lock held) from
one left behind by a crash (lock free or file missing) without trusting pids, which
get reused. ``flock`` locks belong to an open file, so two stores in one process also
see each other's calls as live.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from simulator.errors import StoreError


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


class Leases:
    """The locks this process holds, and the test for everyone else's.

    ``directory=None`` (in-memory database) keeps the leases in this object only.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._held: dict[str, int] = {}  # session id → fd (-1 without a directory)

    def _file(self, session_id: str) -> Path:
        assert self.directory is not None
        return self.directory / f"{session_id}.lock"

    def acquire(self, session_id: str) -> None:
        """Hold the session's lock; StoreError if another process holds it."""
        if not self.try_acquire(session_id):
            raise StoreError(
                f"session {session_id} is being recorded by another Relance process",
                hint="finish or quit the call there first",
            )

    def try_acquire(self, session_id: str) -> bool:
        """Hold the session's lock if nobody else does (StoreError if it cannot be made)."""
        if session_id in self._held:
            return True
        if self.directory is None:
            self._held[session_id] = -1
            return True
        path = self._file(session_id)
        while True:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the lock file for session {session_id}: {exc.strerror}",
                    hint=f"check that {self.directory} is writable",
                ) from exc
            if not _try_lock(fd):
                os.close(fd)
                return False
            if _same_file(fd, path):
                break
            # A checker unlinked the file between our open and our lock: start again.
            _unlock(fd)
            os.close(fd)
        self._held[session_id] = fd
        return True

    def release(self, session_id: str) -> None:
        fd = self._held.pop(session_id, None)
        if fd is None or fd < 0:
            return
        # Unlink first, while still locked: a checker that opens the old file then finds
        # it free and concludes, rightly, that nobody records this session any more.
        with contextlib.suppress(OSError):
            self._file(session_id).unlink()
        _unlock(fd)
        os.close(fd)

    def release_all(self) -> None:
        for session_id in list(self._held):
            self.release(session_id)

    def held_here(self, session_id: str) -> bool:
        return session_id in self._held

    @property
    def held(self) -> frozenset[str]:
        return frozenset(self._held)

    def is_live(self, session_id: str) -> bool:
        """Some process (this one included) is recording the session right now."""
        if session_id in self._held:
            return True
        if self.directory is None:
            return False
        path = self._file(session_id)
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            return False  # never locked, or released
        try:
            if not _try_lock(fd):
                return True
            with contextlib.suppress(OSError):
                path.unlink()  # a dead process's leftover, removed while we hold it
            _unlock(fd)
        finally:
            os.close(fd)
        return False
