"""The scenario model, ``relance/scenario@1``: what a trainer writes in YAML.

Validated and frozen (pydantic), so the engine can trust it. The JSON Schema published
by ``relance schema`` and stored in ``scenarios/scenario.schema.json`` is generated from
these classes; every field carries a description because editors show it on hover.
Semantic checks that need the whole file (graph, labels, conditions) live in ``lint``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from scoring.labels import OUTCOMES

FORMAT = "relance/scenario@1"

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$"),
    Field(description="Stable identifier: lower case letters, digits, '_', '-', '.'."),
]
Outcome = Literal[
    "promise",
    "partial_promise",
    "refusal",
    "dispute_logged",
    "callback",
    "hang_up",
    "escalation",
]
assert set(OUTCOMES) == set(get_args(Outcome))  # the Literal mirrors scoring.labels
MoodValue = Annotated[int, Field(ge=0, le=10)]
Delta = Annotated[int, Field(ge=-10, le=10)]
Condition = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500),
    Field(description="Expression over the reply (see docs/scenario-format.md#conditions)."),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Voice(_Strict):
    """How the persona sounds (used by the speech synthesiser)."""

    gender: Literal["female", "male", "neutral"] = "neutral"
    rate: Annotated[float, Field(ge=0.5, le=2.0, description="1.0 = normal speed.")] = 1.0
    pitch: Annotated[float, Field(ge=0.5, le=2.0, description="1.0 = the voice's own pitch.")] = 1.0


class Mood(_Strict):
    """The debtor's state on 0–10: anger, trust in the caller, patience left."""

    anger: MoodValue = 3
    trust: MoodValue = 5
    patience: MoodValue = 6


class MoodDelta(_Strict):
    """A change of mood; values are added and the result kept within 0–10."""

    anger: Delta = 0
    trust: Delta = 0
    patience: Delta = 0


class Persona(_Strict):
    """The debtor the trainee calls."""

    name: str
    role: str = Field(description="e.g. gérant, comptable fournisseurs, standardiste.")
    profile: str = Field(
        description="forgetful | bad_faith | aggressive | disputing | insolvent | gatekeeper "
        "| promise_breaker | …"
    )
    description: str = Field(description="Public description shown at the briefing.")
    voice: Voice = Voice()
    mood: Mood = Mood()
    reactions: dict[str, MoodDelta] = Field(
        default_factory=dict,
        description="Act label → mood change applied when a trainee reply carries it.",
    )


class Party(_Strict):
    """A company or a person on the account card."""

    name: str
    kind: Literal["company", "person"] = "company"
    address: str | None = None
    siren: str | None = None


class Contact(_Strict):
    """Whom the trainee is calling."""

    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None


class Invoice(_Strict):
    """One invoice on the account."""

    number: str
    amount: Annotated[float, Field(gt=0)]
    currency: Literal["EUR", "GBP", "USD"] = "EUR"
    issued: dt.date
    due: dt.date
    status: Literal["due", "overdue", "disputed", "partially_paid", "paid"] = "overdue"
    paid: Annotated[float, Field(ge=0, description="Amount already paid.")] = 0.0
    description: str | None = None

    @property
    def outstanding(self) -> float:
        """What is still owed on this invoice."""
        return round(self.amount - self.paid, 2)


class Reminder(_Strict):
    """A previous reminder on the account."""

    date: dt.date
    channel: Literal["email", "letter", "phone", "sms", "registered_letter", "portal"]
    content: str


class Account(_Strict):
    """The account card: what the trainee sees before the call."""

    creditor: Party
    debtor: Party
    contact: Contact
    segment: Literal["b2b", "b2c"] = "b2b"
    invoices: Annotated[list[Invoice], Field(min_length=1)]
    payment_terms: str = Field(description="e.g. « 30 jours date de facture ».")
    reminders: list[Reminder] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @property
    def total_outstanding(self) -> float:
        """Sum still owed over all invoices that are not paid."""
        return round(sum(i.outstanding for i in self.invoices if i.status != "paid"), 2)

    @property
    def currency(self) -> str:
        return self.invoices[0].currency


class Margins(_Strict):
    """How far the trainee may go."""

    min_first_payment: Annotated[float, Field(ge=0)] | None = Field(
        default=None, description="Smallest acceptable first payment."
    )
    max_instalments: Annotated[int, Field(ge=1, le=36)] = 1
    latest_date: dt.date | None = Field(
        default=None, description="Latest acceptable date for the (first) payment."
    )
    waive_penalties: bool = Field(
        default=False, description="May the late-payment penalties be waived?"
    )
    waive_indemnity: bool = Field(
        default=False, description="May the 40 € recovery indemnity (B2B) be waived?"
    )


class Brief(_Strict):
    """The trainee's mission."""

    objective: str
    margins: Margins = Margins()
    allowed_offers: list[str] = Field(default_factory=list)


class Hidden(_Strict):
    """What the debtor does not say unless the trainee discovers it."""

    reason: Literal[
        "good_faith_oversight",
        "bad_faith",
        "dispute",
        "inability",
        "blocked_process",
        "gatekeeper",
        "refusal",
    ]
    detail: str


class Effects(_Strict):
    """What happens on entering a node or taking a transition."""

    anger: Delta = 0
    trust: Delta = 0
    patience: Delta = 0
    set: list[Identifier] = Field(default_factory=list, description="Flags to raise.")
    clear: list[Identifier] = Field(default_factory=list, description="Flags to lower.")
    reveal: bool = Field(default=False, description="The hidden reason is now known.")


class Line(_Strict):
    """One way of saying a debtor line; the id is stable so recordings survive edits."""

    id: Identifier
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    when: Condition | None = Field(
        default=None, description="Only eligible when this condition holds."
    )


class Transition(_Strict):
    """A move to another node when the condition holds (first match wins)."""

    when: Condition
    goto: Identifier
    effects: Effects = Effects()


class Fallback(_Strict):
    """What the debtor does with a reply that matches no transition."""

    say: Annotated[list[Line], Field(min_length=1)]
    patience: Delta = -1
    after: Annotated[int, Field(ge=1, le=20)] = 3
    goto: Identifier | None = Field(
        default=None, description="Where to go after `after` fallbacks at this node."
    )


class Node(_Strict):
    """A point of the call: the debtor speaks, then waits for the trainee's reply."""

    id: Identifier
    say: Annotated[list[Line], Field(min_length=1)]
    expects: list[str] = Field(
        default_factory=list, description="Act labels a trainer hopes for here."
    )
    hint: str | None = Field(default=None, description="A model phrase shown on demand.")
    tags: list[str] = Field(
        default_factory=list, description="e.g. resistance (DESC expected), disclosure."
    )
    effects: Effects = Effects()
    transitions: list[Transition] = Field(default_factory=list)
    fallback: Fallback | None = None
    outcome: Outcome | None = Field(default=None, description="Set on end nodes only.")

    @property
    def is_end(self) -> bool:
        return self.outcome is not None


class Interrupt(_Strict):
    """A transition checked before the current node's own, from any non-end node."""

    when: Condition
    goto: Identifier
    effects: Effects = Effects()
    once: bool = Field(default=False, description="Fire at most once per call.")


class Scenario(_Strict):
    """A complete scenario file."""

    format: Literal["relance/scenario@1"]
    id: Identifier
    title: str
    lang: Literal["fr", "en"]
    level: Literal["débutant", "confirmé", "expert"]
    tags: list[str] = Field(default_factory=list)
    estimated_minutes: Annotated[int, Field(ge=1, le=120)]
    call_date: dt.date | None = Field(
        default=None, description="Fictional date of the call (defaults to today)."
    )
    persona: Persona
    account: Account
    brief: Brief
    hidden: Hidden
    start: Identifier | None = Field(default=None, description="First node (default: the first).")
    interrupts: list[Interrupt] = Field(default_factory=list)
    nodes: Annotated[list[Node], Field(min_length=1)]

    @property
    def start_id(self) -> str:
        return self.start or self.nodes[0].id

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def public_card(self) -> dict[str, Any]:
        """What the trainee may see: account, brief and persona description (no hidden)."""
        return {
            "account": self.account.model_dump(mode="json"),
            "brief": self.brief.model_dump(mode="json"),
            "persona": {
                "name": self.persona.name,
                "role": self.persona.role,
                "profile": self.persona.profile,
                "description": self.persona.description,
            },
        }
