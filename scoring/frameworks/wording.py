"""Wording: expressions to avoid and to prefer, and the register (tutoiement costs).

The analyzer flags the expressions (lexicons per language, extendable by trainers); this
framework only weighs them: each expression to avoid costs a little, up to a cap per
expression, and the expressions to prefer are shown as evidence. Addressing the debtor
as « tu » costs once for the call.
"""

from __future__ import annotations

from collections.abc import Mapping

from scoring.frameworks.base import CriterionScorer, FrameworkResult, quote_of
from scoring.rubric import CriterionSpec
from scoring.transcript import Transcript

NAME = "wording"
CRITERIA = ("wording",)


def evaluate(transcript: Transcript, section: Mapping[str, CriterionSpec]) -> FrameworkResult:
    spec = section.get("wording")
    if spec is None:
        return FrameworkResult(NAME)
    s = CriterionScorer(spec)
    avoid_cost = spec.param("avoid_cost")
    cap = int(spec.param("max_per_key"))
    counts: dict[str, int] = {}
    register_costed = False
    for turn in transcript.trainee_turns:
        for flag in turn.wording:
            if flag.polarity == "prefer":
                s.evidence(turn, flag.key, flag.span)
                continue
            counts[flag.key] = counts.get(flag.key, 0) + 1
            lost = avoid_cost if counts[flag.key] <= cap else 0.0
            s.cost(
                "avoid",
                lost,
                turn.index,
                quote_of(turn, flag.span),
                key=flag.key,
                advice=flag.advice,
            )
        if not register_costed and turn.register in ("tu", "mixed"):
            register_costed = True
            cost = spec.param("tu_cost" if turn.register == "tu" else "mixed_cost")
            s.cost("register", cost, turn.index, quote_of(turn), register=turn.register)
    return FrameworkResult(NAME, (s.result(),))
