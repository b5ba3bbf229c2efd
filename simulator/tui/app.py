"""The terminal trainer: the App, its command palette and the ``make_app`` factory.

The CLI and the tests build the app the same way, through :func:`make_app`, with every
dependency injected (settings, session store, analyzer, clock, scenario library, voice).
Start-up stays close to a bare Textual app: this module imports only Textual and the
light settings/locations modules; the catalogue comes from a cache
(:func:`simulator.library.cached_catalogue`), the store is opened, and the scorer and
the scenario model are imported, in thread workers after the first paint. Screens call
:class:`simulator.sessions.CallSession` and the store and render what they return;
failures the user can act on (:class:`RelanceError`, :class:`OSError`) become
notifications, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from simulator.config import Settings, load_settings, save_settings
from simulator.errors import RelanceError
from simulator.tui import i18n
from simulator.tui.i18n import t

if TYPE_CHECKING:
    from simulator.dialogue.engine import Analyzer
    from simulator.library import CatalogueEntry, SkippedScenario
    from simulator.store.base import SessionStore

Clock = Callable[[], dt.datetime]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class RelanceCommands(Provider):
    """Every action of the current screen (its key bindings), plus the app's own."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.app
        assert isinstance(app, RelanceApp)
        screen = self.screen
        out: list[tuple[str, str, Callable[[], Any]]] = []
        seen: set[str] = set()
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            desc = binding.description
            if not enabled or not desc.startswith("key.") or binding.action in seen:
                continue
            if binding.action == "command_palette":
                continue
            seen.add(binding.action)
            key = app.get_key_display(binding)
            out.append(
                (t(desc), t("palette.key", key=key), partial(app.run_action, binding.action, node))
            )
        extra = getattr(screen, "palette_commands", None)
        if callable(extra):
            out.extend(extra())
        for lang in i18n.LANGUAGES:
            if lang != i18n.language():
                out.append(
                    (
                        t("palette.language", name=t(f"lang.{lang}")),
                        t("palette.language_help"),
                        partial(app.switch_language, lang),
                    )
                )
        out.append((t("palette.home"), t("palette.home_help"), app.action_go_home))
        out.append((t("palette.history"), t("palette.history_help"), app.action_history))
        out.append((t("palette.assess"), t("palette.assess_help"), app.action_assess))
        out.append((t("palette.settings"), t("palette.settings_help"), app.action_settings))
        out.append((t("palette.theme"), t("palette.theme_help"), app.action_toggle_dark))
        out.append((t("palette.quit"), t("palette.quit_help"), app.action_quit))
        return out

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class RelanceApp(App[None]):
    """Relance's trainer: catalogue → briefing → call → debrief, history, settings."""

    CSS_PATH = "app.tcss"
    TITLE = "Relance"
    COMMANDS = {RelanceCommands}  # noqa: RUF012 - Textual's class attribute
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS = [  # noqa: RUF012
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True),
        Binding("ctrl+q", "quit", "key.quit", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        settings: Settings,
        store: SessionStore | None,
        analyzer: Analyzer | None,
        clock: Clock,
        library_dir: Path | None,
        voice: Any = None,
        seed: int | None = None,
        settings_problems: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock
        self.library_dir = library_dir
        self.voice = voice
        self.seed = seed
        self._store = store
        self._store_opened = store is not None
        self._owns_store = store is None
        self._store_lock = threading.Lock()
        self._analyzer = analyzer
        self._analyzer_lock = threading.Lock()
        self._settings_problems = list(settings_problems or ())
        #: The scenario library, once loaded (``None`` while loading).
        self.catalogue: list[CatalogueEntry] | None = None
        self.skipped: list[SkippedScenario] = []
        i18n.set_language(settings.language)

    # -- dependencies (called from workers: they may block) ---------------------------
    def get_store(self) -> SessionStore | None:
        """The session store, opened on first use; ``None`` if it cannot be opened."""
        with self._store_lock:
            if not self._store_opened:
                self._store_opened = True
                from simulator.store import open_store

                try:
                    self._store = open_store()
                except RelanceError as exc:
                    self.report(exc, t("error.store_unavailable"))
        return self._store

    def get_analyzer(self) -> Analyzer:
        with self._analyzer_lock:
            if self._analyzer is None:
                from simulator.sessions import default_analyzer

                self._analyzer = default_analyzer(tuple(self.settings.lexicon_paths))
            return self._analyzer

    def load_catalogue(self) -> list[CatalogueEntry]:
        """The library (from the cache when unchanged); invalid files are reported."""
        from simulator.library import cached_catalogue

        entries, skipped = cached_catalogue(self.library_dir)
        self.catalogue, self.skipped = entries, skipped
        for item in skipped:
            self.report_text(t("error.scenario_skipped", path=Path(item.path).name), item.message)
        return entries

    def quick_catalogue(self) -> list[CatalogueEntry] | None:
        """The catalogue if the cache is fresh (read in a few ms on the UI thread, so the
        first frame shows it), else ``None`` (then :meth:`load_catalogue` in a worker)."""
        from simulator.library import fresh_cached_catalogue

        try:
            found = fresh_cached_catalogue(self.library_dir)
        except Exception:
            return None
        if found is None:
            return None
        self.catalogue, self.skipped = found
        for item in self.skipped:
            self.report_text(t("error.scenario_skipped", path=Path(item.path).name), item.message)
        return self.catalogue

    def entry(self, scenario_id: str) -> CatalogueEntry | None:
        for entry in self.catalogue or ():
            if entry.id == scenario_id:
                return entry
        return None

    @property
    def learner(self) -> str:
        return self.settings.learner or t("app.anonymous")

    def now(self) -> dt.datetime:
        return self.clock()

    # -- errors -----------------------------------------------------------------------
    def report(self, exc: BaseException, title: str | None = None) -> None:
        """Show an error as a notification (from any thread)."""
        if isinstance(exc, RelanceError):
            message = exc.user_message()
        elif isinstance(exc, OSError):
            message = f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
        else:
            message = t("error.unexpected", detail=f"{type(exc).__name__}: {exc}")
            self.log.error(repr(exc))
        self.report_text(title or t("error.title"), message)

    def report_text(self, title: str, message: str) -> None:
        if threading.get_ident() == self._thread_id:
            self.notify(message, title=title, severity="error", timeout=8)
        else:
            self.call_from_thread(self.notify, message, title=title, severity="error", timeout=8)

    @contextlib.contextmanager
    def guard(self, title: str | None = None) -> Iterator[None]:
        """Run a block; a failure becomes a notification instead of a crash."""
        try:
            yield
        except Exception as exc:
            self.report(exc, title)

    # -- lifecycle --------------------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        from simulator.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        for problem in self._settings_problems:
            self.notify(problem, title=t("error.settings"), severity="warning")

    def on_unmount(self) -> None:
        if self._owns_store and self._store is not None:
            with contextlib.suppress(Exception):
                self._store.close()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder=t("palette.placeholder"), id="--command-palette")
            )

    # -- settings ---------------------------------------------------------------------
    def save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except OSError as exc:
            self.report(exc, t("error.settings"))

    def switch_language(self, lang: str) -> None:
        """Switch the whole interface live, and remember the choice."""
        if lang not in i18n.LANGUAGES:
            return
        self.settings.language = lang
        i18n.set_language(lang)
        self.save_settings()
        for screen in self.screen_stack:
            retranslate = getattr(screen, "retranslate", None)
            if callable(retranslate):
                retranslate()
            for node in screen.query("*"):
                hook = getattr(node, "retranslate", None)
                if callable(hook):
                    hook()
                node.refresh(layout=True)
            screen.refresh_bindings()

    def set_theme(self, theme: str) -> None:
        if theme in self.available_themes:
            self.theme = theme
            self.settings.theme = theme
            self.save_settings()

    def action_toggle_dark(self) -> None:
        self.set_theme("textual-light" if self.current_theme.dark else "textual-dark")

    # -- navigation -------------------------------------------------------------------
    def action_go_home(self) -> None:
        from simulator.tui.screens.call import CallScreen

        if any(isinstance(s, CallScreen) for s in self.screen_stack):
            self.notify(t("call.finish_first"), severity="warning")
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_history(self) -> None:
        from simulator.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_assess(self) -> None:
        """The assessor mode: names, scenario, then a call under locked conditions."""
        from simulator.tui.screens.assess_setup import AssessSetupScreen
        from simulator.tui.screens.call import CallScreen

        if any(isinstance(s, CallScreen) for s in self.screen_stack):
            self.notify(t("call.finish_first"), severity="warning")
            return
        if not isinstance(self.screen, AssessSetupScreen):
            self.push_screen(AssessSetupScreen())

    def action_settings(self) -> None:
        from simulator.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())


def make_app(
    *,
    settings: Settings | None = None,
    store: SessionStore | None = None,
    analyzer: Analyzer | None = None,
    clock: Clock | None = None,
    library_dir: Path | None = None,
    voice: Any = None,
    seed: int | None = None,
) -> RelanceApp:
    """The trainer with its dependencies; anything not given is the real thing, lazily.

    ``store`` defaults to ``sessions.db`` in the data directory (opened in a worker),
    ``analyzer`` to :func:`scoring.analyzer.analyze` with the settings' extra lexicons,
    ``clock`` to the wall clock (tests freeze it), ``library_dir`` to the bundled
    scenarios, ``seed`` (the debtor's line variants) to a fresh random one per call.
    """
    problems: list[str] = []
    if settings is None:
        settings, problems = load_settings()
    return RelanceApp(
        settings=settings,
        store=store,
        analyzer=analyzer,
        clock=clock or _now,
        library_dir=library_dir,
        voice=voice,
        seed=seed,
        settings_problems=problems,
    )
