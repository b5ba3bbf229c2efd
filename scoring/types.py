"""Value types shared by the analyzer, the frameworks and the score card.

Plain frozen dataclasses so that the dialogue engine, the store and the reports can
carry them without importing anything heavy. ``to_json``/``from_json`` give the stable
JSON shape used in ``relance/transcript@1`` and by ``relance analyze``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Lang = Literal["fr", "en"]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of the utterance, with its text."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Span:
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True, slots=True)
class Act:
    """One act label found in an utterance, with the evidence behind it."""

    label: str
    span: Span
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "span": self.span.to_json(), "confidence": self.confidence}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Act:
        return cls(str(data["label"]), Span.from_json(data["span"]), float(data["confidence"]))


EntityKind = Literal["amount", "date", "means", "invoice", "instalments"]


@dataclass(frozen=True, slots=True)
class Entity:
    """Something the utterance states: a sum, a date, a means of payment, an invoice…

    ``value`` is normalised: a float for ``amount`` (with ``currency``), an ISO date
    string for ``date`` (resolved against the call date), a canonical code for ``means``
    (``transfer``, ``cheque``, ``card``, ``direct_debit``, ``cash``), the reference for
    ``invoice``, an int for ``instalments``.
    """

    kind: EntityKind
    value: float | int | str
    span: Span
    currency: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "value": self.value, "span": self.span.to_json()}
        if self.currency is not None:
            out["currency"] = self.currency
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entity:
        return cls(
            kind=data["kind"],
            value=data["value"],
            span=Span.from_json(data["span"]),
            currency=data.get("currency"),
        )


@dataclass(frozen=True, slots=True)
class WordingFlag:
    """An expression to avoid (``polarity='avoid'``) or to prefer (``'prefer'``)."""

    key: str
    polarity: Literal["avoid", "prefer"]
    span: Span
    advice: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "polarity": self.polarity,
            "span": self.span.to_json(),
            "advice": self.advice,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WordingFlag:
        return cls(
            key=str(data["key"]),
            polarity=data["polarity"],
            span=Span.from_json(data["span"]),
            advice=str(data.get("advice", "")),
        )


Register = Literal["vous", "tu", "mixed", "unknown"]


@dataclass(frozen=True, slots=True)
class Analysis:
    """What ``scoring.analyze`` finds in one trainee utterance."""

    text: str
    lang: Lang
    acts: tuple[Act, ...] = ()
    entities: tuple[Entity, ...] = ()
    wording: tuple[WordingFlag, ...] = ()
    register: Register = "unknown"

    @property
    def labels(self) -> frozenset[str]:
        """The set of act labels (what scenario conditions branch on)."""
        return frozenset(a.label for a in self.acts)

    def has(self, *labels: str) -> bool:
        """True when the utterance carries any of ``labels``."""
        found = self.labels
        return any(label in found for label in labels)

    def first(self, kind: EntityKind) -> Entity | None:
        """The first entity of that kind, in text order."""
        for entity in self.entities:
            if entity.kind == kind:
                return entity
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "lang": self.lang,
            "acts": [a.to_json() for a in self.acts],
            "entities": [e.to_json() for e in self.entities],
            "wording": [w.to_json() for w in self.wording],
            "register": self.register,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            text=str(data.get("text", "")),
            lang=data.get("lang", "fr"),
            acts=tuple(Act.from_json(a) for a in data.get("acts", ())),
            entities=tuple(Entity.from_json(e) for e in data.get("entities", ())),
            wording=tuple(WordingFlag.from_json(w) for w in data.get("wording", ())),
            register=data.get("register", "unknown"),
        )
