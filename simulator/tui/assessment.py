"""The assessor mode's one piece of state passed down the screens: who assesses whom.

A call screen given an :class:`Assessment` runs under locked conditions (no hints, mood
and live trackers hidden, no retry) and records the session with ``mode="assessment"``;
its end goes to the assessor's review instead of the learner's debrief. Nothing of it is
kept in the learner's settings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Assessment:
    assessor: str
    trainee: str
