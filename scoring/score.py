"""Score a call: transcript in, score card out.

Runs every framework over the transcript, turns each breach into its cost on the
criterion the rubric names (and a penalty on the overall when the rubric says so),
weights the criteria and applies the pass rule of acts.md. The same transcript and
rubric always give the same card: nothing here depends on time, randomness or the order
of a set. Trainee turns that carry no ``acts`` are analysed first with
:func:`scoring.analyzer.analyze`, imported only when needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from scoring.card import CardBreach, CardCriterion, ScoreCard, passes
from scoring.frameworks import balance, compliance, desc, facts, phases, promise, wording
from scoring.frameworks import metrics as metrics_fw
from scoring.frameworks.base import (
    Breach,
    CriterionResult,
    DescEpisode,
    FrameworkResult,
    Missing,
    PhaseSpan,
)
from scoring.rubric import CriterionSpec, Rubric, default_rubric
from scoring.transcript import Transcript, Turn, parse_transcript, with_context
from scoring.types import Analysis, Entity


class _Framework(Protocol):
    NAME: str

    def evaluate(
        self, transcript: Transcript, section: Mapping[str, CriterionSpec]
    ) -> FrameworkResult: ...


#: The frameworks, in the order their criteria are usually listed.
FRAMEWORKS: tuple[_Framework, ...] = (phases, desc, balance, promise, facts, compliance, wording)

Analyzer = Callable[..., Analysis]
Extractor = Callable[[str, str, dt.date | None], tuple[Entity, ...]]


class ScoringError(ValueError):
    """The call cannot be scored (e.g. unanalysed turns and no analyzer)."""


def score_transcript(
    transcript: Mapping[str, Any] | Transcript,
    *,
    rubric: Rubric | None = None,
    scenario: Mapping[str, Any] | None = None,
) -> ScoreCard:
    """Score one call.

    ``scenario`` may supply what the transcript lacks: ``account``, ``brief``,
    ``segment`` and ``node_tags`` (node id → tags, for debtor turns without tags).
    """
    rubric = rubric or default_rubric()
    t = transcript if isinstance(transcript, Transcript) else parse_transcript(transcript)
    if scenario:
        t = with_context(
            t,
            account=scenario.get("account"),
            brief=scenario.get("brief"),
            segment=scenario.get("segment"),
            node_tags=scenario.get("node_tags"),
        )
    t = attach_analyses(t)
    return build_card(t, rubric)


def build_card(transcript: Transcript, rubric: Rubric) -> ScoreCard:
    """Run the frameworks over an analysed transcript and assemble the card."""
    results: dict[str, CriterionResult] = {}
    breaches: list[Breach] = []
    desc_timeline: tuple[DescEpisode, ...] = ()
    phase_timeline: tuple[PhaseSpan, ...] = ()
    for fw in FRAMEWORKS:
        out: FrameworkResult = fw.evaluate(transcript, rubric.section(fw.NAME))
        for c in out.criteria:
            results[c.id] = c
        breaches.extend(out.breaches)
        desc_timeline = desc_timeline or out.desc_timeline
        phase_timeline = phase_timeline or out.phase_timeline
    if not desc_timeline:
        desc_timeline = desc.timeline(transcript)
    breaches.sort(key=lambda b: (not b.blocking, b.turn if b.turn is not None else -1, b.code))

    lang = transcript.lang
    card_breaches, penalties = _costs(breaches, rubric, results, lang)

    criteria: list[CardCriterion] = []
    weighted = total_weight = 0.0
    for spec in rubric.criteria:
        res = results.get(spec.id) or CriterionResult(spec.id, 1.0, applicable=False)
        score = round(res.score * 100, 1)
        if res.applicable:
            weighted += spec.weight * score
            total_weight += spec.weight
        criteria.append(
            CardCriterion(
                id=spec.id,
                title=spec.title.get(lang),
                score=score,
                weight=round(spec.weight, 4),
                applicable=res.applicable,
                grade=_grade(score, rubric) if res.applicable else "n/a",
                evidence=res.evidence,
                missing=res.missing,
                advice=_advice(spec, res.missing, rubric, lang),
            )
        )
    base = weighted / total_weight if total_weight else 0.0
    overall = round(max(0.0, min(100.0, base - penalties)), 1)
    card_tuple = tuple(card_breaches)
    return ScoreCard(
        overall=overall,
        passed=passes(overall, rubric.pass_mark, card_tuple),
        pass_mark=rubric.pass_mark,
        lang=lang,
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_hash=rubric.hash,
        breaches=card_tuple,
        criteria=tuple(criteria),
        desc_timeline=desc_timeline,
        phase_timeline=phase_timeline,
        metrics=metrics_fw.compute(transcript, rubric.metrics),
        outcome=transcript.outcome,
        penalties=round(penalties, 2),
        scenario_id=str(transcript.scenario["id"]) if "id" in transcript.scenario else None,
        call_date=transcript.call_date.isoformat() if transcript.call_date else None,
    )


def _costs(
    breaches: list[Breach],
    rubric: Rubric,
    results: dict[str, CriterionResult],
    lang: str,
) -> tuple[list[CardBreach], float]:
    """Charge each breach to its criterion (as a missing item) and to the overall."""
    seen: dict[str, int] = {}
    penalties = 0.0
    card: list[CardBreach] = []
    for b in breaches:
        spec = rubric.breach(b.code)
        n = seen.get(b.code, 0)
        seen[b.code] = n + 1
        cost, penalty = spec.cost_at(n)
        penalties += penalty
        target = results.get(spec.criterion)
        if target is None:
            cost = 0.0  # the rubric leaves that criterion out: only the penalty applies
        if target is not None and cost > 0:
            item = Missing(b.code, round(cost / 100, 6), b.turn, b.quote, dict(b.data))
            missing = (*target.missing, item)
            score = max(0.0, round(target.score - cost / 100, 6))
            if not target.applicable:
                score = max(0.0, round(1.0 - cost / 100, 6))
                missing = (item,)
            results[spec.criterion] = replace(target, score=score, missing=missing, applicable=True)
        card.append(
            CardBreach(
                code=b.code,
                blocking=spec.blocking,
                turn=b.turn,
                quote=b.quote,
                advice=spec.advice.get(lang),
                criterion=spec.criterion,
                cost=cost,
                penalty=penalty,
                data=dict(b.data),
            )
        )
    return card, penalties


def _grade(score: float, rubric: Rubric) -> str:
    if score >= rubric.thresholds.get("good", 80.0):
        return "good"
    if score >= rubric.thresholds.get("fair", 50.0):
        return "fair"
    return "weak"


def _advice(spec: CriterionSpec, missing: tuple[Missing, ...], rubric: Rubric, lang: str) -> str:
    """One concrete advice: the one for the item that cost the most (first on ties)."""
    if not missing:
        return ""
    m = max(missing, key=lambda item: item.lost)  # max keeps the first on ties
    key = m.data.get("key")
    if key and key in spec.advice:
        return spec.advice_for(key, lang)
    if m.data.get("advice"):
        return m.data["advice"]  # the analyzer's own advice for this expression
    if m.key in spec.advice:
        return spec.advice_for(m.key, lang)
    breach = rubric.breaches.get(m.key)
    return breach.advice.get(lang) if breach is not None else ""


# --------------------------------------------------------------------------- analysis


def _load_analyzer() -> Analyzer | None:
    """The utterance analyzer, or ``None`` when it is not available."""
    try:
        from scoring.analyzer import analyze
    except ImportError:
        return None
    fn: Analyzer = analyze
    return fn


def _load_extractor() -> Extractor | None:
    """The analyzer's entity extraction alone (cheaper for the debtor's lines)."""
    try:
        from scoring.entities import extract
    except ImportError:
        return None
    fn: Extractor = extract
    return fn


def attach_analyses(transcript: Transcript) -> Transcript:
    """Analyse the trainee turns that carry no acts, and read the entities of the debtor's
    answers to a proposal or a commitment request when the transcript gives none."""
    pending = [t for t in transcript.turns if t.is_trainee and t.acts is None]
    analyzer: Analyzer | None = None
    turns = list(transcript.turns)
    if pending:
        analyzer = _load_analyzer()
        if analyzer is None:
            first = pending[0].index
            raise ScoringError(
                f"turn {first} has no acts and the utterance analyzer is not available"
            )
        for turn in pending:
            analysis = _run(analyzer, transcript, turn, _context(turns, turn.index))
            turns[turn.index] = replace(
                turn,
                acts=analysis.acts,
                entities=analysis.entities,
                wording=analysis.wording,
                register=analysis.register,
            )
    answers = [
        t
        for t in turns
        if not t.is_trainee and t.entities is None and _answers_offer(turns, t.index)
    ]
    if answers:
        extractor = _load_extractor()
        analyzer = analyzer or (None if extractor else _load_analyzer())
        for turn in answers:
            if extractor is not None:
                found = extractor(turn.text, transcript.lang, transcript.call_date)
            elif analyzer is not None:
                found = _run(analyzer, transcript, turn, None).entities
            else:
                break
            turns[turn.index] = replace(turn, entities=found)
    if turns == list(transcript.turns):
        return transcript
    return replace(transcript, turns=tuple(turns))


def _run(analyzer: Analyzer, transcript: Transcript, turn: Turn, context: str | None) -> Analysis:
    kwargs: dict[str, Any] = {}
    if transcript.call_date is not None:
        kwargs["call_date"] = transcript.call_date
    return analyzer(turn.text, transcript.lang, context, **kwargs)


def _context(turns: list[Turn], index: int) -> str | None:
    """The debtor's line the trainee answers."""
    for turn in reversed(turns[:index]):
        if not turn.is_trainee:
            return turn.text
    return None


def _answers_offer(turns: list[Turn], index: int) -> bool:
    for turn in reversed(turns[:index]):
        if turn.is_trainee:
            return turn.has("proposal", "commitment_request")
    return False
