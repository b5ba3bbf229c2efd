"""The catalogue's filters: text search, language, level, persona profile, B2B/B2C."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Select

from simulator.tui.i18n import t, tr

LEVELS = ("débutant", "confirmé", "expert")
SEGMENTS = ("b2b", "b2c")


@dataclass(frozen=True, slots=True)
class Filters:
    """What the learner asked for; ``None`` means any."""

    text: str = ""
    lang: str | None = None
    level: str | None = None
    profile: str | None = None
    segment: str | None = None


class FilterBar(Horizontal):
    """Posts :class:`FiltersChanged` whenever a filter changes."""

    @dataclass
    class FiltersChanged(Message):
        filters: Filters

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._profiles: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder=t("home.search"), id="filter-text", compact=True)

    def on_mount(self) -> None:
        # The four selects are mounted just after the first frame: the catalogue
        # paints first, and the menus (a few dozen widgets) follow a moment later.
        self.call_after_refresh(self._mount_selects)

    def _mount_selects(self) -> None:
        self.mount_all(self._selects())
        self.call_after_refresh(self.set_profiles, self._profiles)

    def _selects(self) -> list[Select[str]]:
        def select(options: list[tuple[str, str]], prompt: str, id: str) -> Select[str]:
            return Select[str](options, prompt=t(prompt), id=id, compact=True)

        return [
            select(self._lang_options(), "home.any_lang", "filter-lang"),
            select(self._level_options(), "home.any_level", "filter-level"),
            select([], "home.any_profile", "filter-profile"),
            select(self._segment_options(), "home.any_segment", "filter-segment"),
        ]

    # -- options ------------------------------------------------------------------------
    def _lang_options(self) -> list[tuple[str, str]]:
        return [(t("lang.fr"), "fr"), (t("lang.en"), "en")]

    def _level_options(self) -> list[tuple[str, str]]:
        return [(tr("level", level), level) for level in LEVELS]

    def _segment_options(self) -> list[tuple[str, str]]:
        return [(t(f"segment.{s}"), s) for s in SEGMENTS]

    def set_profiles(self, profiles: list[str]) -> None:
        self._profiles = sorted(set(profiles), key=lambda p: tr("profile", p).lower())
        self._reset(
            "#filter-profile", [(tr("profile", p), p) for p in self._profiles], "home.any_profile"
        )

    def _reset(self, selector: str, options: list[tuple[str, str]], prompt: str) -> None:
        found = self.query(selector)
        if not found:
            return  # not mounted yet: built with the current values when it is
        select = found.first(Select)
        value = select.value
        with self.prevent(Select.Changed):
            select.prompt = t(prompt)
            select.set_options(options)
            if value in {v for _, v in options}:
                select.value = value

    def retranslate(self) -> None:
        self.query_one("#filter-text", Input).placeholder = t("home.search")
        self._reset("#filter-lang", self._lang_options(), "home.any_lang")
        self._reset("#filter-level", self._level_options(), "home.any_level")
        self._reset("#filter-segment", self._segment_options(), "home.any_segment")
        self.set_profiles(self._profiles)

    # -- state --------------------------------------------------------------------------
    @property
    def filters(self) -> Filters:
        def value(selector: str) -> str | None:
            found = self.query(selector)
            v = found.first(Select).value if found else None
            return v if isinstance(v, str) else None

        return Filters(
            text=self.query_one("#filter-text", Input).value.strip(),
            lang=value("#filter-lang"),
            level=value("#filter-level"),
            profile=value("#filter-profile"),
            segment=value("#filter-segment"),
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.FiltersChanged(self.filters))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.FiltersChanged(self.filters))
