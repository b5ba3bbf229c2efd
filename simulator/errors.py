"""One root error type with a user-facing message; subclasses per area.

A :class:`RelanceError` reaching the CLI is printed as its message (and hint), never as
a traceback; the TUI shows it as a notification.
"""

from __future__ import annotations


class RelanceError(Exception):
    """An error the user can act on: what went wrong, where, and what to do."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def user_message(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(RelanceError):
    """Bad command-line use."""

    exit_code = 2


class ScenarioError(RelanceError):
    """A scenario file that cannot be loaded; carries the problems found."""

    def __init__(
        self, message: str, problems: list[object] | None = None, *, hint: str = ""
    ) -> None:
        super().__init__(message, hint=hint)
        self.problems = list(problems or [])


class TranscriptError(RelanceError):
    """A transcript file that cannot be read."""


class EngineStateError(RelanceError):
    """The dialogue engine was driven in the wrong order (a host bug, not user input)."""


class StoreError(RelanceError):
    """The session store could not do what was asked (disk full, locked, sealed…)."""
