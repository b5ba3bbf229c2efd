"""History: the learner's sessions, filters, progress charts; open any past debrief.

Assessed sessions are listed too, whoever the trainee (the assessor reviews them here):
marked ✎ while open, 🔒 once sealed; they open in the assessor's review, read-only when
sealed. The progress charts only follow the learner's own sessions.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Select

from scoring.labels import ABANDONED
from simulator.tui.i18n import date, number, t, tr
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel
from simulator.tui.widgets.progress_charts import ProgressCharts, Series
from simulator.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from simulator.store.model import SessionSummary
    from simulator.tui.app import RelanceApp

RESULTS = ("passed", "failed", "abandoned")


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One session with what its card says (``passed`` is ``None`` without a card)."""

    summary: SessionSummary
    passed: bool | None
    criteria: dict[str, float]
    #: The learner's own session (else an assessment of another trainee).
    own: bool = True

    @property
    def result(self) -> str:
        if self.summary.status == "abandoned" or self.summary.outcome == ABANDONED:
            return "abandoned"
        if self.passed is None:
            return "unscored"
        return "passed" if self.passed else "failed"


class HistoryScreen(Screen[None]):
    BINDINGS = [  # noqa: RUF012
        Binding("enter", "open", "key.open"),
        Binding("f", "filters", "key.filters"),
        Binding("escape", "back", "key.back"),
    ]

    @dataclass
    class HistoryLoaded(Message):
        rows: list[HistoryRow]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[HistoryRow] = []
        self.shown: list[HistoryRow] = []

    @property
    def relance(self) -> RelanceApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TitleBar("history.title", right=self.relance.settings.learner)
        with Horizontal(id="history-filters"):
            yield Select[str](
                [], prompt=t("history.any_scenario"), id="history-scenario", compact=True
            )
            yield Select[str](
                self._result_options(),
                prompt=t("history.any_result"),
                id="history-result",
                compact=True,
            )
            yield TLabel("history.loading", id="history-count")
        with Horizontal(id="history-body"):
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="history-charts"):
                yield TLabel("history.progress", classes="section-title")
                yield ProgressCharts(id="charts")
        yield RelanceFooter()

    def _result_options(self) -> list[tuple[str, str]]:
        return [(t(f"history.result_{r}"), r) for r in RESULTS]

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.run_worker(self._load, thread=True, exit_on_error=False, group="history")

    def _load(self) -> None:
        from scoring.card import ScoreCard

        app = self.relance
        rows: list[HistoryRow] = []
        with app.guard():
            store = app.get_store()
            if store is not None:
                own = store.list_sessions(trainee=app.learner)
                assessed = store.list_sessions(mode="assessment")
                known = {s.id for s in own}
                sessions = own + [s for s in assessed if s.id not in known]
                sessions.sort(key=lambda s: s.started_at, reverse=True)
                for s in sessions:
                    passed: bool | None = None
                    criteria: dict[str, float] = {}
                    if s.score is not None:
                        card_json = store.get(s.id).card
                        if card_json:
                            card = ScoreCard.from_json(card_json)
                            passed = card.passed
                            criteria = {c.id: c.score for c in card.criteria if c.applicable}
                    rows.append(HistoryRow(s, passed, criteria, s.id in known))
        self.post_message(self.HistoryLoaded(rows))

    def on_history_screen_history_loaded(self, message: HistoryLoaded) -> None:
        self.rows = message.rows
        seen: dict[str, str] = {}
        for r in self.rows:
            seen.setdefault(r.summary.scenario_id, r.summary.scenario_title)
        select = self.query_one("#history-scenario", Select)
        with self.prevent(Select.Changed):
            select.set_options([(title, sid) for sid, title in seen.items()])
        self._refresh()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._refresh()

    def on_resize(self) -> None:
        if self.rows:
            self.call_after_refresh(self._fill_table)

    def _filtered(self) -> list[HistoryRow]:
        scenario = self.query_one("#history-scenario", Select).value
        result = self.query_one("#history-result", Select).value
        out = []
        for r in self.rows:
            if isinstance(scenario, str) and r.summary.scenario_id != scenario:
                continue
            if isinstance(result, str) and r.result != result:
                continue
            out.append(r)
        return out

    def _refresh(self) -> None:
        self.shown = self._filtered()
        count = self.query_one("#history-count", TLabel)
        if not self.rows:
            count.set_key("history.empty")
        else:
            count.set_key("history.count", n=len(self.shown), total=len(self.rows))
        self._fill_table()
        self._fill_charts()

    def _fill_table(self) -> None:
        table = self.query_one(DataTable)
        row_key = None
        if table.row_count and table.cursor_row is not None:
            row_key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        table.clear(columns=True)
        # the table is the screen less the charts panel on wide terminals (app.tcss);
        # date, score, outcome and result take about 58 columns: the title gets the rest
        width = self.app.size.width
        table_width = width - 2 if width < 100 else width - 48
        title_width = max(14, table_width - 58)
        table.add_column(t("history.date"), key="date")
        table.add_column(t("history.scenario"), key="scenario", width=title_width)
        table.add_column(t("history.score"), key="score")
        table.add_column(t("history.outcome"), key="outcome")
        table.add_column(t("history.result"), key="result")
        for r in self.shown:
            s = r.summary
            when = f"{date(s.started_at.date())} {s.started_at.astimezone().strftime('%H:%M')}"
            name = s.scenario_title
            if s.mode == "assessment":
                mark = "🔒 " if s.sealed else "✎ "
                name = f"{mark}{s.trainee} · {name}"
            title = name if len(name) <= title_width else name[: title_width - 1] + "…"
            score = Text(number(s.score, 0) if s.score is not None else "—", justify="right")
            style = {"passed": "green", "failed": "red", "abandoned": "yellow"}.get(r.result, "dim")
            table.add_row(
                when,
                title,
                score,
                tr("outcome", s.outcome) if s.outcome else "—",
                Text(t(f"history.result_{r.result}"), style=style),
                key=s.id,
            )
        if row_key is not None:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(row_key))

    def _fill_charts(self) -> None:
        scored = [r for r in reversed(self.shown) if r.summary.score is not None and r.own]
        series: list[Series] = []
        if scored:
            series.append(Series("overall", tuple(r.summary.score or 0.0 for r in scored)))
            keys: list[str] = []
            for r in scored:
                keys += [k for k in r.criteria if k not in keys]
            for k in keys:
                values = tuple(r.criteria[k] for r in scored if k in r.criteria)
                series.append(Series(k, values))
        self.query_one(ProgressCharts).show(series)

    def retranslate(self) -> None:
        scenario = self.query_one("#history-scenario", Select)
        scenario.prompt = t("history.any_scenario")
        result = self.query_one("#history-result", Select)
        value = result.value
        with self.prevent(Select.Changed):
            result.prompt = t("history.any_result")
            result.set_options(self._result_options())
            if isinstance(value, str):
                result.value = value
        self._refresh()

    # -- actions ----------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._open(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count and table.cursor_row is not None:
            key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
            if key:
                self._open(key)

    def _open(self, session_id: str) -> None:
        app = self.relance

        def load() -> None:
            from simulator import library
            from simulator.tui.screens.assessor_review import AssessorReviewScreen, Review
            from simulator.tui.screens.debrief import Debrief, DebriefScreen

            with app.guard(t("error.open_session")):
                store = app.get_store()
                if store is None:
                    raise RuntimeError(t("error.no_store"))
                session = store.get(session_id)
                loaded = None
                entry = app.entry(session.scenario_id)
                if entry is not None:
                    try:
                        loaded = library.load(entry.path)
                    except Exception:
                        loaded = None
                screen: Screen[None]
                if session.mode == "assessment":
                    screen = AssessorReviewScreen(Review.from_session(session, loaded))
                else:
                    screen = DebriefScreen(Debrief.from_session(session, loaded))
                app.call_from_thread(app.push_screen, screen)

        self.run_worker(load, thread=True, exit_on_error=False, group="history-open")

    def action_filters(self) -> None:
        self.query_one("#history-scenario", Select).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [
            (
                t(
                    "palette.open_session",
                    title=r.summary.scenario_title,
                    date=date(r.summary.started_at.date()),
                ),
                number(r.summary.score, 0) if r.summary.score is not None else "—",
                lambda i=r.summary.id: self._open(i),
            )
            for r in self.shown
        ]
