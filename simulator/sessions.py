"""A call being played and recorded: the engine, its transcript and the store together.

Every host (``relance run``, the TUI, ``relance assess``, later the classroom server)
goes through :class:`CallSession`, so a call is recorded the same way everywhere: each
turn is committed to the store with the engine's snapshot the moment it happens (a
killed process loses nothing), the transcript is built in the ``relance/transcript@1``
shape, and the end of the call scores it with the rubric.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.dialogue.engine import Analyzer, DebtorTurn, Engine, ReplyResult, State
from simulator.dialogue.loader import LoadedScenario
from simulator.dialogue.transcript import TranscriptBuilder, transcript_header
from simulator.errors import RelanceError

if TYPE_CHECKING:
    from scoring.card import ScoreCard
    from scoring.rubric import Rubric
    from simulator.store.base import SessionStore
    from simulator.store.model import Mode, Session

Clock = Callable[[], dt.datetime]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def default_analyzer(lexicon_paths: tuple[str, ...] = ()) -> Analyzer:
    """The scorer's analyzer, with the trainer's extra lexicons if any."""
    from pathlib import Path

    from scoring.analyzer import analyze

    if not lexicon_paths:
        plain: Analyzer = analyze
        return plain
    paths = tuple(Path(p) for p in lexicon_paths)

    def with_lexicons(
        text: str, lang: str, context: str | None = None, *, call_date: dt.date | None = None
    ) -> Any:
        return analyze(text, lang, context, call_date=call_date, lexicon_paths=paths)

    return with_lexicons


@dataclass
class CallSession:
    """One call: drive it with :meth:`reply`, end it with :meth:`finish`."""

    loaded: LoadedScenario
    engine: Engine
    builder: TranscriptBuilder
    store: SessionStore | None = None
    session_id: str | None = None
    clock: Clock = _now
    rubric: Rubric | None = None
    started: float = field(default_factory=time.monotonic)
    card: ScoreCard | None = None

    # -- starting --------------------------------------------------------------------
    @classmethod
    def start(
        cls,
        loaded: LoadedScenario,
        *,
        analyzer: Analyzer,
        seed: int = 0,
        call_date: dt.date | None = None,
        trainee: str | None = None,
        mode: Mode = "practice",
        assessor: str | None = None,
        store: SessionStore | None = None,
        clock: Clock = _now,
        rubric: Rubric | None = None,
    ) -> tuple[CallSession, DebtorTurn]:
        """Open the call (and its session record); return the debtor's opening turn."""
        from scoring.rubric import default_rubric

        rubric = rubric or default_rubric()
        engine = Engine(loaded, analyzer, seed=seed, call_date=call_date)
        builder = TranscriptBuilder(loaded, engine.seed, engine.call_date)
        call = cls(loaded, engine, builder, store, None, clock, rubric)
        opening = engine.start()
        if store is not None:
            session = store.create_session(
                trainee=trainee or "anonyme",
                mode=mode,
                scenario_id=loaded.scenario.id,
                scenario_title=loaded.scenario.title,
                scenario_hash=loaded.content_hash,
                lang=loaded.scenario.lang,
                seed=engine.seed,
                call_date=engine.call_date,
                assessor=assessor,
                rubric_id=rubric.id,
                rubric_version=str(rubric.version),
                rubric_hash=rubric.hash,
                started_at=clock(),
                snapshot=engine.snapshot(),
            )
            call.session_id = session.id
        call._record(builder.add_debtor(opening, call._at_ms()))
        return call, opening

    @classmethod
    def resume(
        cls,
        store: SessionStore,
        session_id: str,
        loaded: LoadedScenario,
        *,
        analyzer: Analyzer,
        clock: Clock = _now,
        rubric: Rubric | None = None,
    ) -> CallSession:
        """Take an interrupted call back from its last saved engine state."""
        from scoring.rubric import default_rubric

        session = store.get(session_id)
        if session.snapshot is None:
            raise RelanceError(
                f"session {session_id} has no saved state to resume from",
                hint=f"close it and score it as it stands: relance show {session_id}",
            )
        engine = Engine.restore(loaded, analyzer, session.snapshot)
        store.resume_session(session_id)
        builder = TranscriptBuilder(loaded, engine.seed, engine.call_date)
        builder.turns = [turn_json(t) for t in session.turns]
        call = cls(loaded, engine, builder, store, session_id, clock, rubric or default_rubric())
        # Timestamps go on from where the call stopped, not from zero.
        last_at = max((t.at_ms or 0 for t in session.turns), default=0)
        call.started = time.monotonic() - last_at / 1000
        return call

    # -- playing ---------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.engine.state is State.FINISHED

    def reply(self, text: str) -> ReplyResult:
        """The trainee speaks; both turns are committed before this returns."""
        result = self.engine.reply(text)
        at = self._at_ms()
        self._record(self.builder.add_trainee(result.analysis, result.engine_ms, at), snap=False)
        self._record(self.builder.add_debtor(result.debtor, at))
        return result

    def hang_up(self) -> None:
        """The trainee ends the call before an end node (outcome ``abandoned``)."""
        self.engine.abandon()

    def transcript(self) -> dict[str, Any]:
        finished = self.engine.outcome is not None and self.engine.outcome != "abandoned"
        return self.builder.to_json(self.engine.outcome, finished)

    def finish(self, *, score: bool = True) -> dict[str, Any]:
        """End the call: score it, save the card, close the session; return the transcript."""
        if not self.finished:
            self.engine.abandon()
        transcript = self.transcript()
        if score:
            from scoring.score import score_transcript

            self.card = score_transcript(transcript, rubric=self.rubric)
        if self.store is not None and self.session_id is not None:
            status = "finished" if transcript["finished"] else "abandoned"
            self.store.finish_session(
                self.session_id,
                self.engine.outcome,
                self.card.to_json() if self.card else None,
                self.clock(),
                status=status,  # type: ignore[arg-type]
                score=self.card.overall if self.card else None,
            )
        return transcript

    # -- internals -------------------------------------------------------------------
    def _at_ms(self) -> int:
        return int((time.monotonic() - self.started) * 1000)

    def _record(self, entry: dict[str, Any], snap: bool = True) -> None:
        if self.store is None or self.session_id is None:
            return
        from simulator.store.model import TurnRecord

        self.store.append_turn(
            self.session_id,
            TurnRecord.from_transcript(entry),
            self.engine.snapshot() if snap else None,
        )


def turn_json(turn: Any) -> dict[str, Any]:
    """A stored turn back in transcript shape (keys with no value are left out)."""
    out: dict[str, Any] = {"index": turn.index, "speaker": turn.speaker, "text": turn.text}
    for key in ("node", "variant", "register", "engine_ms", "at_ms", "audio"):
        value = getattr(turn, key)
        if value is not None:
            out[key] = value
    if turn.speaker == "debtor":
        out["tags"] = list(turn.tags)
        if turn.mood is not None:
            out["mood"] = dict(turn.mood)
    for key in ("acts", "entities", "wording"):
        value = getattr(turn, key)
        if value is not None:
            out[key] = [dict(v) for v in value]
    return out


def session_transcript(session: Session, loaded: LoadedScenario | None = None) -> dict[str, Any]:
    """A stored session as a ``relance/transcript@1`` record."""
    if loaded is not None:
        header = transcript_header(loaded, session.seed, session.call_date)
    else:
        header = {
            "format": "relance/transcript@1",
            "lang": session.lang,
            "call_date": session.call_date.isoformat(),
            "scenario": {
                "id": session.scenario_id,
                "title": session.scenario_title,
                "hash": session.scenario_hash,
            },
            "seed": session.seed,
        }
    finished = session.status == "finished"
    return {
        **header,
        "turns": [turn_json(t) for t in session.turns],
        "outcome": session.outcome,
        "finished": finished,
    }
