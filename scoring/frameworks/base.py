"""What every framework returns, and the small helpers they share.

A framework turns a call into criterion scores on 0–1. Each point lost is a
:class:`Missing` item that names the check, the turn it concerns (or ``None`` for an
absence over the whole call) and the share of the criterion it costs, so a score card
can always answer "why did I lose this?". What went well is :class:`Evidence`: a turn
and the quoted words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scoring.rubric import CriterionSpec
from scoring.transcript import Transcript, Turn
from scoring.types import Span

QUOTE_LIMIT = 140

#: Labels that mean the debt itself is being discussed.
DEBT_LABELS: frozenset[str] = frozenset(
    {
        "fact_reminder",
        "terms_reminder",
        "impact",
        "proposal",
        "consequence",
        "commitment_request",
        "summary",
        "firmness",
    }
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Something the trainee did that earned credit: a turn and the quoted words."""

    turn: int
    quote: str
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"turn": self.turn, "quote": self.quote, "label": self.label}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evidence:
        return cls(int(data["turn"]), str(data["quote"]), str(data.get("label", "")))


@dataclass(frozen=True, slots=True)
class Missing:
    """A check not (fully) met: ``lost`` is the share of the criterion it costs (0–1).

    ``turn`` is where it happened or was expected, ``None`` for an absence over the call;
    ``data`` holds the values a renderer needs ("2026-12-20", "latest 2026-12-15"…).
    """

    key: str
    lost: float
    turn: int | None = None
    quote: str = ""
    data: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "lost": self.lost,
            "turn": self.turn,
            "quote": self.quote,
            "data": dict(self.data),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Missing:
        turn = data.get("turn")
        return cls(
            key=str(data["key"]),
            lost=float(data["lost"]),
            turn=int(turn) if turn is not None else None,
            quote=str(data.get("quote", "")),
            data={str(k): str(v) for k, v in (data.get("data") or {}).items()},
        )


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion's score on 0–1, with what earned and what cost points."""

    id: str
    score: float
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[Missing, ...] = ()
    applicable: bool = True


@dataclass(frozen=True, slots=True)
class Breach:
    """A breach of acts.md, citing the turn (``None``: an absence over the call)."""

    code: str
    blocking: bool
    turn: int | None
    quote: str = ""
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DescStep:
    """One DESC step in the reply to a resistance: where it came, if it came."""

    step: str
    label: str
    turn: int | None
    quote: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "label": self.label, "turn": self.turn, "quote": self.quote}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DescStep:
        turn = data.get("turn")
        return cls(
            str(data["step"]),
            str(data["label"]),
            int(turn) if turn is not None else None,
            str(data.get("quote", "")),
        )


@dataclass(frozen=True, slots=True)
class DescEpisode:
    """A debtor resistance and how the trainee answered it over the next replies."""

    turn: int
    quote: str
    cue: str
    replies: tuple[int, ...]
    steps: tuple[DescStep, ...]
    order_respected: bool
    score: float
    also: tuple[int, ...] = ()

    @property
    def found(self) -> tuple[str, ...]:
        return tuple(s.step for s in self.steps if s.turn is not None)

    def to_json(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "quote": self.quote,
            "cue": self.cue,
            "replies": list(self.replies),
            "steps": [s.to_json() for s in self.steps],
            "order_respected": self.order_respected,
            "score": self.score,
            "also": list(self.also),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DescEpisode:
        return cls(
            turn=int(data["turn"]),
            quote=str(data.get("quote", "")),
            cue=str(data.get("cue", "")),
            replies=tuple(int(x) for x in data.get("replies", ())),
            steps=tuple(DescStep.from_json(s) for s in data.get("steps", ())),
            order_respected=bool(data.get("order_respected", False)),
            score=float(data.get("score", 0.0)),
            also=tuple(int(x) for x in data.get("also", ())),
        )


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    """The trainee turns that carried acts of one 4C phase, and the labels seen."""

    phase: str
    turns: tuple[int, ...]
    labels: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"phase": self.phase, "turns": list(self.turns), "labels": list(self.labels)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PhaseSpan:
        return cls(
            str(data["phase"]),
            tuple(int(x) for x in data.get("turns", ())),
            tuple(str(x) for x in data.get("labels", ())),
        )


@dataclass(frozen=True, slots=True)
class FrameworkResult:
    """What one framework found: criterion scores, breaches and its own timeline."""

    framework: str
    criteria: tuple[CriterionResult, ...] = ()
    breaches: tuple[Breach, ...] = ()
    desc_timeline: tuple[DescEpisode, ...] = ()
    phase_timeline: tuple[PhaseSpan, ...] = ()


class CriterionScorer:
    """Accumulates weighted checks and extra costs for one criterion.

    Each check of the rubric gets a credit in 0–1; what it does not earn becomes a
    :class:`Missing` with its share of the criterion. Extra costs (a concession, a wrong
    invoice number) are added on top. The score is 1 minus everything lost, floored at 0.
    """

    def __init__(self, spec: CriterionSpec) -> None:
        self.spec = spec
        self._credits: dict[str, tuple[float, int | None, str, dict[str, str]]] = {}
        self._skipped: set[str] = set()
        self._extra: list[Missing] = []
        self._evidence: list[Evidence] = []

    def check(
        self,
        key: str,
        credit: float,
        turn: int | None = None,
        quote: str = "",
        /,
        **data: str,
    ) -> None:
        """Record a check's credit (1 = fully met); ``turn``/``quote`` say where it failed."""
        self._credits[key] = (max(0.0, min(1.0, credit)), turn, quote, data)

    def skip(self, key: str) -> None:
        """The check does not apply to this call: its weight is spread over the others."""
        self._skipped.add(key)

    def cost(
        self, key: str, lost: float, turn: int | None = None, quote: str = "", /, **data: str
    ) -> None:
        """An extra cost outside the weighted checks."""
        if lost > 0:
            self._extra.append(Missing(key, lost, turn, quote, data))

    def evidence(self, turn: Turn, label: str, span: Span | None = None) -> None:
        """Credit a turn, quoting the span (or the whole line)."""
        item = Evidence(turn.index, quote_of(turn, span), label)
        if item not in self._evidence:
            self._evidence.append(item)

    def evidence_act(self, turn: Turn, label: str) -> None:
        """Credit the act ``label`` of a turn, quoting its span."""
        act = turn.act(label)
        self.evidence(turn, label, act.span if act else None)

    def result(self, *, applicable: bool = True) -> CriterionResult:
        active = [(k, w) for k, w in self.spec.checks if k not in self._skipped and w > 0]
        total = sum(w for _, w in active)
        missing: list[Missing] = []
        lost_total = 0.0
        for key, weight in active:
            credit, turn, quote, data = self._credits.get(key, (0.0, None, "", {}))
            lost = weight / total * (1.0 - credit) if total else 0.0
            if lost > 1e-9:
                lost_total += lost
                missing.append(Missing(key, round(lost, 6), turn, quote, data))
        missing.extend(self._extra)
        lost_total += sum(m.lost for m in self._extra)
        score = max(0.0, 1.0 - lost_total)
        return CriterionResult(
            id=self.spec.id,
            score=round(score, 6),
            evidence=tuple(self._evidence),
            missing=tuple(missing),
            applicable=applicable,
        )


def quote_of(turn: Turn, span: Span | None = None, limit: int = QUOTE_LIMIT) -> str:
    """The quoted words: the span's text if it has any, else the whole line, shortened."""
    text = ""
    if span is not None:
        text = span.text or turn.text[span.start : span.end]
    text = " ".join((text or turn.text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def sentence_at(text: str, start: int, end: int) -> Span:
    """The sentence of ``text`` that holds ``[start, end)``."""
    begin = max(text.rfind(c, 0, start) for c in ".?!;") + 1
    stops = [p for p in (text.find(c, end) for c in ".?!;") if p >= 0]
    finish = min(stops) + 1 if stops else len(text)
    while begin < start and text[begin].isspace():
        begin += 1
    return Span(begin, finish, text[begin:finish])


def first_with(turns: Iterable[Turn], *labels: str) -> Turn | None:
    """The first turn carrying any of ``labels``."""
    for turn in turns:
        if turn.has(*labels):
            return turn
    return None


def is_debt_turn(turn: Turn) -> bool:
    """The turn discusses the debt itself (facts, terms, a proposal, a commitment…).

    Naming the reason of the call is not enough; ``purpose`` counts once it carries an
    amount.
    """
    if turn.has(*DEBT_LABELS):
        return True
    return turn.has("purpose") and bool(turn.entities_of("amount"))


def first_debt_turn(transcript: Transcript) -> Turn | None:
    for turn in transcript.trainee_turns:
        if is_debt_turn(turn):
            return turn
    return None


def not_applicable(spec: CriterionSpec) -> CriterionResult:
    return CriterionResult(spec.id, 1.0, applicable=False)


def iso_date(value: object) -> dt.date | None:
    """An entity's ISO date value as a date (``None`` when it is not one)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def format_amount(x: float) -> str:
    """An amount as the card quotes it: ``1380`` or ``1380.5``."""
    return f"{x:.2f}".rstrip("0").rstrip(".")
