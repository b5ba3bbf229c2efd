"""The call: transcript, reply box, live 4C and DESC trackers, mood, account card, hints.

Given an :class:`~simulator.tui.assessment.Assessment`, the call runs under locked
conditions: a banner says so, there is no hint key, no mood gauge, no live tracker and no
act annotation under the trainee's lines; the session is recorded with
``mode="assessment"`` and its end opens the assessor's review, not the debrief.

Every turn goes through :class:`simulator.sessions.CallSession` in a thread worker (the
analyzer, the engine and the store's durable commit never block the screen); the
trainee's line shows at once, its acts and the debtor's answer arrive as a message. The
end of the call is scored in a worker too, then the debrief replaces this screen.
"""

from __future__ import annotations

import datetime as dt
import queue
import secrets
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button

from scoring.labels import DESC_STEPS
from simulator.tui.i18n import clock_time, t, tr
from simulator.tui.widgets.account_card import AccountCard
from simulator.tui.widgets.button import TButton
from simulator.tui.widgets.desc_tracker import DescTracker
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.hint_box import HintBox
from simulator.tui.widgets.label import TLabel
from simulator.tui.widgets.mood import MoodGauges
from simulator.tui.widgets.phase_tracker import PhaseTracker
from simulator.tui.widgets.reply_box import ReplyBox
from simulator.tui.widgets.title_bar import TitleBar
from simulator.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from scoring.card import ScoreCard
    from simulator.dialogue.loader import LoadedScenario
    from simulator.sessions import CallSession
    from simulator.tui.app import RelanceApp
    from simulator.tui.assessment import Assessment

RESISTANCE = "resistance"
DESC_WINDOW = 3  # replies, as scoring.frameworks.desc's default window
_STEP_OF = {label: step for step, label in DESC_STEPS}


@dataclass(frozen=True, slots=True)
class NodeHelp:
    """What the debtor's current node hopes for (``Node.expects``) and its model phrase."""

    expects: tuple[str, ...]
    hint: str | None


def _warm(analyzer: Any, lang: str) -> None:
    """Analyse a throwaway line so that the first real reply does not pay for loading
    the lexicons (not recorded: the call is not involved)."""
    try:
        analyzer("Bonjour", lang)
    except Exception:
        return  # a broken analyzer is reported when the first reply uses it


def _help(call: CallSession) -> NodeHelp:
    node = call.engine.node
    return NodeHelp(tuple(node.expects), node.hint)


class CallScreen(Screen[None]):
    BINDINGS = [  # noqa: RUF012
        Binding("enter", "send", "key.send"),
        Binding("f1", "hint", "key.hint"),
        Binding("f2", "panel", "key.panel"),
        Binding("escape", "hang_up", "key.hang_up"),
    ]

    # -- messages from the workers ----------------------------------------------------
    @dataclass
    class CallStarted(Message):
        call: CallSession
        loaded: LoadedScenario
        turns: list[dict[str, Any]]
        help: NodeHelp
        resumed: bool

    @dataclass
    class ReplyProcessed(Message):
        trainee: dict[str, Any]
        debtor: dict[str, Any]
        help: NodeHelp
        finished: bool
        outcome: str | None

    @dataclass
    class ReplyFailed(Message):
        index: int
        text: str

    @dataclass
    class CallScored(Message):
        card: ScoreCard
        transcript: dict[str, Any]

    @dataclass
    class CallFailed(Message):
        pass

    def __init__(
        self,
        loaded: LoadedScenario | None = None,
        *,
        resume_id: str | None = None,
        assessment: Assessment | None = None,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.resume_id = resume_id
        #: Set for an assessed call: locked conditions (see the module docstring).
        self.assessment = assessment
        self.call: CallSession | None = None
        self.turns: list[dict[str, Any]] = []
        self.help = NodeHelp((), None)
        self.busy = False
        self.ended = False
        self.hung_up = False
        self.card: ScoreCard | None = None
        self.transcript: dict[str, Any] | None = None
        self.want_debrief = False
        self.started_at: dt.datetime | None = None
        self.base_offset = 0.0
        self.offsets: dict[int, float | None] = {}
        # replies go to one thread that owns the call (no worker to start per reply)
        self._jobs: queue.Queue[tuple[int, str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        # DESC episode (as scoring.frameworks.desc: a window of replies after a resistance)
        self.desc_open = False
        self.desc_lit: set[str] = set()
        self.desc_left = 0

    @classmethod
    def resuming(cls, session_id: str, assessment: Assessment | None = None) -> CallScreen:
        return cls(None, resume_id=session_id, assessment=assessment)

    @property
    def locked(self) -> bool:
        """Assessment conditions: no hints, no mood, no live feedback, no retry."""
        return self.assessment is not None

    @property
    def relance(self) -> RelanceApp:
        return self.app  # type: ignore[return-value]

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        title = self.loaded.scenario.title if self.loaded else ""
        yield TitleBar("call.title", detail=title, right="00:00", id="title")
        a = self.assessment
        if a is not None:
            yield TLabel("call.locked", id="locked-banner", trainee=a.trainee, assessor=a.assessor)
        else:
            with Horizontal(id="call-status"):
                yield PhaseTracker(id="phases")
                yield DescTracker(id="desc")
            yield MoodGauges(inline=True, id="mood-inline")
        with Horizontal(id="call-body"):
            yield TranscriptView(annotate=not self.locked, id="transcript")
            with VerticalScroll(id="call-side"):
                if not self.locked:
                    yield TLabel("call.mood", classes="section-title")
                    yield MoodGauges(id="mood")
                yield TLabel("call.account", classes="section-title")
                yield AccountCard(compact=True, id="account")
        if not self.locked:
            yield HintBox(id="hint")
        with Horizontal(id="call-end"):
            yield TLabel("call.ended", id="call-end-text")
            yield TButton(
                "call.see_review" if self.locked else "call.see_debrief",
                variant="primary",
                id="see-debrief",
                compact=True,
            )
        yield ReplyBox(placeholder=t("call.placeholder"), id="reply")
        yield RelanceFooter()

    def on_mount(self) -> None:
        for box in self.query(HintBox):
            box.display = False
        self.query_one("#call-end").display = False
        self.query_one(ReplyBox).focus()
        self.query_one(ReplyBox).disabled = True
        self.set_interval(1.0, self._tick)
        self.run_worker(self._start, thread=True, exit_on_error=False, group="call")

    def retranslate(self) -> None:
        self.query_one(ReplyBox).placeholder = t("call.placeholder")
        self._show_end_text()

    # -- time -------------------------------------------------------------------------
    def _offset(self) -> float:
        if self.started_at is None:
            return self.base_offset
        return self.base_offset + (self.relance.now() - self.started_at).total_seconds()

    def _tick(self) -> None:
        if self.started_at is not None and not self.ended:
            self.query_one(TitleBar).right = clock_time(self._offset())

    # -- starting (worker) ------------------------------------------------------------
    def _start(self) -> None:
        from simulator import library
        from simulator.sessions import CallSession

        app = self.relance
        try:
            store = app.get_store()
            analyzer = app.get_analyzer()
            if self.locked and store is None:
                raise RuntimeError(t("error.no_store"))  # an assessment must be recorded
            if self.resume_id is not None:
                if store is None:
                    raise RuntimeError(t("error.no_store"))
                session = store.get(self.resume_id)
                if app.catalogue is None:
                    app.load_catalogue()
                entry = app.entry(session.scenario_id)
                if entry is None:
                    from simulator.errors import ScenarioError

                    raise ScenarioError(
                        t("error.scenario_missing", id=session.scenario_id),
                        hint=t("error.close_instead"),
                    )
                loaded = library.load(entry.path)
                call = CallSession.resume(
                    store, self.resume_id, loaded, analyzer=analyzer, clock=app.clock
                )
                turns = [dict(x) for x in call.builder.turns]
            else:
                assert self.loaded is not None
                loaded = self.loaded
                seed = app.seed if app.seed is not None else secrets.randbelow(2**31)
                a = self.assessment
                call, _opening = CallSession.start(
                    loaded,
                    analyzer=analyzer,
                    seed=seed,
                    trainee=a.trainee if a is not None else app.learner,
                    mode="assessment" if a is not None else "practice",
                    assessor=a.assessor if a is not None else None,
                    store=store,
                    clock=app.clock,
                )
                turns = [dict(call.builder.turns[0])]
            help_ = _help(call)
            _warm(analyzer, loaded.scenario.lang)
        except Exception as exc:
            app.report(exc, t("error.call_start"))
            self.post_message(self.CallFailed())
            return
        self.post_message(self.CallStarted(call, loaded, turns, help_, self.resume_id is not None))

    def on_call_screen_call_failed(self) -> None:
        if self.call is None:
            self.app.pop_screen()
            return
        self.query_one("#call-end-text", TLabel).set_key("call.score_failed")
        self.query_one("#see-debrief", Button).display = False

    def on_call_screen_call_started(self, message: CallStarted) -> None:
        self.call = message.call
        self._thread = threading.Thread(
            target=self._serve, args=(message.call,), name="relance-call", daemon=True
        )
        self._thread.start()
        self.loaded = message.loaded
        scenario = message.loaded.scenario
        self.query_one(TitleBar).detail = scenario.title
        transcript = self.query_one(TranscriptView)
        transcript.debtor_name = scenario.persona.name
        self.query_one(AccountCard).show(scenario)
        if message.resumed and message.turns:
            self.base_offset = (message.turns[-1].get("at_ms") or 0) / 1000
        self.started_at = self.relance.now()
        for entry in message.turns:
            offset = (entry.get("at_ms") or 0) / 1000 if message.resumed else self._offset()
            self._add(entry, offset)
        self._set_help(message.help)
        reply = self.query_one(ReplyBox)
        reply.disabled = False
        reply.focus()
        if message.resumed:
            self.notify(t("call.resumed"))

    # -- one turn ---------------------------------------------------------------------
    def _add(self, entry: dict[str, Any], offset: float | None) -> None:
        self.turns.append(entry)
        self.offsets[entry["index"]] = offset
        self.query_one(TranscriptView).add_turn(entry, offset)
        self._absorb(entry)

    def _absorb(self, entry: dict[str, Any]) -> None:
        """Update the trackers and gauges with one turn (none under locked conditions)."""
        if self.locked:
            return
        if entry["speaker"] == "debtor":
            if entry.get("mood"):
                for gauges in self.query(MoodGauges):
                    gauges.show(entry["mood"])
            if RESISTANCE in (entry.get("tags") or ()):
                joins = self.desc_open and self.desc_left > 0 and len(self.desc_lit) < 4
                if not joins:
                    self.desc_open, self.desc_lit, self.desc_left = True, set(), DESC_WINDOW
        else:
            labels = [a["label"] for a in entry.get("acts") or ()]
            self.query_one(PhaseTracker).add_labels(labels)
            if self.desc_open and self.desc_left > 0:
                self.desc_lit |= {_STEP_OF[x] for x in labels if x in _STEP_OF}
                self.desc_left -= 1
        self.query_one(DescTracker).show(
            active=self.desc_open and self.desc_left > 0, lit=self.desc_lit, left=self.desc_left
        )

    def _set_help(self, help_: NodeHelp) -> None:
        if self.locked:
            return
        self.help = help_
        self.query_one(HintBox).show(list(help_.expects), help_.hint)

    def on_reply_box_reply_submitted(self, message: ReplyBox.ReplySubmitted) -> None:
        if self.call is None or self.busy or self.ended:
            self.app.bell()
            return
        self.busy = True
        index = len(self.turns)
        entry = {"index": index, "speaker": "trainee", "text": message.text}
        self.offsets[index] = self._offset()
        self.query_one(TranscriptView).add_turn(entry, self.offsets[index], pending=True)
        self._jobs.put((index, message.text))

    def _serve(self, call: CallSession) -> None:
        """The call thread: one reply at a time, results back as messages."""
        while (job := self._jobs.get()) is not None:
            self._reply(call, *job)

    def on_unmount(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout=2.0)

    def _reply(self, call: CallSession, index: int, text: str) -> None:
        try:
            result = call.reply(text)
            trainee, debtor = dict(call.builder.turns[-2]), dict(call.builder.turns[-1])
            help_ = _help(call)
        except Exception as exc:
            self.relance.report(exc, t("error.reply"))
            self.post_message(self.ReplyFailed(index, text))
            return
        self.post_message(
            self.ReplyProcessed(
                trainee, debtor, help_, result.debtor.finished, result.debtor.outcome
            )
        )

    def on_call_screen_reply_failed(self, message: ReplyFailed) -> None:
        self.busy = False
        self.query_one(TranscriptView).remove_turn(message.index)
        reply = self.query_one(ReplyBox)
        reply.value = message.text
        reply.cursor_position = len(message.text)

    def on_call_screen_reply_processed(self, message: ReplyProcessed) -> None:
        self.busy = False
        transcript = self.query_one(TranscriptView)
        trainee = message.trainee
        self.turns.append(trainee)
        transcript.update_turn(trainee)
        self._absorb(trainee)
        self._add(message.debtor, self._offset())
        self._set_help(message.help)
        if message.finished:
            self._end()

    # -- the end ----------------------------------------------------------------------
    def _end(self) -> None:
        self.ended = True
        self.query_one(TitleBar).right = clock_time(self._offset())
        reply = self.query_one(ReplyBox)
        reply.display = False
        for box in self.query(HintBox):
            box.display = False
        end = self.query_one("#call-end")
        end.display = True
        self._show_end_text()
        button = self.query_one("#see-debrief", Button)
        button.focus()
        self.refresh_bindings()
        self.run_worker(self._finish, thread=True, exit_on_error=False, group="finish")

    def _show_end_text(self) -> None:
        if not self.ended or self.call is None:
            return
        outcome = self.call.engine.outcome
        ended = "call.ended_assessed" if self.locked else "call.ended"
        key = "call.scoring" if self.card is None else ended
        self.query_one("#call-end-text", TLabel).set_key(key, outcome=tr("outcome", outcome))

    def _finish(self) -> None:
        call = self.call
        assert call is not None
        try:
            transcript = call.finish()
            card = call.card
            if card is None:
                raise RuntimeError(t("error.no_card"))
        except Exception as exc:
            self.relance.report(exc, t("error.scoring"))
            self.post_message(self.CallFailed())
            return
        self.post_message(self.CallScored(card, transcript))

    def on_call_screen_call_scored(self, message: CallScored) -> None:
        self.card = message.card
        self.transcript = message.transcript
        self._show_end_text()
        if self.want_debrief or self.hung_up:
            self._debrief()

    def _debrief(self) -> None:
        from simulator.tui.screens.debrief import Debrief, DebriefScreen

        if self.card is None or self.call is None or self.loaded is None:
            self.want_debrief = True
            return
        if self.assessment is not None:
            self._review(self.assessment)
            return
        debrief = Debrief(
            card=self.card,
            turns=[dict(x) for x in self.call.builder.turns],
            offsets=dict(self.offsets),
            title=self.loaded.scenario.title,
            scenario_id=self.loaded.scenario.id,
            session_id=self.call.session_id,
            debtor_name=self.loaded.scenario.persona.name,
            loaded=self.loaded,
            duration=self._offset(),
        )
        self.app.switch_screen(DebriefScreen(debrief))

    def _review(self, assessment: Assessment) -> None:
        from simulator.tui.screens.assessor_review import AssessorReviewScreen, Review

        assert self.card is not None and self.call is not None and self.loaded is not None
        assert self.call.session_id is not None
        review = Review(
            session_id=self.call.session_id,
            assessor=assessment.assessor,
            trainee=assessment.trainee,
            card=self.card,
            turns=[dict(x) for x in self.call.builder.turns],
            offsets=dict(self.offsets),
            title=self.loaded.scenario.title,
            debtor_name=self.loaded.scenario.persona.name,
            duration=self._offset(),
        )
        self.app.switch_screen(AssessorReviewScreen(review))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "see-debrief":
            self.want_debrief = True
            self._debrief()

    # -- actions ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hint" and self.locked:
            return False  # locked conditions: no hint, not even a greyed-out key
        return not (action in ("hint", "hang_up") and self.ended)

    async def action_send(self) -> None:
        if self.ended:
            self.want_debrief = True
            self._debrief()
            return
        reply = self.query_one(ReplyBox)
        reply.focus()
        await reply.action_submit()

    def action_hint(self) -> None:
        if self.locked:
            return
        box = self.query_one(HintBox)
        box.display = not box.display

    def action_panel(self) -> None:
        self.toggle_class("-side-toggled")

    def action_hang_up(self) -> None:
        from simulator.tui.screens.confirm import ConfirmScreen

        if self.ended or self.call is None:
            if self.call is None:
                self.app.pop_screen()
            return
        self.app.push_screen(
            ConfirmScreen("hangup.title", "hangup.text", "hangup.confirm", "hangup.cancel"),
            self._hang_up_answer,
        )

    def _hang_up_answer(self, yes: bool | None) -> None:
        if not yes or self.call is None or self.ended:
            return
        if self.busy:
            self.notify(t("call.wait_reply"), severity="warning")
            return
        self.call.hang_up()
        self.hung_up = True
        self._end()
