"""The store's domain objects: what the repositories take and return (frozen dataclasses).

Nothing here knows about SQL. The SQLite backend (and a PostgreSQL one later) map rows to
these classes, so the rest of Relance never sees a row, a cursor or a column name.
JSON-valued fields (acts, mood, snapshot, card…) are plain ``dict``/``list`` values as
``json.loads`` returns them; sequences are normalised to tuples so that equality works
whether the caller passed a list or a tuple.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from scoring.labels import ABANDONED, OUTCOMES

Mode = Literal["practice", "assessment", "classroom"]
Status = Literal["in_progress", "interrupted", "finished", "abandoned"]
EndStatus = Literal["finished", "abandoned"]
Speaker = Literal["trainee", "debtor"]

MODES: tuple[str, ...] = get_args(Mode)
STATUSES: tuple[str, ...] = get_args(Status)
END_STATUSES: tuple[str, ...] = get_args(EndStatus)
SPEAKERS: tuple[str, ...] = get_args(Speaker)
#: Outcomes a session may end with (``None`` is allowed too: not scored, not reached).
SESSION_OUTCOMES: tuple[str, ...] = (*OUTCOMES, ABANDONED)

#: Crockford base32: no I, L, O, U, so an id read aloud or typed by hand is unambiguous.
ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ID_LENGTH = 8
_ID_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_session_id() -> str:
    """A random 8-character Crockford base32 id (40 bits), e.g. ``K7Q2M9XD``."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def normalize_session_id(text: str) -> str:
    """What the user typed → the stored id: case, dashes, spaces and O/I/L typos forgiven."""
    return text.strip().upper().translate(_ID_TYPOS)


def normalize_name(name: str) -> str:
    """Trainee and assessor names are compared after NFC and whitespace folding."""
    return unicodedata.normalize("NFC", " ".join(name.split()))


def _tuple_of_dicts(value: Sequence[Mapping[str, Any]] | None) -> tuple[dict[str, Any], ...] | None:
    return None if value is None else tuple(dict(item) for item in value)


@dataclass(frozen=True)
class TurnRecord:
    """One line of the call, as recorded (the turn of ``docs/transcript.md``).

    ``acts`` is ``None`` when the text was not analysed (``relance score`` then analyses
    it) and ``()`` when it was analysed and nothing was found: the store keeps the
    difference. ``audio`` is a path relative to the recordings directory (or absolute).
    ``recorded_at`` is the wall-clock time of the commit, set by the store when omitted.
    """

    index: int
    speaker: Speaker
    text: str
    node: str | None = None
    variant: str | None = None
    tags: Sequence[str] = ()
    mood: Mapping[str, Any] | None = None
    acts: Sequence[Mapping[str, Any]] | None = None
    entities: Sequence[Mapping[str, Any]] | None = None
    wording: Sequence[Mapping[str, Any]] | None = None
    register: str | None = None
    engine_ms: float | None = None
    at_ms: int | None = None
    audio: str | None = None
    recorded_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", tuple(self.tags))
        object.__setattr__(self, "mood", None if self.mood is None else dict(self.mood))
        for name in ("acts", "entities", "wording"):
            object.__setattr__(self, name, _tuple_of_dicts(getattr(self, name)))

    @classmethod
    def from_transcript(cls, data: Mapping[str, Any]) -> TurnRecord:
        """A turn of a ``relance/transcript@1`` document (unknown keys are ignored)."""
        return cls(
            index=int(data["index"]),
            speaker=data["speaker"],
            text=str(data["text"]),
            node=data.get("node"),
            variant=data.get("variant"),
            tags=tuple(data.get("tags") or ()),
            mood=data.get("mood"),
            acts=data.get("acts"),
            entities=data.get("entities"),
            wording=data.get("wording"),
            register=data.get("register"),
            engine_ms=data.get("engine_ms"),
            at_ms=data.get("at_ms"),
            audio=data.get("audio"),
        )

    def to_transcript(self) -> dict[str, Any]:
        """This turn as in a ``relance/transcript@1`` document (absent fields left out)."""
        out: dict[str, Any] = {"index": self.index, "speaker": self.speaker, "text": self.text}
        optional: dict[str, Any] = {
            "at_ms": self.at_ms,
            "node": self.node,
            "variant": self.variant,
            "mood": self.mood,
            "acts": None if self.acts is None else [dict(a) for a in self.acts],
            "entities": None if self.entities is None else [dict(e) for e in self.entities],
            "wording": None if self.wording is None else [dict(w) for w in self.wording],
            "register": self.register,
            "engine_ms": self.engine_ms,
            "audio": self.audio,
        }
        if self.tags or self.speaker == "debtor":
            out["tags"] = list(self.tags)
        out.update({key: value for key, value in optional.items() if value is not None})
        return out


@dataclass(frozen=True)
class Override:
    """An assessor's score for one criterion; the automatic score stays in the card."""

    session_id: str
    number: int  # 1, 2, … within the session, in the order they were given
    criterion: str
    score: float
    justification: str
    assessor: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Seal:
    """The sign-off of an assessed session: who, when, and the final hash of the chain."""

    by: str
    at: dt.datetime
    hash: str


@dataclass(frozen=True)
class SessionSummary:
    """One line of ``relance sessions``: no turns, no snapshot, no card."""

    id: str
    trainee: str
    mode: Mode
    assessor: str | None
    scenario_id: str
    scenario_title: str
    lang: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    status: Status
    outcome: str | None
    score: float | None
    turn_count: int
    sealed: bool


@dataclass(frozen=True)
class Session:
    """A recorded call with everything about it: turns, card, overrides, seal."""

    id: str
    trainee: str
    mode: Mode
    assessor: str | None
    scenario_id: str
    scenario_title: str
    scenario_hash: str
    lang: str
    seed: int
    call_date: dt.date
    rubric_id: str | None
    rubric_version: str | None
    rubric_hash: str | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    status: Status
    outcome: str | None
    score: float | None
    snapshot: dict[str, Any] | None
    card: dict[str, Any] | None
    turns: tuple[TurnRecord, ...] = ()
    overrides: tuple[Override, ...] = ()
    seal: Seal | None = None

    @property
    def sealed(self) -> bool:
        return self.seal is not None

    @property
    def resumable(self) -> bool:
        """Left mid-call: the host may resume it from ``snapshot`` or close it as it stands."""
        return self.status in ("in_progress", "interrupted")

    def overrides_for(self, criterion: str) -> tuple[Override, ...]:
        """Every override of ``criterion``, oldest first (the last one is in force)."""
        return tuple(o for o in self.overrides if o.criterion == criterion)

    def final_scores(self) -> dict[str, float]:
        """Criterion → the assessor's score in force (criteria never overridden are absent)."""
        return {o.criterion: o.score for o in self.overrides}

    def transcript(self) -> dict[str, Any]:
        """The session as a ``relance/transcript@1`` document (without account and brief,
        which the host takes from the scenario whose ``hash`` is recorded here)."""
        return {
            "format": "relance/transcript@1",
            "lang": self.lang,
            "call_date": self.call_date.isoformat(),
            "scenario": {
                "id": self.scenario_id,
                "title": self.scenario_title,
                "hash": self.scenario_hash,
            },
            "seed": self.seed,
            "turns": [turn.to_transcript() for turn in self.turns],
            "outcome": self.outcome,
            "finished": self.outcome is not None and self.outcome != ABANDONED,
        }


@dataclass(frozen=True)
class ActionPlan:
    """A trainee's current goals, set by a trainer or drawn from a score card."""

    trainee: str
    goals: tuple[str, ...]
    created_at: dt.datetime
    author: str | None = None
    session_id: str | None = None


@dataclass(frozen=True)
class DeletionReport:
    """What ``delete_trainee`` erased (GDPR article 17), to show and to keep as proof."""

    trainee: str
    sessions: int = 0
    turns: int = 0
    overrides: int = 0
    action_plans: int = 0
    recordings: int = 0  # files removed from the recordings directory
    recording_errors: tuple[str, ...] = field(default=())  # files that could not be removed

    @property
    def nothing_found(self) -> bool:
        return not (self.sessions or self.action_plans or self.recordings)


Change = Literal["changed", "removed", "added", "seal altered"]


@dataclass(frozen=True)
class Tamper:
    """One difference between a sealed session and the data now in the database."""

    item: str  # "session", "turn 3", "card", "override 2", "sign-off", "seal"
    change: Change
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.change == "changed":
            return f"{self.item}: {', '.join(self.fields)} changed"
        if self.change == "removed":
            return f"{self.item} removed after sealing"
        if self.change == "added":
            return f"{self.item} added after sealing"
        detail = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"{self.item}: seal record altered{detail}"


@dataclass(frozen=True)
class VerifyReport:
    """The result of recomputing a session's hash chain from the stored data."""

    session_id: str
    sealed: bool
    seal_hash: str | None = None  # as stored at sign-off
    computed_hash: str | None = None  # recomputed from the data now stored
    problems: tuple[Tamper, ...] = ()

    @property
    def ok(self) -> bool:
        """Sealed and untouched since."""
        return self.sealed and not self.problems

    def describe(self) -> str:
        if not self.sealed:
            return f"{self.session_id}: not sealed"
        if self.ok:
            return f"{self.session_id}: intact (seal {self.seal_hash})"
        lines = [f"{self.session_id}: TAMPERED"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)
