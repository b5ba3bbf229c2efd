"""Conversation metrics: who talks, how much the trainee asks, the longest monologue.

Not a score by themselves: the card shows them, and the rubric's ``metrics`` thresholds
turn the outliers into notes ("you spoke 75 % of the time").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from scoring.transcript import Transcript

NAME = "metrics"


@dataclass(frozen=True, slots=True)
class Metrics:
    """Counts over the call; ``talk_share`` is the trainee's share of the words (0–1)."""

    turns: int = 0
    trainee_turns: int = 0
    debtor_turns: int = 0
    trainee_words: int = 0
    debtor_words: int = 0
    talk_share: float = 0.0
    questions: int = 0
    open_questions: int = 0
    closed_questions: int = 0
    longest_monologue_words: int = 0
    longest_monologue_turn: int | None = None
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "turns": self.turns,
            "trainee_turns": self.trainee_turns,
            "debtor_turns": self.debtor_turns,
            "trainee_words": self.trainee_words,
            "debtor_words": self.debtor_words,
            "talk_share": self.talk_share,
            "questions": self.questions,
            "open_questions": self.open_questions,
            "closed_questions": self.closed_questions,
            "longest_monologue_words": self.longest_monologue_words,
            "longest_monologue_turn": self.longest_monologue_turn,
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Metrics:
        turn = data.get("longest_monologue_turn")
        return cls(
            turns=int(data.get("turns", 0)),
            trainee_turns=int(data.get("trainee_turns", 0)),
            debtor_turns=int(data.get("debtor_turns", 0)),
            trainee_words=int(data.get("trainee_words", 0)),
            debtor_words=int(data.get("debtor_words", 0)),
            talk_share=float(data.get("talk_share", 0.0)),
            questions=int(data.get("questions", 0)),
            open_questions=int(data.get("open_questions", 0)),
            closed_questions=int(data.get("closed_questions", 0)),
            longest_monologue_words=int(data.get("longest_monologue_words", 0)),
            longest_monologue_turn=int(turn) if turn is not None else None,
            notes=tuple(str(n) for n in data.get("notes", ())),
        )


def compute(transcript: Transcript, thresholds: Mapping[str, float] | None = None) -> Metrics:
    """Count the call; consecutive trainee turns make one monologue."""
    trainee = transcript.trainee_turns
    t_words = sum(t.words for t in trainee)
    d_words = sum(t.words for t in transcript.debtor_turns)
    longest, longest_at = 0, None
    run, run_start = 0, None
    for turn in transcript.turns:
        if turn.is_trainee:
            if run == 0:
                run_start = turn.index
            run += turn.words
            if run > longest:
                longest, longest_at = run, run_start
        else:
            run = 0
    share = round(t_words / (t_words + d_words), 3) if t_words + d_words else 0.0
    metrics = Metrics(
        turns=len(transcript.turns),
        trainee_turns=len(trainee),
        debtor_turns=len(transcript.turns) - len(trainee),
        trainee_words=t_words,
        debtor_words=d_words,
        talk_share=share,
        questions=sum(t.text.count("?") for t in trainee),
        open_questions=sum(1 for t in trainee if t.has("open_question")),
        closed_questions=sum(1 for t in trainee if t.has("closed_question")),
        longest_monologue_words=longest,
        longest_monologue_turn=longest_at,
    )
    return replace(metrics, notes=notes(metrics, thresholds or {}))


def notes(metrics: Metrics, thresholds: Mapping[str, float]) -> tuple[str, ...]:
    """Keys of the thresholds the call goes beyond, in a fixed order."""
    out: list[str] = []
    if not metrics.trainee_turns:
        return ()
    if "max_talk_share" in thresholds and metrics.talk_share > thresholds["max_talk_share"]:
        out.append("max_talk_share")
    limit = thresholds.get("max_monologue_words")
    if limit is not None and metrics.longest_monologue_words > limit:
        out.append("max_monologue_words")
    least = thresholds.get("min_open_questions")
    if least is not None and metrics.open_questions < least:
        out.append("min_open_questions")
    return tuple(out)
