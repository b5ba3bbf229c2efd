"""The call as a state machine: the host calls ``start()`` then ``reply(text)``.

Like ink's Story or Yarn Spinner's Dialogue, the engine never displays anything and
never waits: the host (CLI runner, TUI, classroom server) drives it and renders what
comes back. An explicit :class:`State` says what the engine expects next, and a call in
the wrong state raises :class:`EngineStateError`.

Order of work for one reply:

1. the reply is analysed (the analyzer is injected, see :class:`Analyzer`);
2. the persona's ``reactions`` move the mood for every act label of the reply;
3. the offer on the table (amount, date, means, instalments) is updated;
4. ``interrupts`` are tried in order, then the current node's transitions; the first
   whose condition holds is taken (its effects, then the target node's effects);
5. if none holds, the node's fallback answers (patience drops), and after ``after``
   unmatched replies moves to its ``goto``; interrupts are tried once more, so that
   patience running out ends the call at once.

Deterministic: line variants are chosen from a hash of (seed, node, visit, turn), never
from global randomness, so the same scenario, seed and replies give the same call.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from scoring.labels import ABANDONED
from scoring.types import Analysis
from simulator.dialogue.conditions import CompiledCondition, EvalContext
from simulator.dialogue.lint import condition_key
from simulator.dialogue.loader import LoadedScenario
from simulator.dialogue.model import Effects, Line, Node
from simulator.errors import EngineStateError

SNAPSHOT_VERSION = 1


class Analyzer(Protocol):
    """What the engine needs from the scorer's analyzer (``scoring.analyze``)."""

    def __call__(
        self, text: str, lang: str, context: str | None = None, *, call_date: dt.date | None = None
    ) -> Analysis: ...


class State(enum.Enum):
    """What the engine is waiting for."""

    NOT_STARTED = "not_started"
    AWAITING_REPLY = "awaiting_reply"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class MoodState:
    anger: int
    trust: int
    patience: int

    def to_json(self) -> dict[str, int]:
        return {"anger": self.anger, "trust": self.trust, "patience": self.patience}


@dataclass(frozen=True, slots=True)
class DebtorTurn:
    """What the debtor says, and the state of the call after it."""

    text: str
    node_id: str
    variant_id: str
    tags: tuple[str, ...]
    mood: MoodState
    finished: bool
    outcome: str | None
    reprompt: bool = False


@dataclass(frozen=True, slots=True)
class ReplyResult:
    """The engine's answer to one trainee reply."""

    analysis: Analysis
    debtor: DebtorTurn
    engine_ms: float
    revealed: bool


@dataclass(slots=True)
class _Offer:
    amount: float | None = None
    days: int | None = None
    means: str | None = None
    instalments: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "amount": self.amount,
            "days": self.days,
            "means": self.means,
            "instalments": self.instalments,
        }


@dataclass(slots=True)
class _Vars:
    node: str = ""
    anger: int = 0
    trust: int = 0
    patience: int = 0
    turn: int = 0
    fallbacks: int = 0
    revealed: bool = False
    outcome: str | None = None
    last_debtor_text: str = ""
    flags: set[str] = field(default_factory=set)
    visits: dict[str, int] = field(default_factory=dict)
    label_counts: dict[str, int] = field(default_factory=dict)
    last_variant: dict[str, str] = field(default_factory=dict)
    fired: set[int] = field(default_factory=set)
    offer: _Offer = field(default_factory=_Offer)


def _clamp(value: int) -> int:
    return 0 if value < 0 else 10 if value > 10 else value


class Engine:
    """One call over one scenario."""

    def __init__(
        self,
        loaded: LoadedScenario,
        analyzer: Analyzer,
        *,
        seed: int = 0,
        call_date: dt.date | None = None,
    ) -> None:
        self.loaded = loaded
        self.scenario = loaded.scenario
        self.analyzer = analyzer
        self.seed = int(seed)
        self.call_date = call_date or self.scenario.call_date or dt.date.today()
        self.state = State.NOT_STARTED
        self._nodes: dict[str, tuple[int, Node]] = {
            n.id: (i, n) for i, n in enumerate(self.scenario.nodes)
        }
        mood = self.scenario.persona.mood
        self._v = _Vars(anger=mood.anger, trust=mood.trust, patience=mood.patience)
        margins = self.scenario.brief.margins
        self._latest_days = (
            (margins.latest_date - self.call_date).days if margins.latest_date else None
        )

    # -- public API ----------------------------------------------------------------
    @property
    def node(self) -> Node:
        """The node the debtor is at (its ``expects`` and ``hint`` help the trainee)."""
        if self.state is State.NOT_STARTED:
            raise EngineStateError("the call has not started", hint="call start() first")
        return self._nodes[self._v.node][1]

    @property
    def mood(self) -> MoodState:
        return MoodState(self._v.anger, self._v.trust, self._v.patience)

    @property
    def outcome(self) -> str | None:
        return self._v.outcome

    @property
    def revealed(self) -> bool:
        return self._v.revealed

    @property
    def turn(self) -> int:
        return self._v.turn

    @property
    def last_debtor_text(self) -> str:
        return self._v.last_debtor_text

    def start(self) -> DebtorTurn:
        """The debtor picks up the phone: the opening turn."""
        if self.state is not State.NOT_STARTED:
            raise EngineStateError(f"start() called when the call is {self.state.value}")
        self.state = State.AWAITING_REPLY
        return self._enter(self.scenario.start_id, None)

    def reply(self, text: str) -> ReplyResult:
        """Process one trainee reply and return the debtor's answer."""
        if self.state is State.NOT_STARTED:
            raise EngineStateError("reply() before start()", hint="call start() first")
        if self.state is State.FINISHED:
            raise EngineStateError(
                "reply() after the call has ended", hint=f"outcome: {self._v.outcome}"
            )
        analysis = self.analyzer(
            text, self.scenario.lang, self._v.last_debtor_text or None, call_date=self.call_date
        )
        began = time.perf_counter_ns()
        was_revealed = self._v.revealed
        debtor = self._step(text, analysis)
        engine_ms = (time.perf_counter_ns() - began) / 1e6
        return ReplyResult(analysis, debtor, engine_ms, self._v.revealed and not was_revealed)

    def abandon(self) -> None:
        """The trainee hangs up: the call ends with outcome ``abandoned``."""
        if self.state is State.FINISHED:
            return
        self.state = State.FINISHED
        self._v.outcome = ABANDONED

    # -- snapshots -----------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """A versioned, JSON-serialisable copy of the state (to resume after a restart)."""
        v = self._v
        return {
            "version": SNAPSHOT_VERSION,
            "scenario": self.scenario.id,
            "content_hash": self.loaded.content_hash,
            "seed": self.seed,
            "call_date": self.call_date.isoformat(),
            "state": self.state.value,
            "node": v.node,
            "mood": {"anger": v.anger, "trust": v.trust, "patience": v.patience},
            "turn": v.turn,
            "fallbacks": v.fallbacks,
            "revealed": v.revealed,
            "outcome": v.outcome,
            "last_debtor_text": v.last_debtor_text,
            "flags": sorted(v.flags),
            "visits": dict(sorted(v.visits.items())),
            "label_counts": dict(sorted(v.label_counts.items())),
            "last_variant": dict(sorted(v.last_variant.items())),
            "fired": sorted(v.fired),
            "offer": v.offer.to_json(),
        }

    @classmethod
    def restore(
        cls,
        loaded: LoadedScenario,
        analyzer: Analyzer,
        snapshot: Mapping[str, Any],
        *,
        allow_changed_scenario: bool = False,
    ) -> Engine:
        """Rebuild an engine from :meth:`snapshot`; refuses another scenario or version."""
        version = snapshot.get("version")
        if version != SNAPSHOT_VERSION:
            raise EngineStateError(
                f"saved call state has version {version}, this Relance reads {SNAPSHOT_VERSION}",
                hint="close the call and score it as it stands",
            )
        if snapshot.get("scenario") != loaded.scenario.id:
            raise EngineStateError(
                f"saved state belongs to scenario {snapshot.get('scenario')!r}, "
                f"not {loaded.scenario.id!r}"
            )
        if snapshot.get("content_hash") != loaded.content_hash and not allow_changed_scenario:
            raise EngineStateError(
                "the scenario file changed since this call was saved",
                hint="close the call and score it as it stands, or restore the old file",
            )
        engine = cls(
            loaded,
            analyzer,
            seed=int(snapshot["seed"]),
            call_date=dt.date.fromisoformat(snapshot["call_date"]),
        )
        if snapshot["node"] not in engine._nodes:
            raise EngineStateError(f"saved node {snapshot['node']!r} is not in the scenario")
        v = engine._v
        engine.state = State(snapshot["state"])
        v.node = snapshot["node"]
        v.anger = int(snapshot["mood"]["anger"])
        v.trust = int(snapshot["mood"]["trust"])
        v.patience = int(snapshot["mood"]["patience"])
        v.turn = int(snapshot["turn"])
        v.fallbacks = int(snapshot["fallbacks"])
        v.revealed = bool(snapshot["revealed"])
        v.outcome = snapshot.get("outcome")
        v.last_debtor_text = str(snapshot.get("last_debtor_text", ""))
        v.flags = set(snapshot.get("flags", ()))
        v.visits = {str(k): int(n) for k, n in snapshot.get("visits", {}).items()}
        v.label_counts = {str(k): int(n) for k, n in snapshot.get("label_counts", {}).items()}
        v.last_variant = {str(k): str(x) for k, x in snapshot.get("last_variant", {}).items()}
        v.fired = {int(i) for i in snapshot.get("fired", ())}
        offer = snapshot.get("offer", {})
        v.offer = _Offer(
            offer.get("amount"), offer.get("days"), offer.get("means"), offer.get("instalments")
        )
        return engine

    # -- internals -----------------------------------------------------------------
    def _cond(self, path: tuple[str | int, ...]) -> CompiledCondition:
        return self.loaded.conditions[condition_key(path)]

    def _context(self, text: str, analysis: Analysis | None) -> EvalContext:
        v = self._v
        said = self._stated(analysis)
        return EvalContext(
            acts=analysis.labels if analysis is not None else frozenset(),
            text=text,
            amount=said.amount,
            days=said.days,
            means=said.means,
            instalments=said.instalments,
            anger=v.anger,
            trust=v.trust,
            patience=v.patience,
            turn=v.turn,
            fallbacks=v.fallbacks,
            revealed=v.revealed,
            flags=frozenset(v.flags),
            visit_counts=v.visits,
            label_counts=v.label_counts,
            offer_amount=v.offer.amount,
            offer_days=v.offer.days,
            offer_means=v.offer.means,
            offer_instalments=v.offer.instalments,
            offer_ok=self._offer_ok(),
            offer_complete=(
                v.offer.amount is not None
                and v.offer.days is not None
                and v.offer.means is not None
            ),
        )

    def _stated(self, analysis: Analysis | None) -> _Offer:
        """The amount, date, means and instalments the reply puts forward.

        When the reply makes a proposal (or asks for a commitment), only what is said
        from that point on counts: « pas janvier, je vous propose le 15 » offers the 15th,
        and an amount quoted as a fact before the proposal is not an offer.
        """
        said = _Offer()
        if analysis is None:
            return said
        offer_starts = [
            a.span.start for a in analysis.acts if a.label in ("proposal", "commitment_request")
        ]
        start = min(offer_starts) if offer_starts else 0
        entities = [e for e in analysis.entities if e.span.end > start] or list(analysis.entities)
        for entity in entities:
            if entity.kind == "amount" and said.amount is None:
                said.amount = float(entity.value)
            elif entity.kind == "date" and said.days is None:
                said.days = self._days(entity.value)
            elif entity.kind == "means" and said.means is None:
                said.means = str(entity.value)
            elif entity.kind == "instalments" and said.instalments is None:
                said.instalments = int(entity.value)
        return said

    def _days(self, value: object) -> int | None:
        try:
            return (dt.date.fromisoformat(str(value)) - self.call_date).days
        except ValueError:
            return None

    def _offer_ok(self) -> bool:
        o = self._v.offer
        if o.amount is None and o.days is None and o.instalments is None:
            return False
        m = self.scenario.brief.margins
        minimum = m.min_first_payment
        if o.amount is not None and minimum is not None and o.amount + 0.005 < minimum:
            return False
        if o.instalments is not None and o.instalments > m.max_instalments:
            return False
        return not (
            o.days is not None and self._latest_days is not None and o.days > self._latest_days
        )

    def _update_offer(self, analysis: Analysis) -> None:
        offer, said = self._v.offer, self._stated(analysis)
        offer.amount = said.amount if said.amount is not None else offer.amount
        offer.days = said.days if said.days is not None else offer.days
        offer.means = said.means if said.means is not None else offer.means
        if said.instalments is not None:
            offer.instalments = said.instalments

    def _apply(self, effects: Effects) -> None:
        v = self._v
        v.anger = _clamp(v.anger + effects.anger)
        v.trust = _clamp(v.trust + effects.trust)
        v.patience = _clamp(v.patience + effects.patience)
        v.flags.update(effects.set)
        v.flags.difference_update(effects.clear)
        if effects.reveal:
            v.revealed = True

    def _step(self, text: str, analysis: Analysis) -> DebtorTurn:
        v = self._v
        v.turn += 1
        labels = sorted(analysis.labels)
        reactions = self.scenario.persona.reactions
        for label in labels:
            v.label_counts[label] = v.label_counts.get(label, 0) + 1
            delta = reactions.get(label)
            if delta is not None:
                v.anger = _clamp(v.anger + delta.anger)
                v.trust = _clamp(v.trust + delta.trust)
                v.patience = _clamp(v.patience + delta.patience)
        self._update_offer(analysis)
        ctx = self._context(text, analysis)

        moved = self._try_interrupts(ctx)
        if moved is not None:
            return moved
        index, node = self._nodes[v.node]
        for t, tr in enumerate(node.transitions):
            if self._cond(("nodes", index, "transitions", t, "when"))(ctx):
                self._apply(tr.effects)
                return self._enter(tr.goto, ctx)
        return self._fallback(index, node, text, analysis)

    def _try_interrupts(self, ctx: EvalContext) -> DebtorTurn | None:
        for i, it in enumerate(self.scenario.interrupts):
            if it.once and i in self._v.fired:
                continue
            if it.goto == self._v.node:
                continue
            if self._cond(("interrupts", i, "when"))(ctx):
                self._v.fired.add(i)
                self._apply(it.effects)
                return self._enter(it.goto, ctx)
        return None

    def _fallback(self, index: int, node: Node, text: str, analysis: Analysis) -> DebtorTurn:
        v = self._v
        v.fallbacks += 1
        fb = node.fallback
        if fb is None:  # the validator refuses this; keep the engine total anyway
            return self._say(node, index, node.say, ("nodes", index, "say"), None, reprompt=True)
        v.patience = _clamp(v.patience + fb.patience)
        ctx = self._context(text, analysis)  # with the new patience and fallback count
        if fb.goto is not None and v.fallbacks >= fb.after:
            return self._enter(fb.goto, ctx)
        moved = self._try_interrupts(ctx)
        if moved is not None:
            return moved
        return self._say(
            node, index, fb.say, ("nodes", index, "fallback", "say"), ctx, reprompt=True
        )

    def _enter(self, node_id: str, ctx: EvalContext | None) -> DebtorTurn:
        v = self._v
        index, node = self._nodes[node_id]
        v.node = node_id
        v.fallbacks = 0
        v.visits[node_id] = v.visits.get(node_id, 0) + 1
        self._apply(node.effects)
        if node.outcome is not None:
            self.state = State.FINISHED
            v.outcome = node.outcome
        if ctx is not None:
            ctx.anger, ctx.trust, ctx.patience = v.anger, v.trust, v.patience
            ctx.revealed = v.revealed
            ctx.flags = frozenset(v.flags)
        return self._say(node, index, node.say, ("nodes", index, "say"), ctx)

    def _say(
        self,
        node: Node,
        index: int,
        lines: list[Line],
        path: tuple[str | int, ...],
        ctx: EvalContext | None,
        *,
        reprompt: bool = False,
    ) -> DebtorTurn:
        v = self._v
        context = ctx or self._context("", None)
        eligible = [
            line
            for k, line in enumerate(lines)
            if line.when is None or self._cond((*path, k, "when"))(context)
        ] or list(lines)
        key = f"{node.id}#r" if reprompt else node.id
        last = v.last_variant.get(key)
        if len(eligible) > 1 and last is not None:
            eligible = [line for line in eligible if line.id != last] or eligible
        digest = hashlib.blake2b(
            f"{self.seed}|{key}|{v.visits.get(node.id, 0)}|{v.turn}|{v.fallbacks}".encode(),
            digest_size=8,
        ).digest()
        line = eligible[int.from_bytes(digest, "big") % len(eligible)]
        v.last_variant[key] = line.id
        v.last_debtor_text = line.text
        return DebtorTurn(
            text=line.text,
            node_id=node.id,
            variant_id=line.id,
            tags=tuple(node.tags),
            mood=self.mood,
            finished=self.state is State.FINISHED,
            outcome=v.outcome,
            reprompt=reprompt,
        )
