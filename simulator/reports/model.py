"""One recorded session as every report sees it: session, card, overrides, seal check.

:func:`load_report` reads a session and recomputes its seal once; every format (HTML,
PDF, CSV, JSON, xAPI) then renders the same :class:`SessionReport`, so they cannot
disagree on a score, a verdict or whether the record was altered.

Overrides never replace the automatic score: each criterion keeps both
(:class:`CriterionView` ``automatic`` and ``final``). The overall "after overrides" is the
card's own aggregation redone with the assessor's scores in force — the weighted mean of
the applicable criteria less the card's penalties — and the pass rule is the card's: the
pass mark and no blocking breach (an override cannot erase a breach).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from scoring.card import CardBreach, ScoreCard
from scoring.frameworks.base import Evidence, Missing
from simulator.errors import RelanceError
from simulator.reports.labels import Words
from simulator.store.model import Override, Session, TurnRecord, VerifyReport

SealState = Literal["unsealed", "intact", "altered"]
Citation = tuple[Literal["evidence", "missing", "breach"], str]

_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor(kind: str, key: object) -> str:
    """A stable fragment id: ``turn-7``, ``criterion-desc``, ``breach-1``."""
    return f"{kind}-{_ANCHOR_UNSAFE.sub('-', str(key))}"


@dataclass(frozen=True)
class CriterionView:
    """One criterion with its automatic score and the assessor's score in force."""

    id: str
    title: str
    weight: float
    applicable: bool
    grade: str
    automatic: float
    final: float
    overrides: tuple[Override, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[Missing, ...] = ()
    advice: str = ""

    @property
    def overridden(self) -> bool:
        return bool(self.overrides)

    @property
    def override(self) -> Override | None:
        """The override in force (the last one given)."""
        return self.overrides[-1] if self.overrides else None


def overall_with(card: ScoreCard, scores: dict[str, float]) -> float:
    """The card's overall redone with ``scores`` (criterion → 0–100) in place of its own.

    A criterion the assessor scored counts even if the scorer found it not applicable.
    """
    if not scores:
        return card.overall
    weighted = total = 0.0
    for c in card.criteria:
        applicable = c.applicable or c.id in scores
        if not applicable:
            continue
        weighted += c.weight * scores.get(c.id, c.score)
        total += c.weight
    base = weighted / total if total else 0.0
    return round(max(0.0, min(100.0, base - card.penalties)), 1)


@dataclass(frozen=True)
class SessionReport:
    """A session, its parsed card and the result of recomputing its seal."""

    session: Session
    verify: VerifyReport
    lang: str
    card: ScoreCard | None = None
    card_error: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, session: Session, verify: VerifyReport, lang: str | None = None) -> SessionReport:
        card: ScoreCard | None = None
        error: str | None = None
        if session.card is not None:
            try:
                card = ScoreCard.from_json(session.card)
            except (ValueError, KeyError, TypeError) as exc:
                error = str(exc) or type(exc).__name__
        chosen = lang or session.lang
        return cls(session, verify, chosen if chosen in ("fr", "en") else "fr", card, error)

    # -- words ------------------------------------------------------------------------
    @cached_property
    def words(self) -> Words:
        return Words(self.lang)

    # -- the seal ---------------------------------------------------------------------
    @property
    def seal_state(self) -> SealState:
        if not self.verify.sealed and self.session.seal is None:
            return "unsealed"
        return "intact" if self.verify.ok else "altered"

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(str(p) for p in self.verify.problems)

    # -- scores -----------------------------------------------------------------------
    @cached_property
    def criteria(self) -> tuple[CriterionView, ...]:
        if self.card is None:
            return ()
        views = []
        for c in self.card.criteria:
            overrides = self.session.overrides_for(c.id)
            views.append(
                CriterionView(
                    id=c.id,
                    title=self.words.criterion(c.id, c.title),
                    weight=c.weight,
                    applicable=c.applicable,
                    grade=c.grade,
                    automatic=c.score,
                    final=overrides[-1].score if overrides else c.score,
                    overrides=overrides,
                    evidence=c.evidence,
                    missing=c.missing,
                    advice=c.advice,
                )
            )
        return tuple(views)

    @property
    def breaches(self) -> tuple[CardBreach, ...]:
        return self.card.breaches if self.card else ()

    @property
    def orphan_overrides(self) -> tuple[Override, ...]:
        """Overrides of a criterion the card does not have (shown, never counted)."""
        known = {c.id for c in self.criteria}
        return tuple(o for o in self.session.overrides if o.criterion not in known)

    @property
    def has_overrides(self) -> bool:
        return bool(self.session.overrides)

    @cached_property
    def final_scores(self) -> dict[str, float]:
        """Criterion → the assessor's score in force, for the card's criteria only."""
        known = {c.id for c in self.criteria}
        return {k: v for k, v in self.session.final_scores().items() if k in known}

    @property
    def overall(self) -> float | None:
        """The automatic overall, as on the card."""
        return self.card.overall if self.card else None

    @property
    def passed(self) -> bool | None:
        return self.card.passed if self.card else None

    @cached_property
    def final_overall(self) -> float | None:
        """The overall with the assessor's overrides in force (the automatic one if none)."""
        if self.card is None:
            return None
        return overall_with(self.card, self.final_scores)

    @property
    def final_passed(self) -> bool | None:
        if self.card is None or self.final_overall is None:
            return None
        if not self.final_scores:
            return self.card.passed
        return self.final_overall >= self.card.pass_mark and not self.card.blocking_breaches

    # -- the call ---------------------------------------------------------------------
    @property
    def duration(self) -> dt.timedelta | None:
        s = self.session
        if s.ended_at is None:
            return None
        return max(dt.timedelta(0), s.ended_at - s.started_at)

    @cached_property
    def citations(self) -> dict[int, tuple[Citation, ...]]:
        """Turn index → what cites it: criteria (evidence or missing) and breaches."""
        found: dict[int, list[Citation]] = {}

        def add(turn: int | None, item: Citation) -> None:
            if turn is None:
                return
            items = found.setdefault(turn, [])
            if item not in items:
                items.append(item)

        for n, b in enumerate(self.breaches, start=1):
            add(b.turn, ("breach", str(n)))
        for c in self.criteria:
            for e in c.evidence:
                add(e.turn, ("evidence", c.id))
            for m in c.missing:
                add(m.turn, ("missing", c.id))
        return {k: tuple(v) for k, v in found.items()}

    @property
    def turn_indexes(self) -> frozenset[int]:
        return frozenset(t.index for t in self.session.turns)


def turn_labels(turn: TurnRecord) -> tuple[str, ...]:
    """The act labels of a trainee turn, once each, in the order they were found."""
    seen: list[str] = []
    for act in turn.acts or ():
        label = str(act.get("label", ""))
        if label and label not in seen:
            seen.append(label)
    return tuple(seen)


def load_report(store: Any, session_id: str, lang: str | None = None) -> SessionReport:
    """Read one session and check its seal.

    An unknown id is the store's :class:`~simulator.errors.StoreError` ("no session …"),
    a user error like any other: the CLI prints it without a traceback.
    """
    try:
        session = store.get(session_id)
    except KeyError:
        raise RelanceError(
            f"no session '{session_id}'", hint="`relance sessions` lists the recorded sessions"
        ) from None
    verify = store.verify(session.id)
    return SessionReport.of(session, verify, lang)
