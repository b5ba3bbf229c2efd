"""Builds ``relance/transcript@1`` records (docs/transcript.md) from engine results.

Shared by the headless runner, the TUI and the store, so that every host records a
call in exactly the same shape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scoring.types import Analysis
from simulator.dialogue.engine import DebtorTurn
from simulator.dialogue.loader import LoadedScenario

FORMAT = "relance/transcript@1"


def debtor_turn_json(index: int, turn: DebtorTurn, at_ms: int | None = None) -> dict[str, Any]:
    """One debtor turn as a transcript entry."""
    out: dict[str, Any] = {
        "index": index,
        "speaker": "debtor",
        "text": turn.text,
        "node": turn.node_id,
        "variant": turn.variant_id,
        "tags": list(turn.tags),
        "mood": turn.mood.to_json(),
    }
    if turn.reprompt:
        out["reprompt"] = True
    if at_ms is not None:
        out["at_ms"] = at_ms
    return out


def trainee_turn_json(
    index: int, analysis: Analysis, engine_ms: float | None = None, at_ms: int | None = None
) -> dict[str, Any]:
    """One trainee turn as a transcript entry, with its analysis."""
    data = analysis.to_json()
    out: dict[str, Any] = {
        "index": index,
        "speaker": "trainee",
        "text": analysis.text,
        "acts": data["acts"],
        "entities": data["entities"],
        "wording": data["wording"],
        "register": data["register"],
    }
    if engine_ms is not None:
        out["engine_ms"] = round(engine_ms, 4)
    if at_ms is not None:
        out["at_ms"] = at_ms
    return out


@dataclass(slots=True)
class TranscriptBuilder:
    """Accumulates the turns of one call."""

    loaded: LoadedScenario
    seed: int
    call_date: dt.date
    turns: list[dict[str, Any]] = field(default_factory=list)

    def add_debtor(self, turn: DebtorTurn, at_ms: int | None = None) -> dict[str, Any]:
        entry = debtor_turn_json(len(self.turns), turn, at_ms)
        self.turns.append(entry)
        return entry

    def add_trainee(
        self, analysis: Analysis, engine_ms: float | None = None, at_ms: int | None = None
    ) -> dict[str, Any]:
        entry = trainee_turn_json(len(self.turns), analysis, engine_ms, at_ms)
        self.turns.append(entry)
        return entry

    def header(self) -> dict[str, Any]:
        return transcript_header(self.loaded, self.seed, self.call_date)

    def to_json(self, outcome: str | None, finished: bool) -> dict[str, Any]:
        return {**self.header(), "turns": self.turns, "outcome": outcome, "finished": finished}


def transcript_header(loaded: LoadedScenario, seed: int, call_date: dt.date) -> dict[str, Any]:
    """Everything a transcript says about the call besides its turns."""
    s = loaded.scenario
    return {
        "format": FORMAT,
        "lang": s.lang,
        "call_date": call_date.isoformat(),
        "scenario": {"id": s.id, "title": s.title, "hash": loaded.content_hash},
        "seed": seed,
        "segment": s.account.segment,
        "account": s.account.model_dump(mode="json"),
        "brief": s.brief.model_dump(mode="json"),
        "node_tags": {n.id: list(n.tags) for n in s.nodes if n.tags},
    }
