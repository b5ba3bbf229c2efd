"""The act labels of ``shared/spec/acts.md``: the single source of truth in code.

Scenario conditions, the analyzer, the frameworks, reports and outside evaluations all
use exactly these names. Nothing else in the code base spells a label list.
"""

from __future__ import annotations

from typing import Final

#: Phase of the 4C structure (contact, comprendre, convaincre, conclure).
ENGAGE: Final = "engage"
DISCOVER: Final = "discover"
PROPOSE: Final = "propose"
CONCLUDE: Final = "conclude"
PHASES: Final[tuple[str, ...]] = (ENGAGE, DISCOVER, PROPOSE, CONCLUDE)

#: Label → phase (``None`` for the labels that cost points).
LABEL_PHASE: Final[dict[str, str | None]] = {
    "greeting": ENGAGE,
    "identification": ENGAGE,
    "verify_interlocutor": ENGAGE,
    "purpose": ENGAGE,
    "open_question": DISCOVER,
    "closed_question": DISCOVER,
    "reformulation": DISCOVER,
    "empathy": DISCOVER,
    "fact_reminder": PROPOSE,
    "terms_reminder": PROPOSE,
    "impact": PROPOSE,
    "proposal": PROPOSE,
    "firmness": PROPOSE,
    "consequence": PROPOSE,
    "commitment_request": PROPOSE,
    "summary": CONCLUDE,
    "written_confirmation": CONCLUDE,
    "closing": CONCLUDE,
    "aggressive": None,
    "abusive_threat": None,
}

#: Every act label, in the order of acts.md.
LABELS: Final[tuple[str, ...]] = tuple(LABEL_PHASE)
LABEL_SET: Final[frozenset[str]] = frozenset(LABELS)

#: The labels that cost points.
NEGATIVE_LABELS: Final[frozenset[str]] = frozenset({"aggressive", "abusive_threat"})

#: DESC steps in order, each with the label that realises it.
DESC_STEPS: Final[tuple[tuple[str, str], ...]] = (
    ("D", "fact_reminder"),
    ("E", "impact"),
    ("S", "proposal"),
    ("C", "consequence"),
)

#: Breach codes of acts.md → blocking (fails the call whatever the score).
BREACHES: Final[dict[str, bool]] = {
    "abusive_threat": True,
    "wrong_amount": True,
    "no_identification": True,
    "no_verification": True,
    "third_party_disclosure": True,
    "aggressive": False,
    "pressure_to_borrow": False,
}

#: Call outcomes of an end node (``abandoned`` is set by the host when replies run out).
OUTCOMES: Final[tuple[str, ...]] = (
    "promise",
    "partial_promise",
    "refusal",
    "dispute_logged",
    "callback",
    "hang_up",
    "escalation",
)
ABANDONED: Final = "abandoned"

#: Persona profiles known to the catalogue (scenarios may use others; validator warns).
PROFILES: Final[tuple[str, ...]] = (
    "forgetful",
    "bad_faith",
    "aggressive",
    "disputing",
    "insolvent",
    "gatekeeper",
    "promise_breaker",
    "blocked_payables",
    "key_account",
    "vulnerable",
)


def is_label(name: str) -> bool:
    """True when ``name`` is one of the act labels of acts.md."""
    return name in LABEL_SET
