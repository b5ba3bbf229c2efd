"""4C (engager – découvrir – proposer – conclure): coverage and order of the phases.

Coverage asks which acts of each phase the trainee performed; order asks the three
questions a trainer asks of a call's structure: was the contact made before the debt was
discussed, did the trainee try to understand before proposing, and did the call end on a
conclusion rather than trail off?
"""

from __future__ import annotations

from collections.abc import Mapping

from scoring.frameworks.base import (
    CriterionResult,
    CriterionScorer,
    FrameworkResult,
    PhaseSpan,
    first_debt_turn,
    first_with,
    quote_of,
)
from scoring.labels import LABEL_PHASE, LABELS, PHASES
from scoring.rubric import CriterionSpec
from scoring.transcript import Transcript, Turn

NAME = "phases"
CRITERIA = ("engage", "discover", "propose", "conclude")

_DISCOVER_ACTS = ("open_question", "reformulation", "empathy")
_CONCLUDE_ACTS = ("summary", "written_confirmation", "closing")


def evaluate(transcript: Transcript, section: Mapping[str, CriterionSpec]) -> FrameworkResult:
    """Score the 4C criteria present in ``section`` and build the phase timeline."""
    trainee = transcript.trainee_turns
    results: list[CriterionResult] = []
    for cid, spec in section.items():
        if cid == "engage":
            results.append(_engage(transcript, trainee, spec))
        elif cid == "discover":
            results.append(_discover(trainee, spec))
        elif cid == "propose":
            results.append(_propose(trainee, spec))
        elif cid == "conclude":
            results.append(_conclude(trainee, spec))
    return FrameworkResult(NAME, tuple(results), phase_timeline=phase_timeline(trainee))


def phase_timeline(trainee: tuple[Turn, ...]) -> tuple[PhaseSpan, ...]:
    """For each phase, the trainee turns that carried one of its acts."""
    spans: list[PhaseSpan] = []
    for phase in PHASES:
        turns: list[int] = []
        seen: set[str] = set()
        for turn in trainee:
            labels = [a.label for a in turn.acts or () if LABEL_PHASE.get(a.label) == phase]
            if labels:
                turns.append(turn.index)
                seen.update(labels)
        spans.append(PhaseSpan(phase, tuple(turns), tuple(x for x in LABELS if x in seen)))
    return tuple(spans)


def _label_checks(
    scorer: CriterionScorer, trainee: tuple[Turn, ...], labels: tuple[str, ...]
) -> None:
    for label in labels:
        turn = first_with(trainee, label)
        if turn is not None:
            scorer.check(label, 1.0)
            scorer.evidence_act(turn, label)
        else:
            scorer.check(label, 0.0)


def _engage(
    transcript: Transcript, trainee: tuple[Turn, ...], spec: CriterionSpec
) -> CriterionResult:
    s = CriterionScorer(spec)
    _label_checks(s, trainee, ("greeting", "identification", "verify_interlocutor", "purpose"))
    debt = first_debt_turn(transcript)
    contact = first_with(trainee, "identification", "purpose")
    if debt is None:
        if contact is not None:
            s.check("engage_first", 1.0)
        else:
            s.skip("engage_first")  # nothing to put in order: the absences already cost
    elif contact is not None and contact.index <= debt.index:
        s.check("engage_first", 1.0)
    else:
        # The debt came before the trainee said who they are or why they call.
        s.check("engage_first", 0.0, debt.index, quote_of(debt))
    return s.result()


def _discover(trainee: tuple[Turn, ...], spec: CriterionSpec) -> CriterionResult:
    s = CriterionScorer(spec)
    _label_checks(s, trainee, _DISCOVER_ACTS)
    proposal = first_with(trainee, "proposal")
    listen = first_with(trainee, *_DISCOVER_ACTS)
    if listen is not None and (proposal is None or listen.index < proposal.index):
        s.check("discover_first", 1.0)
    elif proposal is not None:
        s.check("discover_first", 0.0, proposal.index, quote_of(proposal))
    else:
        s.skip("discover_first")  # neither listening nor proposal: the absences already cost
    return s.result()


def _propose(trainee: tuple[Turn, ...], spec: CriterionSpec) -> CriterionResult:
    s = CriterionScorer(spec)
    _label_checks(s, trainee, ("fact_reminder", "proposal", "commitment_request"))
    turn = first_with(trainee, "terms_reminder", "impact")
    if turn is not None:
        s.check("terms_or_impact", 1.0)
        s.evidence_act(turn, "terms_reminder" if turn.has("terms_reminder") else "impact")
    else:
        s.check("terms_or_impact", 0.0)
    return s.result()


def _conclude(trainee: tuple[Turn, ...], spec: CriterionSpec) -> CriterionResult:
    s = CriterionScorer(spec)
    _label_checks(s, trainee, _CONCLUDE_ACTS)
    tail = trainee[-2:]
    if any(t.has(*_CONCLUDE_ACTS) for t in tail):
        s.check("conclude_last", 1.0)
    elif trainee:
        last = trainee[-1]
        s.check("conclude_last", 0.0, last.index, quote_of(last))
    else:
        s.check("conclude_last", 0.0)
    return s.result()
