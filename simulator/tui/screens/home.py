"""Home: the scenario catalogue, filterable, with the learner's last score on each.

The catalogue paints from the library cache in a thread worker; the store (last scores,
an interrupted call to continue) follows in the same worker, then the heavier modules
(scenario model, scorer) are imported in the background so that opening a briefing or
starting a call does not wait for them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input

from simulator.tui.i18n import t, tr
from simulator.tui.widgets.filter_bar import FilterBar, Filters
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel
from simulator.tui.widgets.resume_banner import ResumeBanner
from simulator.tui.widgets.scenario_list import LastScore, ScenarioList
from simulator.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from simulator.library import CatalogueEntry
    from simulator.store.model import SessionSummary
    from simulator.tui.app import RelanceApp


def _fold(text: str) -> str:
    """Lower case without accents, so « debutant » finds « débutant »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matches(entry: CatalogueEntry, f: Filters) -> bool:
    """Does ``entry`` pass the filters? Every word of the search must appear somewhere."""
    if f.lang and entry.lang != f.lang:
        return False
    if f.level and entry.level != f.level:
        return False
    if f.profile and entry.profile != f.profile:
        return False
    if f.segment and entry.segment != f.segment:
        return False
    if not f.text:
        return True
    haystack = _fold(
        " ".join(
            (
                entry.title,
                entry.id,
                " ".join(entry.tags),
                entry.profile,
                tr("profile", entry.profile),
                entry.level,
                entry.segment,
            )
        )
    )
    return all(word in haystack for word in _fold(f.text).split())


class HomeScreen(Screen[None]):
    """The catalogue; Enter opens the briefing of the highlighted scenario."""

    #: No breakpoint classes here: the layout is fluid, and a class set on the first
    #: resize would restyle every widget of the screen during the first paint.
    HORIZONTAL_BREAKPOINTS = []  # noqa: RUF012

    BINDINGS = [  # noqa: RUF012
        Binding("enter", "open", "key.open"),
        # the search box is in sight: its key stays out of the footer (room for the rest
        # at 80 columns in French) but in the command palette
        Binding("slash", "focus_search", "key.search", show=False),
        Binding("c", "resume", "key.resume"),
        Binding("a", "app.assess", "key.assess"),
        Binding("x", "close_interrupted", "key.close_score", show=False),
        Binding("h", "app.history", "key.history"),
        Binding("s", "app.settings", "key.settings"),
        Binding("l", "toggle_language", "key.language"),
        Binding("escape", "leave_search", "", show=False),  # leaves the search box
    ]

    @dataclass
    class CatalogueLoaded(Message):
        entries: list[CatalogueEntry]

    @dataclass
    class StoreLoaded(Message):
        scores: dict[str, LastScore]
        interrupted: list[SessionSummary]

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()
        self.scores: dict[str, LastScore] = {}
        self.interrupted: list[SessionSummary] = []
        self._resumed_once = False
        #: Set once the scores and the interrupted calls have been read (tests wait on it).
        self.store_loaded = False

    @property
    def relance(self) -> RelanceApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TitleBar("home.title", right=self.relance.settings.learner, id="title")
        yield FilterBar(id="filters")
        yield ResumeBanner(id="resume")
        yield TLabel("home.loading", id="home-status")
        yield ScenarioList(id="scenarios")
        yield RelanceFooter()

    def on_mount(self) -> None:
        self.query_one(ResumeBanner).display = False
        self.query_one(ScenarioList).focus()
        if self.relance.catalogue is None and self.relance.quick_catalogue() is None:
            self.run_worker(self._load, thread=True, exit_on_error=False, group="home-load")
        else:
            self.on_home_screen_catalogue_loaded(self.CatalogueLoaded(self.relance.catalogue or []))

    def on_screen_resume(self) -> None:
        """Back from a call or the settings: scores and name may have changed."""
        if self._resumed_once:
            self.run_worker(self._load_store, thread=True, exit_on_error=False, group="home-store")
        self._resumed_once = True
        self.query_one(TitleBar).right = self.relance.settings.learner

    # -- loading (thread workers) -----------------------------------------------------
    def _load(self) -> None:
        app = self.relance
        entries: list[CatalogueEntry] = []
        with app.guard(t("error.catalogue")):
            entries = app.load_catalogue()
        if app.catalogue is None:
            app.catalogue = []
        self.post_message(self.CatalogueLoaded(entries))

    def _after_paint(self) -> None:
        """Scores, the interrupted call, then warm-up: once the catalogue is on screen,
        so that this work does not compete with the first paint."""
        self.run_worker(self._load_rest, thread=True, exit_on_error=False, group="home-store")

    def _load_rest(self) -> None:
        self._load_store()
        self._warm_up()

    def _load_store(self) -> None:
        app = self.relance
        scores: dict[str, LastScore] = {}
        interrupted: list[SessionSummary] = []
        with app.guard():
            store = app.get_store()
            if store is not None and app.settings.learner:
                for s in store.list_sessions(trainee=app.settings.learner):
                    last = scores.get(s.scenario_id)
                    if last is None:
                        scores[s.scenario_id] = LastScore(s.score, 1)
                    else:
                        score = last.score if last.score is not None else s.score
                        scores[s.scenario_id] = LastScore(score, last.attempts + 1)
                interrupted = store.interrupted_sessions(app.settings.learner)
        self.post_message(self.StoreLoaded(scores, interrupted))

    def _warm_up(self) -> None:
        """Import what a briefing and a call need while the learner reads the list."""
        import importlib

        try:
            for module in ("simulator.dialogue.loader", "simulator.sessions", "scoring.score"):
                importlib.import_module(module)
            self.relance.get_analyzer()("Bonjour", "fr")  # loads the lexicons
        except Exception:
            return  # reported when actually used

    # -- messages ---------------------------------------------------------------------
    def on_home_screen_catalogue_loaded(self, message: CatalogueLoaded) -> None:
        self.query_one(FilterBar).set_profiles([e.profile for e in message.entries])
        self._refresh_list()
        self.set_timer(0.2, self._after_paint)
        if not self.relance.settings.learner:
            from simulator.tui.screens.name_prompt import NamePrompt

            self.app.push_screen(NamePrompt(), self._named)

    def _named(self, name: str | None) -> None:
        if name:
            self.relance.settings.learner = name
            self.relance.save_settings()
            self.query_one(TitleBar).right = name
            self.run_worker(self._load_store, thread=True, exit_on_error=False, group="home-store")

    def on_home_screen_store_loaded(self, message: StoreLoaded) -> None:
        self.store_loaded = True
        self.scores = message.scores
        self.interrupted = message.interrupted
        self.query_one(ResumeBanner).show(self.interrupted)
        self.refresh_bindings()
        self._refresh_list()

    def on_filter_bar_filters_changed(self, message: FilterBar.FiltersChanged) -> None:
        self.filters = message.filters
        self._refresh_list()

    def _refresh_list(self) -> None:
        entries = self.relance.catalogue
        status = self.query_one("#home-status", TLabel)
        if entries is None:
            return
        shown = [e for e in entries if matches(e, self.filters)]
        self.query_one(ScenarioList).show(shown, self.scores)
        if not entries:
            status.set_key("home.no_library")
        elif not shown:
            status.set_key("home.no_match")
        else:
            status.set_key("home.count", n=len(shown), total=len(entries))

    def retranslate(self) -> None:
        self._refresh_list()

    # -- actions ----------------------------------------------------------------------
    def on_scenario_list_scenario_chosen(self, message: ScenarioList.ScenarioChosen) -> None:
        self._open(message.entry)

    def _open(self, entry: CatalogueEntry) -> None:
        from simulator.tui.screens.briefing import BriefingScreen

        self.app.push_screen(BriefingScreen(entry))

    def action_open(self) -> None:
        entry = self.query_one(ScenarioList).highlighted_entry
        if entry is not None:
            self._open(entry)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(ScenarioList).focus()

    def action_focus_search(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def action_leave_search(self) -> None:
        self.query_one(ScenarioList).focus()

    def action_toggle_language(self) -> None:
        from simulator.tui import i18n

        self.relance.switch_language("en" if i18n.language() == "fr" else "fr")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("resume", "close_interrupted"):
            return bool(self.interrupted)
        return True

    def action_resume(self) -> None:
        if self.interrupted:
            self._resume(self.interrupted[0].id)

    def action_close_interrupted(self) -> None:
        if self.interrupted:
            self._close(self.interrupted[0].id)

    def on_resume_banner_resume_requested(self, message: ResumeBanner.ResumeRequested) -> None:
        self._resume(message.session_id)

    def on_resume_banner_close_requested(self, message: ResumeBanner.CloseRequested) -> None:
        self._close(message.session_id)

    def _resume(self, session_id: str) -> None:
        from simulator.tui.assessment import Assessment
        from simulator.tui.screens.call import CallScreen

        assessment = None
        for s in self.interrupted:
            if s.id == session_id and s.mode == "assessment":
                # an assessed call goes on under the same locked conditions
                assessment = Assessment(s.assessor or t("app.anonymous"), s.trainee)
        self.app.push_screen(CallScreen.resuming(session_id, assessment))

    def _close(self, session_id: str) -> None:
        from simulator.tui.screens.debrief import close_interrupted

        self.notify(t("home.closing"))
        self.run_worker(
            lambda: close_interrupted(self.relance, session_id),
            thread=True,
            exit_on_error=False,
            group="home-close",
        )

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        """Open any scenario, resume or close any interrupted call, from the palette."""
        out: list[tuple[str, str, Any]] = []
        for entry in self.relance.catalogue or ():
            out.append(
                (
                    t("palette.open", title=entry.title),
                    f"{entry.lang.upper()} · {tr('level', entry.level)}",
                    lambda e=entry: self._open(e),
                )
            )
        for s in self.interrupted:
            out.append(
                (
                    t("palette.resume", title=s.scenario_title),
                    t("home.turns", n=s.turn_count),
                    lambda i=s.id: self._resume(i),
                )
            )
            out.append(
                (
                    t("palette.close", title=s.scenario_title),
                    t("home.turns", n=s.turn_count),
                    lambda i=s.id: self._close(i),
                )
            )
        return out
