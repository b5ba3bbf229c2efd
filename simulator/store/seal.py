"""The seal of an assessed session: a SHA-256 hash chain, and the check that finds edits.

Pure functions over plain values, shared by every backend. The chain runs over the
session header, each turn in order, the card, each override, then the sign-off; each
link is ``sha256(previous link + canonical JSON of the item)``, starting from ``""``.
Canonical JSON: sorted keys, separators ``(",", ":")``, UTF-8 kept (``ensure_ascii``
off), floats written as stored. Keys whose value is ``None`` are left out, so a column
added by a later migration does not change the hash of sessions sealed before it.

Besides the links, each item keeps one hash per field, which is how :func:`compare`
can say *what* changed (``turn 3: text changed``) and not only *that* something did.
A chain without a key only catches edits made by someone who does not recompute it;
the final hash is printed on the assessment report so that it can be checked later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from simulator.store.model import Tamper

SEAL_FORMAT = "relance/seal@1"

Kind = Literal["session", "turn", "card", "override", "sign-off"]


def canonical_json(value: Any) -> str:
    """The one JSON spelling hashed by the seal (also how the store writes JSON)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SealItem:
    """One link's content: ``fields`` is hashed as canonical JSON."""

    kind: Kind
    ref: int | None  # turn index, override number; None for the others
    fields: Mapping[str, Any]

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.kind, self.ref)

    @property
    def label(self) -> str:
        return label(self.kind, self.ref)

    def content(self) -> dict[str, Any]:
        return {k: v for k, v in self.fields.items() if v is not None}

    def field_hashes(self) -> dict[str, str]:
        return {k: _sha256(canonical_json(v)) for k, v in self.content().items()}


@dataclass(frozen=True)
class StoredItem:
    """A link as recorded at sign-off."""

    position: int
    kind: str
    ref: int | None
    field_hashes: Mapping[str, str]
    hash: str

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.kind, self.ref)


def label(kind: str, ref: int | None) -> str:
    return kind if ref is None else f"{kind} {ref}"


def link(previous: str, item: SealItem) -> str:
    return _sha256(previous + canonical_json(item.content()))


def chain(items: Sequence[SealItem]) -> list[str]:
    """The link of every item; the last one is the seal hash."""
    links: list[str] = []
    previous = ""
    for item in items:
        previous = link(previous, item)
        links.append(previous)
    return links


def compare(
    stored: Sequence[StoredItem], current: Sequence[SealItem], seal_hash: str | None
) -> list[Tamper]:
    """Every difference between the chain recorded at sign-off and the data now stored.

    Each stored link is checked against the current item with the same key, chained on
    the *stored* previous link: one edited turn is reported once, not as a cascade.
    """
    problems: list[Tamper] = []
    by_key = {item.key: item for item in current}
    seen: set[tuple[str, int | None]] = set()
    previous = ""
    ordered = sorted(stored, key=lambda s: s.position)
    for record in ordered:
        seen.add(record.key)
        name = label(record.kind, record.ref)
        item = by_key.get(record.key)
        if item is None:
            problems.append(Tamper(name, "removed"))
        else:
            now = item.field_hashes()
            changed = tuple(
                sorted(
                    key
                    for key in now.keys() | record.field_hashes.keys()
                    if now.get(key) != record.field_hashes.get(key)
                )
            )
            if link(previous, item) != record.hash:
                problems.append(
                    Tamper(name, "changed", changed) if changed else Tamper(name, "seal altered")
                )
            elif changed:  # the data matches its link: the field hashes were edited
                problems.append(Tamper(name, "seal altered", changed))
        previous = record.hash
    problems.extend(Tamper(item.label, "added") for item in current if item.key not in seen)
    if not ordered:
        problems.append(Tamper("seal", "seal altered", ("items",)))
    elif ordered[-1].hash != seal_hash:
        problems.append(Tamper("seal", "seal altered", ("hash",)))
    elif not problems and chain(current)[-1] != seal_hash:
        problems.append(Tamper("seal", "seal altered", ("order",)))
    return problems
