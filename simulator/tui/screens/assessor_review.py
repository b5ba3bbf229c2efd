"""The assessor's review of an assessed call: the automatic card, overrides, sign-off.

The card is the debrief's (breaches first, each criterion with its evidence and advice);
here each criterion can be overridden (``o``): a score from 0 to 100 and a written
justification, which is mandatory. The automatic score stays on the card and the
assessor's score in force is shown beside it, with every override and its
justification. "Sign and seal" (``s``), once confirmed, seals the session in the store
(:meth:`SessionStore.seal`): the seal's hash is shown and the screen becomes read-only —
no override, no sign-off, and never a retry (an assessment is one call).

The same screen opens an assessed session from the history, read-only if it is sealed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Select, Static

from simulator.tui.i18n import date, number, t, tr
from simulator.tui.widgets.button import TButton
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel
from simulator.tui.widgets.score_card_view import ScoreCardView
from simulator.tui.widgets.score_summary import ScoreSummary
from simulator.tui.widgets.title_bar import TitleBar
from simulator.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from scoring.card import ScoreCard
    from simulator.dialogue.loader import LoadedScenario
    from simulator.store.model import Override, Seal, Session
    from simulator.tui.app import RelanceApp


@dataclass
class Review:
    """An assessed call as the assessor reviews it: card, turns, overrides, seal."""

    session_id: str
    assessor: str
    trainee: str
    card: ScoreCard
    turns: list[dict[str, Any]]
    title: str
    debtor_name: str
    offsets: dict[int, float | None] = field(default_factory=dict)
    duration: float | None = None
    overrides: tuple[Override, ...] = ()
    seal: Seal | None = None
    past: bool = False
    started_at: dt.datetime | None = None

    @property
    def sealed(self) -> bool:
        return self.seal is not None

    def by_criterion(self) -> dict[str, tuple[Override, ...]]:
        """Criterion → its overrides, oldest first (the last one is in force)."""
        out: dict[str, list[Override]] = {}
        for o in self.overrides:
            out.setdefault(o.criterion, []).append(o)
        return {k: tuple(v) for k, v in out.items()}

    def final_scores(self) -> dict[str, float]:
        known = {c.id for c in self.card.criteria}
        return {o.criterion: o.score for o in self.overrides if o.criterion in known}

    def updated(self, session: Session) -> Review:
        """The same review with the overrides and the seal now stored."""
        return dataclasses.replace(self, overrides=tuple(session.overrides), seal=session.seal)

    @classmethod
    def from_session(
        cls, session: Session, loaded: LoadedScenario | None = None, *, past: bool = True
    ) -> Review:
        """A recorded assessed session (its card must have been saved)."""
        from simulator.tui.screens.debrief import Debrief

        base = Debrief.from_session(session, loaded, past=past)
        return cls(
            session_id=session.id,
            assessor=session.assessor or t("app.anonymous"),
            trainee=session.trainee,
            card=base.card,
            turns=base.turns,
            title=base.title,
            debtor_name=base.debtor_name,
            offsets=base.offsets,
            duration=base.duration,
            overrides=tuple(session.overrides),
            seal=session.seal,
            past=past,
            started_at=base.started_at,
        )


@dataclass(frozen=True, slots=True)
class OverrideRequest:
    criterion: str
    score: float
    justification: str


def parse_score(text: str) -> float | None:
    """``"72,5"`` or ``"72.5"`` → 72.5; anything not a number within 0–100 → ``None``."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 <= value <= 100 else None


class OverrideDialog(ModalScreen[OverrideRequest | None]):
    """The criterion, the assessor's score and the justification; refuses an empty one."""

    BINDINGS = [  # noqa: RUF012
        Binding("ctrl+s", "save", "key.save", priority=True),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, card: ScoreCard, criterion: str | None, in_force: dict[str, float]) -> None:
        super().__init__()
        self.card = card
        ids = [c.id for c in card.criteria]
        self.criterion = criterion if criterion in ids else (ids[0] if ids else "")
        self.in_force = in_force

    def _options(self) -> list[tuple[str, str]]:
        return [(tr("criterion", c.id) or c.title, c.id) for c in self.card.criteria]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide-dialog", id="override-dialog"):
            yield TLabel("review.dialog_title", classes="dialog-title")
            with Horizontal(classes="dialog-field"):
                yield TLabel("review.criterion", classes="dialog-label")
                yield Select[str](
                    self._options(),
                    value=self.criterion,
                    allow_blank=False,
                    id="override-criterion",
                    compact=True,
                )
            yield Static(id="override-auto", classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-field"):
                yield TLabel("review.score", classes="dialog-label")
                yield Input(placeholder="0–100", id="override-score", compact=True)
            with Horizontal(classes="dialog-field"):
                yield TLabel("review.justification", classes="dialog-label")
                yield Input(
                    placeholder=t("review.justification_placeholder"),
                    id="override-justification",
                    compact=True,
                )
            yield TLabel("review.need_justification", id="override-error")
            with Horizontal(classes="dialog-buttons"):
                yield TButton("review.save", variant="primary", id="override-save", compact=True)
                yield TButton("review.cancel", id="override-cancel", compact=True)

        yield RelanceFooter()

    def on_mount(self) -> None:
        self.query_one("#override-error").display = False
        self._show_auto()
        self.query_one("#override-score", Input).focus()

    def _show_auto(self) -> None:
        c = self.card.criterion(self.criterion)
        if c is None:
            return
        auto = number(c.score) if c.applicable else t("debrief.not_applicable")
        text = t("review.auto", score=auto)
        if self.criterion in self.in_force:
            text += " · " + t("review.in_force", score=number(self.in_force[self.criterion]))
        self.query_one("#override-auto", Static).update(text)

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.criterion = event.value
            self._show_auto()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "override-score":
            self.query_one("#override-justification", Input).focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "override-save":
            self.action_save()
        else:
            self.action_cancel()

    def _refuse(self, key: str, target: str) -> None:
        error = self.query_one("#override-error", TLabel)
        error.set_key(key)
        error.display = True
        self.query_one(target).focus()
        self.app.bell()

    def action_save(self) -> None:
        score = parse_score(self.query_one("#override-score", Input).value)
        justification = " ".join(self.query_one("#override-justification", Input).value.split())
        if score is None:
            self._refuse("review.bad_score", "#override-score")
            return
        if not justification:
            self._refuse("review.need_justification", "#override-justification")
            return
        chosen = self.query_one("#override-criterion", Select).value
        criterion = chosen if isinstance(chosen, str) else self.criterion
        self.dismiss(OverrideRequest(criterion, score, justification))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def retranslate(self) -> None:
        select = self.query_one("#override-criterion", Select)
        with self.prevent(Select.Changed):
            select.set_options(self._options())
            select.value = self.criterion
        self.query_one("#override-justification", Input).placeholder = t(
            "review.justification_placeholder"
        )
        self._show_auto()


class AssessorReviewScreen(Screen[None]):
    BINDINGS = [  # noqa: RUF012
        Binding("o", "override", "key.override"),
        Binding("s", "sign", "key.sign"),
        Binding("t", "transcript", "key.transcript"),
        Binding("escape", "back", "key.back"),
    ]

    @dataclass
    class Updated(Message):
        session: Session
        notice: str

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review

    @property
    def relance(self) -> RelanceApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        r = self.review
        yield TitleBar("review.title", detail=r.title, right=r.trainee)
        yield ScoreSummary(r.card, turns=len(r.turns), duration=r.duration, id="summary")
        yield Static(id="review-status", markup=False)
        with Horizontal(id="review-body"):
            yield ScoreCardView(r.card, overrides=r.by_criterion(), id="card")
            with Vertical(id="review-transcript"):
                yield TLabel("debrief.transcript", classes="section-title")
                yield TranscriptView(debtor_name=r.debtor_name, id="transcript")
        yield RelanceFooter()

    def on_mount(self) -> None:
        r = self.review
        self.query_one(TranscriptView).set_turns([(e, r.offsets.get(e["index"])) for e in r.turns])
        self.query_one(ScoreCardView).focus()
        self._show_status()

    def retranslate(self) -> None:
        self._show_status()

    def _show_status(self) -> None:
        from simulator.reports.model import overall_with

        r = self.review
        text = Text(t("review.people", assessor=r.assessor, trainee=r.trainee), "bold")
        scores = r.final_scores()
        if scores:
            final = overall_with(r.card, scores)
            passed = final >= r.card.pass_mark and not r.card.blocking_breaches
            verdict = t("debrief.passed") if passed else t("debrief.failed")
            text.append("\n")
            text.append(
                t(
                    "review.final",
                    score=number(final),
                    verdict=verdict,
                    auto=number(r.card.overall),
                ),
                "bold magenta",
            )
        text.append("\n")
        if r.seal is not None:
            local = r.seal.at.astimezone()
            when = f"{date(local)} {local.strftime('%H:%M')}"
            text.append(t("review.sealed", by=r.seal.by, date=when, hash=r.seal.hash), "bold green")
        else:
            text.append(t("review.open"), "yellow")
        self.query_one("#review-status", Static).update(text)
        self.query_one(TitleBar).right = ("🔒 " if r.sealed else "") + r.trainee

    # -- evidence → transcript --------------------------------------------------------
    def on_score_card_view_turn_selected(self, message: ScoreCardView.TurnSelected) -> None:
        if self.has_class("-narrow"):
            self.add_class("-show-transcript")
        self.query_one(TranscriptView).scroll_to_turn(message.turn)

    def action_transcript(self) -> None:
        if self.has_class("-narrow"):
            self.toggle_class("-show-transcript")
            target: Any = (
                self.query_one(TranscriptView)
                if self.has_class("-show-transcript")
                else self.query_one(ScoreCardView)
            )
            target.focus()
        else:
            view = self.query_one(TranscriptView)
            if view.has_focus:
                self.query_one(ScoreCardView).focus()
            else:
                view.focus()

    # -- overrides and sign-off -------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("override", "sign"):
            return not self.review.sealed  # sealed: read-only, the keys are gone
        return True

    def _read_only(self) -> bool:
        if self.review.sealed:
            self.notify(t("review.read_only"), severity="warning")
            return True
        return False

    def action_override(self) -> None:
        if self._read_only():
            return
        view = self.query_one(ScoreCardView)
        dialog = OverrideDialog(
            self.review.card, view.highlighted_criterion, self.review.final_scores()
        )
        self.app.push_screen(dialog, self._save_override)

    def _save_override(self, request: OverrideRequest | None) -> None:
        if request is None or self._read_only():
            return
        app, r = self.relance, self.review

        def save() -> None:
            with app.guard(t("error.override")):
                store = app.get_store()
                if store is None:
                    raise RuntimeError(t("error.no_store"))
                store.add_override(
                    r.session_id,
                    request.criterion,
                    request.score,
                    request.justification,
                    r.assessor,
                    created_at=app.now(),
                )
                auto = r.card.criterion(request.criterion)
                notice = t(
                    "review.saved",
                    criterion=tr("criterion", request.criterion),
                    auto=number(auto.score) if auto is not None else "—",
                    score=number(request.score),
                )
                self.post_message(self.Updated(store.get(r.session_id), notice))

        self.run_worker(save, thread=True, exit_on_error=False, group="review-save")

    def action_sign(self) -> None:
        from simulator.tui.screens.confirm import ConfirmScreen

        if self._read_only():
            return
        self.app.push_screen(
            ConfirmScreen(
                "review.sign_title", "review.sign_text", "review.sign_confirm", "review.cancel"
            ),
            self._sign,
        )

    def _sign(self, yes: bool | None) -> None:
        if not yes or self._read_only():
            return
        app, r = self.relance, self.review

        def seal() -> None:
            with app.guard(t("error.seal")):
                store = app.get_store()
                if store is None:
                    raise RuntimeError(t("error.no_store"))
                done = store.seal(r.session_id, r.assessor, app.now())
                notice = t("review.sealed_done", hash=done.hash)
                self.post_message(self.Updated(store.get(r.session_id), notice))

        self.run_worker(seal, thread=True, exit_on_error=False, group="review-seal")

    def on_assessor_review_screen_updated(self, message: Updated) -> None:
        self.review = self.review.updated(message.session)
        self.query_one(ScoreCardView).show_overrides(self.review.by_criterion())
        self._show_status()
        self.refresh_bindings()
        self.notify(message.notice, timeout=8)

    def action_back(self) -> None:
        if self.has_class("-show-transcript"):
            self.remove_class("-show-transcript")
            self.query_one(ScoreCardView).focus()
            return
        if not self.review.sealed:
            self.notify(t("review.not_sealed"), severity="warning", timeout=8)
        if self.review.past:
            self.app.pop_screen()
        else:
            self.relance.action_go_home()
