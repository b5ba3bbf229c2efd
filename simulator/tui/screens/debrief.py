"""Debrief: the verdict, breaches first, each criterion with its quoted evidence and
advice, the DESC timeline, the annotated transcript; retry, another scenario, and the
learner's action plan (one to three goals, saved with the store).

The same screen shows a call just played and any past session from the history
(:meth:`Debrief.from_session`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen

from simulator.tui.i18n import t
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel
from simulator.tui.widgets.score_card_view import ScoreCardView
from simulator.tui.widgets.score_summary import ScoreSummary
from simulator.tui.widgets.title_bar import TitleBar
from simulator.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from scoring.card import ScoreCard
    from simulator.dialogue.loader import LoadedScenario
    from simulator.store.model import ActionPlan, Session
    from simulator.tui.app import RelanceApp


@dataclass
class Debrief:
    """Everything the debrief shows: the card, the turns and where they came from."""

    card: ScoreCard
    turns: list[dict[str, Any]]
    title: str
    scenario_id: str
    session_id: str | None
    debtor_name: str
    offsets: dict[int, float | None] = field(default_factory=dict)
    loaded: LoadedScenario | None = None
    duration: float | None = None
    past: bool = False
    started_at: dt.datetime | None = None
    #: "assessment": one call only, the retry is not offered.
    mode: str = "practice"

    @classmethod
    def from_session(
        cls, session: Session, loaded: LoadedScenario | None = None, *, past: bool = True
    ) -> Debrief:
        """A recorded session (its card must have been saved)."""
        from scoring.card import ScoreCard
        from simulator.sessions import turn_json

        if session.card is None:
            raise ValueError(t("error.no_card"))
        card = ScoreCard.from_json(session.card)
        turns = [turn_json(x) for x in session.turns]
        offsets = {x["index"]: (x.get("at_ms") or 0) / 1000 for x in turns}
        duration = None
        if session.ended_at is not None:
            duration = (session.ended_at - session.started_at).total_seconds()
        name = loaded.scenario.persona.name if loaded is not None else t("call.debtor")
        return cls(
            card=card,
            turns=turns,
            title=session.scenario_title,
            scenario_id=session.scenario_id,
            session_id=session.id,
            debtor_name=name,
            offsets=offsets,
            loaded=loaded,
            duration=duration,
            past=past,
            started_at=session.started_at,
            mode=session.mode,
        )


def close_interrupted(app: RelanceApp, session_id: str) -> None:
    """Close an interrupted call as it stands, score it, open its debrief (worker thread).

    Through :meth:`CallSession.resume` + ``finish`` when the scenario is still the same;
    if it changed or disappeared, the stored turns are scored as they are.
    """
    from simulator import library
    from simulator.errors import RelanceError
    from simulator.sessions import CallSession, session_transcript

    try:
        store = app.get_store()
        if store is None:
            raise RuntimeError(t("error.no_store"))
        session = store.get(session_id)
        if app.catalogue is None:
            app.load_catalogue()
        entry = app.entry(session.scenario_id)
        loaded = None
        if entry is not None:
            try:
                loaded = library.load(entry.path)
            except RelanceError:
                loaded = None
        try:
            if loaded is None:
                raise RelanceError("scenario unavailable")
            call = CallSession.resume(
                store, session_id, loaded, analyzer=app.get_analyzer(), clock=app.clock
            )
            call.finish()
        except RelanceError:
            from scoring.score import score_transcript

            transcript = session_transcript(session, None)
            card = score_transcript(transcript)
            store.finish_session(
                session_id,
                "abandoned",
                card.to_json(),
                app.clock(),
                status="abandoned",
                score=card.overall,
            )
        closed = store.get(session_id)
        screen: Screen[None]
        if closed.mode == "assessment":
            from simulator.tui.screens.assessor_review import AssessorReviewScreen, Review

            screen = AssessorReviewScreen(Review.from_session(closed, loaded, past=False))
        else:
            screen = DebriefScreen(Debrief.from_session(closed, loaded, past=False))
    except Exception as exc:
        app.report(exc, t("error.close"))
        return
    app.call_from_thread(app.push_screen, screen)


class DebriefScreen(Screen[None]):
    BINDINGS = [  # noqa: RUF012
        Binding("r", "retry", "key.retry"),
        Binding("n", "another", "key.another"),
        Binding("p", "plan", "key.plan"),
        Binding("t", "transcript", "key.transcript"),
        Binding("escape", "back", "key.back"),
    ]

    @dataclass
    class PlanLoaded(Message):
        plan: ActionPlan | None

    def __init__(self, debrief: Debrief) -> None:
        super().__init__()
        self.debrief = debrief
        self.plan: ActionPlan | None = None

    @property
    def relance(self) -> RelanceApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        d = self.debrief
        right = d.started_at.strftime("%Y-%m-%d %H:%M") if d.past and d.started_at else ""
        yield TitleBar("debrief.title", detail=d.title, right=right)
        yield ScoreSummary(d.card, turns=len(d.turns), duration=d.duration, id="summary")
        with Horizontal(id="debrief-body"):
            yield ScoreCardView(d.card, id="card")
            with Vertical(id="debrief-transcript"):
                yield TLabel("debrief.transcript", classes="section-title")
                yield TranscriptView(debtor_name=d.debtor_name, id="transcript")
        yield RelanceFooter()

    def on_mount(self) -> None:
        d = self.debrief
        self.query_one(TranscriptView).set_turns([(e, d.offsets.get(e["index"])) for e in d.turns])
        self.query_one(ScoreCardView).focus()
        self.run_worker(self._load_plan, thread=True, exit_on_error=False, group="plan")

    def _load_plan(self) -> None:
        app = self.relance
        with app.guard():
            store = app.get_store()
            if store is not None:
                self.post_message(self.PlanLoaded(store.current_action_plan(app.learner)))

    def on_debrief_screen_plan_loaded(self, message: PlanLoaded) -> None:
        self.plan = message.plan

    # -- evidence → transcript --------------------------------------------------------
    def on_score_card_view_turn_selected(self, message: ScoreCardView.TurnSelected) -> None:
        if self.has_class("-narrow"):
            self.add_class("-show-transcript")
        self.query_one(TranscriptView).scroll_to_turn(message.turn)

    def action_transcript(self) -> None:
        if self.has_class("-narrow"):
            self.toggle_class("-show-transcript")
            if self.has_class("-show-transcript"):
                self.query_one(TranscriptView).focus()
            else:
                self.query_one(ScoreCardView).focus()
        else:
            view = self.query_one(TranscriptView)
            if view.has_focus:
                self.query_one(ScoreCardView).focus()
            else:
                view.focus()

    # -- actions ----------------------------------------------------------------------
    def action_back(self) -> None:
        if self.has_class("-show-transcript"):
            self.remove_class("-show-transcript")
            self.query_one(ScoreCardView).focus()
            return
        if self.debrief.past:
            self.app.pop_screen()
        else:
            self.relance.action_go_home()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # an assessment is one call: no retry
        return not (action == "retry" and self.debrief.mode == "assessment")

    def action_another(self) -> None:
        self.relance.action_go_home()

    def action_retry(self) -> None:
        from simulator.tui.screens.briefing import BriefingScreen
        from simulator.tui.screens.call import CallScreen

        d = self.debrief
        if d.mode == "assessment":
            return
        if d.loaded is not None and not d.past:
            self.app.switch_screen(CallScreen(d.loaded))
            return
        entry = self.relance.entry(d.scenario_id)
        if entry is None:
            self.notify(t("error.scenario_missing", id=d.scenario_id), severity="error")
            return
        self.app.switch_screen(BriefingScreen(entry))

    def action_plan(self) -> None:
        from simulator.tui.screens.action_plan import ActionPlanScreen

        card = self.debrief.card
        weakest = sorted(
            (c for c in card.criteria if c.applicable and c.advice), key=lambda c: c.score
        )
        suggestions = [b.advice for b in card.breaches if b.advice][:1]
        suggestions += [c.advice for c in weakest][:3]
        goals = list(self.plan.goals) if self.plan else []
        self.app.push_screen(ActionPlanScreen(goals, suggestions[:3]), self._save_plan)

    def _save_plan(self, goals: list[str] | None) -> None:
        if not goals:
            return
        app = self.relance

        def save() -> None:
            with app.guard(t("error.plan")):
                store = app.get_store()
                if store is None:
                    raise RuntimeError(t("error.no_store"))
                plan = store.save_action_plan(
                    app.learner,
                    goals,
                    session_id=self.debrief.session_id,
                    created_at=app.now(),
                )
                self.post_message(self.PlanLoaded(plan))
                app.call_from_thread(app.notify, t("plan.saved"))

        self.run_worker(save, thread=True, exit_on_error=False, group="plan-save")
