"""The score card, ``relance/scorecard@1``: what a trainee and a trainer read after a call.

Breaches come first, then each criterion with its score, weight, the quoted evidence,
what was missing (each item with the share of the criterion it cost and the turn it
concerns) and one concrete advice in the call's language; then the DESC and phase
timelines and the conversation metrics. The pass rule is the one of acts.md: the overall
score reaches the pass mark and no blocking breach. JSON round-trips exactly, so the
store and the reports can keep the card as it was produced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast

from scoring.frameworks.base import DescEpisode, Evidence, Missing, PhaseSpan
from scoring.frameworks.metrics import Metrics
from scoring.types import Lang

FORMAT = "relance/scorecard@1"


@dataclass(frozen=True, slots=True)
class CardBreach:
    """A breach as shown on the card: ``cost`` is taken from ``criterion`` (0–100 points),
    ``penalty`` from the overall score."""

    code: str
    blocking: bool
    turn: int | None
    quote: str
    advice: str
    criterion: str = "compliance"
    cost: float = 0.0
    penalty: float = 0.0
    data: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "blocking": self.blocking,
            "turn": self.turn,
            "quote": self.quote,
            "advice": self.advice,
            "criterion": self.criterion,
            "cost": self.cost,
            "penalty": self.penalty,
            "data": dict(self.data),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CardBreach:
        turn = data.get("turn")
        return cls(
            code=str(data["code"]),
            blocking=bool(data["blocking"]),
            turn=int(turn) if turn is not None else None,
            quote=str(data.get("quote", "")),
            advice=str(data.get("advice", "")),
            criterion=str(data.get("criterion", "compliance")),
            cost=float(data.get("cost", 0.0)),
            penalty=float(data.get("penalty", 0.0)),
            data={str(k): str(v) for k, v in (data.get("data") or {}).items()},
        )


@dataclass(frozen=True, slots=True)
class CardCriterion:
    """One criterion: ``score`` on 0–100, ``weight`` its share of the overall (0–1).

    Each missing item's ``lost`` is the share of this criterion it cost (0–1); an
    inapplicable criterion (no resistance for DESC…) does not count in the overall.
    """

    id: str
    title: str
    score: float
    weight: float
    applicable: bool
    grade: str
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[Missing, ...] = ()
    advice: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "weight": self.weight,
            "applicable": self.applicable,
            "grade": self.grade,
            "evidence": [e.to_json() for e in self.evidence],
            "missing": [m.to_json() for m in self.missing],
            "advice": self.advice,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CardCriterion:
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            score=float(data["score"]),
            weight=float(data["weight"]),
            applicable=bool(data.get("applicable", True)),
            grade=str(data.get("grade", "")),
            evidence=tuple(Evidence.from_json(e) for e in data.get("evidence", ())),
            missing=tuple(Missing.from_json(m) for m in data.get("missing", ())),
            advice=str(data.get("advice", "")),
        )


@dataclass(frozen=True, slots=True)
class ScoreCard:
    """The result of scoring one call."""

    overall: float
    passed: bool
    pass_mark: float
    lang: Lang
    rubric_id: str
    rubric_version: str
    rubric_hash: str
    breaches: tuple[CardBreach, ...]
    criteria: tuple[CardCriterion, ...]
    desc_timeline: tuple[DescEpisode, ...] = ()
    phase_timeline: tuple[PhaseSpan, ...] = ()
    metrics: Metrics = field(default_factory=Metrics)
    outcome: str | None = None
    penalties: float = 0.0
    scenario_id: str | None = None
    call_date: str | None = None

    @property
    def blocking_breaches(self) -> tuple[CardBreach, ...]:
        return tuple(b for b in self.breaches if b.blocking)

    def criterion(self, criterion_id: str) -> CardCriterion | None:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        return None

    def breach_codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.breaches)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "overall": self.overall,
            "passed": self.passed,
            "pass_mark": self.pass_mark,
            "lang": self.lang,
            "rubric": {
                "id": self.rubric_id,
                "version": self.rubric_version,
                "hash": self.rubric_hash,
            },
            "outcome": self.outcome,
            "penalties": self.penalties,
            "scenario_id": self.scenario_id,
            "call_date": self.call_date,
            "breaches": [b.to_json() for b in self.breaches],
            "criteria": [c.to_json() for c in self.criteria],
            "desc_timeline": [e.to_json() for e in self.desc_timeline],
            "phase_timeline": [p.to_json() for p in self.phase_timeline],
            "metrics": self.metrics.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScoreCard:
        if data.get("format") != FORMAT:
            raise ValueError(
                f"not a score card: format is {data.get('format')!r}, expected {FORMAT!r}"
            )
        rubric = data.get("rubric") or {}
        lang = data.get("lang", "fr")
        return cls(
            overall=float(data["overall"]),
            passed=bool(data["passed"]),
            pass_mark=float(data["pass_mark"]),
            lang=cast(Lang, lang if lang in ("fr", "en") else "fr"),
            rubric_id=str(rubric.get("id", "")),
            rubric_version=str(rubric.get("version", "")),
            rubric_hash=str(rubric.get("hash", "")),
            breaches=tuple(CardBreach.from_json(b) for b in data.get("breaches", ())),
            criteria=tuple(CardCriterion.from_json(c) for c in data.get("criteria", ())),
            desc_timeline=tuple(DescEpisode.from_json(e) for e in data.get("desc_timeline", ())),
            phase_timeline=tuple(PhaseSpan.from_json(p) for p in data.get("phase_timeline", ())),
            metrics=Metrics.from_json(data.get("metrics") or {}),
            outcome=data.get("outcome"),
            penalties=float(data.get("penalties", 0.0)),
            scenario_id=data.get("scenario_id"),
            call_date=data.get("call_date"),
        )

    def dumps(self, indent: int | None = 2) -> str:
        """The card as JSON text (UTF-8 characters kept as they are)."""
        return json.dumps(self.to_json(), ensure_ascii=False, indent=indent)

    @classmethod
    def loads(cls, text: str) -> ScoreCard:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a score card must be a JSON object")
        return cls.from_json(data)


def passes(overall: float, pass_mark: float, breaches: tuple[CardBreach, ...]) -> bool:
    """The default pass rule of acts.md: overall ≥ pass mark and no blocking breach."""
    return overall >= pass_mark and not any(b.blocking for b in breaches)
