"""DESC: how the trainee answers a refusal, a stall, an attack or an unacceptable request.

At each debtor resistance the trainee should Describe the facts (``fact_reminder``),
Express the impact (``impact``), Suggest a solution (``proposal``) and state the
Consequences (``consequence``), in that order, over one to three replies (acts.md,
DESC). Resistances come from the scenario's ``resistance`` tags; a hand-typed call
without any tag is read with a short list of cues per language.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from scoring.frameworks.base import (
    CriterionResult,
    DescEpisode,
    DescStep,
    Evidence,
    FrameworkResult,
    Missing,
    not_applicable,
    quote_of,
)
from scoring.labels import DESC_STEPS
from scoring.rubric import CriterionSpec
from scoring.transcript import Transcript, Turn

NAME = "desc"
CRITERIA = ("desc",)
RESISTANCE_TAG = "resistance"

#: Refusal, stall, attack, unacceptable request: used only when the call has no tags.
_CUES: dict[str, tuple[str, ...]] = {
    "fr": (
        r"\bje (?:ne )?(?:vais pas |veux pas |peux pas )?(?:vous )?pa[iy]er(?:ai)? (?:pas|rien)\b",
        r"\bje ne (?:paierai|payerai)\b",
        r"\bpas question\b",
        r"\bhors de question\b",
        r"\bje refuse\b",
        r"\bje ne (?:vous )?dois rien\b",
        r"\bje ne peux pas (?:payer|régler)\b",
        r"\bpas (?:les moyens|d'argent|un sou)\b",
        r"\bpas maintenant\b",
        r"\bplus tard\b",
        r"\brappelez\b",
        r"\bon verra\b",
        r"\bpas le temps\b",
        r"\bdans (?:deux|trois|quatre|six|\d+) mois\b",
        r"\bharcel\w*",
        r"\bscandal\w*",
        r"\binadmissible\b",
        r"\bn'importe quoi\b",
        r"\blaissez-moi tranquille\b",
        r"\b(?:annul|supprim|enlev|retir)\w* (?:les |vos |ces )?(?:pénalités|frais|indemnité)",
        r"\bsans (?:les )?(?:pénalités|frais)\b",
        r"\bgeste commercial\b",
        r"\ben (?:dix|douze|vingt|\d{2}) fois\b",
    ),
    "en": (
        r"\b(?:won't|will not|not going to|refuse to) pay\b",
        r"\bnot paying\b",
        r"\bno way\b",
        r"\bi refuse\b",
        r"\bdon't owe\b",
        r"\b(?:can't|cannot|can not) (?:pay|afford)\b",
        r"\bno money\b",
        r"\bnot now\b",
        r"\bcall (?:me )?back\b",
        r"\blater\b",
        r"\bwe'll see\b",
        r"\bin (?:two|three|four|six|\d+) months\b",
        r"\bharass\w*",
        r"\boutrageous\b",
        r"\bridiculous\b",
        r"\bleave me alone\b",
        r"\b(?:waive|drop|cancel|remove) (?:the |your |those )?(?:late )?(?:fees?|penalt\w+|charges?|interest)",
        r"\bdiscount\b",
        r"\bwrite (?:it )?off\b",
        r"\bin (?:ten|twelve|twenty|\d{2}) (?:instalments|installments|payments)\b",
    ),
}
_COMPILED = {
    lang: tuple(re.compile(p, re.IGNORECASE) for p in pats) for lang, pats in _CUES.items()
}


def find_resistances(transcript: Transcript) -> tuple[tuple[Turn, str], ...]:
    """Debtor turns that resist, with what marks them (the tag or the cue words)."""
    debtor = transcript.debtor_turns
    if any(t.tags for t in debtor):
        return tuple((t, RESISTANCE_TAG) for t in debtor if RESISTANCE_TAG in t.tags)
    out: list[tuple[Turn, str]] = []
    patterns = _COMPILED.get(transcript.lang, _COMPILED["fr"])
    for turn in debtor:
        for pattern in patterns:
            match = pattern.search(turn.text)
            if match:
                out.append((turn, match.group(0)))
                break
    return tuple(out)


@dataclass(slots=True)
class _Open:
    turn: Turn
    cue: str
    replies: tuple[Turn, ...]
    also: list[int] = field(default_factory=list)


def evaluate(transcript: Transcript, section: Mapping[str, CriterionSpec]) -> FrameworkResult:
    """One episode per resistance (a renewed resistance inside an open window joins it)."""
    spec = section.get("desc")
    episodes = timeline(transcript, int(spec.param("window")) if spec else 3, spec)
    if spec is None:
        return FrameworkResult(NAME, (), desc_timeline=episodes)
    return FrameworkResult(NAME, (_criterion(episodes, spec),), desc_timeline=episodes)


def timeline(
    transcript: Transcript, window: int = 3, spec: CriterionSpec | None = None
) -> tuple[DescEpisode, ...]:
    """The DESC timeline: for each resistance, which steps came in which turn."""
    window = max(1, window)
    trainee = transcript.trainee_turns
    opened: list[_Open] = []
    for turn, cue in find_resistances(transcript):
        replies = tuple(t for t in trainee if t.index > turn.index)[:window]
        if not replies:
            continue
        if opened:
            prev = opened[-1]
            before = tuple(r for r in prev.replies if r.index < turn.index)
            if turn.index < prev.replies[-1].index and len(_found(before)) < len(DESC_STEPS):
                prev.also.append(turn.index)
                continue
        opened.append(_Open(turn, cue, replies))
    return tuple(_episode(o, spec) for o in opened)


def _found(replies: tuple[Turn, ...]) -> dict[str, DescStep]:
    found: dict[str, DescStep] = {}
    for step, label in DESC_STEPS:
        for reply in replies:
            act = reply.act(label)
            if act is not None:
                found[step] = DescStep(step, label, reply.index, quote_of(reply, act.span))
                break
    return found


def _position(replies: tuple[Turn, ...], step: DescStep) -> tuple[int, int]:
    for reply in replies:
        if reply.index == step.turn:
            act = reply.act(step.label)
            return (reply.index, act.span.start if act else 0)
    return (step.turn or 0, 0)


def _episode(o: _Open, spec: CriterionSpec | None) -> DescEpisode:
    found = _found(o.replies)
    steps = tuple(found.get(step, DescStep(step, label, None)) for step, label in DESC_STEPS)
    positions = [_position(o.replies, s) for s in steps if s.turn is not None]
    in_order = len(positions) >= 2 and all(a <= b for a, b in itertools.pairwise(positions))
    weights = _weights(spec, len(positions))
    total = sum(weights.values())
    earned = sum(weights[s.step] for s in steps if s.turn is not None)
    if in_order:
        earned += weights.get("order", 0.0)
    score = earned / total if total else 0.0
    return DescEpisode(
        turn=o.turn.index,
        quote=quote_of(o.turn),
        cue=o.cue,
        replies=tuple(r.index for r in o.replies),
        steps=steps,
        order_respected=in_order,
        score=round(score, 6),
        also=tuple(o.also),
    )


def _weights(spec: CriterionSpec | None, found: int) -> dict[str, float]:
    """Step weights, plus ``order`` once at least two steps are there to be ordered."""
    default = {"D": 2.0, "E": 2.0, "S": 2.0, "C": 2.0, "order": 2.0}
    weights = {k: (spec.check_weight(k) if spec else v) for k, v in default.items()}
    if found < 2:
        weights.pop("order")
    return weights


def _criterion(episodes: tuple[DescEpisode, ...], spec: CriterionSpec) -> CriterionResult:
    if not episodes:
        return not_applicable(spec)
    n = len(episodes)
    evidence: list[Evidence] = []
    missing: list[Missing] = []
    for ep in episodes:
        weights = _weights(spec, len(ep.found))
        total = sum(weights.values()) or 1.0
        for step in ep.steps:
            if step.turn is not None:
                item = Evidence(step.turn, step.quote, step.label)
                if item not in evidence:
                    evidence.append(item)
            elif weights[step.step] > 0:
                missing.append(
                    Missing(
                        step.step,
                        round(weights[step.step] / total / n, 6),
                        ep.turn,
                        ep.quote,
                        {"label": step.label},
                    )
                )
        if "order" in weights and not ep.order_respected and weights["order"] > 0:
            missing.append(
                Missing(
                    "order",
                    round(weights["order"] / total / n, 6),
                    ep.turn,
                    ep.quote,
                    {"found": " ".join(_found_in_turn_order(ep))},
                )
            )
    score = sum(ep.score for ep in episodes) / n
    return CriterionResult(spec.id, round(score, 6), tuple(evidence), tuple(missing))


def _found_in_turn_order(ep: DescEpisode) -> list[str]:
    present = [s for s in ep.steps if s.turn is not None]
    return [s.step for s in sorted(present, key=lambda s: (s.turn or 0, "DESC".index(s.step)))]
