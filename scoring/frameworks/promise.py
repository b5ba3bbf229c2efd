"""The payment promise: amount, date and means obtained, precise, within the margins,
recapped and confirmed in writing — and what the call actually ended on.

The terms are read from the trainee's proposals, commitment requests and summary, and
from the debtor's answer right after a proposal or a commitment request (when that turn
carries entities: given in the transcript or extracted by the analyzer). The final
agreement is the summary's terms when there is a summary, else the last terms heard.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scoring.frameworks.base import (
    CriterionResult,
    CriterionScorer,
    FrameworkResult,
    first_with,
    iso_date,
    quote_of,
)
from scoring.rubric import CriterionSpec
from scoring.transcript import Margins, Transcript, Turn
from scoring.types import Entity

NAME = "promise"
CRITERIA = ("promise",)

MEANS = ("transfer", "cheque", "card", "direct_debit", "cash")
_TERMS_LABELS = ("proposal", "commitment_request", "summary")
_ASKING = ("proposal", "commitment_request")


@dataclass(frozen=True, slots=True)
class Term:
    """One stated term of the promise."""

    kind: str
    entity: Entity
    turn: Turn

    @property
    def precise(self) -> bool:
        if self.kind == "amount":
            return isinstance(self.entity.value, int | float) and float(self.entity.value) > 0
        if self.kind == "date":
            return iso_date(self.entity.value) is not None
        if self.kind == "means":
            return self.entity.value in MEANS
        return True


def terms(transcript: Transcript) -> list[Term]:
    """Every amount, date, means and instalment count stated about the promise."""
    out: list[Term] = []
    turns = transcript.turns
    for i, turn in enumerate(turns):
        relevant = False
        if turn.is_trainee:
            relevant = turn.has(*_TERMS_LABELS)
        else:
            prev = next((t for t in reversed(turns[:i]) if t.is_trainee), None)
            relevant = prev is not None and prev.has(*_ASKING)
        if not relevant:
            continue
        for entity in turn.entities or ():
            if entity.kind in ("amount", "date", "means", "instalments"):
                out.append(Term(entity.kind, entity, turn))
    return out


def evaluate(transcript: Transcript, section: Mapping[str, CriterionSpec]) -> FrameworkResult:
    spec = section.get("promise")
    if spec is None:
        return FrameworkResult(NAME)
    return FrameworkResult(NAME, (_promise(transcript, spec),))


def _promise(transcript: Transcript, spec: CriterionSpec) -> CriterionResult:
    s = CriterionScorer(spec)
    found = terms(transcript)
    final = agreement(found)
    trainee = transcript.trainee_turns
    for kind in ("amount", "date", "means"):
        of_kind = [t for t in found if t.kind == kind]
        precise = [t for t in of_kind if t.precise]
        if precise:
            s.check(kind, 1.0)
            agreed = [t for t in final if t.kind == kind and t.precise]
            shown = agreed[0] if agreed else precise[-1]  # the agreed term, else the last
            s.evidence(shown.turn, kind, shown.entity.span)
        elif of_kind:
            t = of_kind[-1]
            s.check(
                kind, 0.5, t.turn.index, quote_of(t.turn, t.entity.span), value=str(t.entity.value)
            )
        else:
            s.check(kind, 0.0)

    _margins(s, transcript, found)

    for label in ("summary", "written_confirmation"):
        turn = first_with(trainee, label)
        if turn is not None:
            s.check(label, 1.0)
            s.evidence_act(turn, label)
        else:
            s.check(label, 0.0)

    outcome = transcript.outcome
    if outcome is None:
        s.skip("outcome")
    else:
        credit = spec.param_map("outcome_credit").get(outcome, 0.0)
        s.check("outcome", credit, None, "", outcome=outcome)
    return s.result()


def agreement(found: list[Term]) -> list[Term]:
    """The final terms: those of the last summary (else of the last turn stating terms),
    completed by the last earlier term of each kind that turn does not state."""
    summaries = [t for t in found if t.turn.is_trainee and t.turn.has("summary")]
    pool = summaries or found
    if not pool:
        return []
    anchor = pool[-1].turn.index
    final = [t for t in found if t.turn.index == anchor]
    stated = {t.kind for t in final}
    for kind in ("amount", "date", "means", "instalments"):
        earlier = [t for t in found if t.kind == kind and t.turn.index < anchor]
        if kind not in stated and earlier:
            final.append(earlier[-1])
    return final


def _margins(s: CriterionScorer, transcript: Transcript, found: list[Term]) -> None:
    margins: Margins | None = transcript.margins
    final = agreement(found)
    if margins is None or not final:
        s.skip("within_margins")  # no margins, or no terms to compare (already costed)
        return
    problems: list[tuple[Term, dict[str, str]]] = []
    total = transcript.total_outstanding
    amounts = [t for t in final if t.kind == "amount" and t.precise]
    if margins.min_first_payment is not None and amounts:
        partial = [t for t in amounts if total is None or abs(float(t.entity.value) - total) > 0.5]
        first = sorted(partial or amounts, key=lambda t: (t.turn.index, t.entity.span.start))[0]
        if float(first.entity.value) + 1e-6 < margins.min_first_payment:
            problems.append(
                (
                    first,
                    {
                        "item": "amount",
                        "value": str(first.entity.value),
                        "limit": f"{margins.min_first_payment:g}",
                    },
                )
            )
    dates = [
        (d, t) for t in final if t.kind == "date" and (d := iso_date(t.entity.value)) is not None
    ]
    if margins.latest_date is not None and dates:
        first_date, term = min(dates, key=lambda x: x[0])
        if first_date > margins.latest_date:
            problems.append(
                (
                    term,
                    {
                        "item": "date",
                        "value": first_date.isoformat(),
                        "limit": margins.latest_date.isoformat(),
                    },
                )
            )
    if margins.max_instalments is not None:
        for term in final:
            if term.kind == "instalments" and int(term.entity.value) > margins.max_instalments:
                problems.append(
                    (
                        term,
                        {
                            "item": "instalments",
                            "value": str(term.entity.value),
                            "limit": str(margins.max_instalments),
                        },
                    )
                )
    if problems:
        term, data = problems[0]
        credit = max(0.0, 1.0 - len(problems) / 2)
        s.check(
            "within_margins", credit, term.turn.index, quote_of(term.turn, term.entity.span), **data
        )
    else:
        s.check("within_margins", 1.0)
