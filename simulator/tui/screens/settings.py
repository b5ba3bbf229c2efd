"""Settings: name, language (switches the whole interface live), theme, voice; where
the data lives. Every change is saved at once (``settings.yaml``, written atomically)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Select, Static, Switch

from simulator import locations
from simulator.tui.i18n import t
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel
from simulator.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from simulator.tui.app import RelanceApp

RATES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)


class SettingsScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "key.back")]  # noqa: RUF012

    @property
    def relance(self) -> RelanceApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        s = self.relance.settings
        yield TitleBar("settings.title", right=s.learner)
        with VerticalScroll(id="settings-form"):
            yield TLabel("settings.you", classes="section-title")
            with Horizontal(classes="setting"):
                yield TLabel("settings.name", classes="setting-label")
                yield Input(
                    s.learner, placeholder=t("name.placeholder"), id="set-name", compact=True
                )
            with Horizontal(classes="setting"):
                yield TLabel("settings.language", classes="setting-label")
                yield Select[str](
                    [(t("lang.fr"), "fr"), (t("lang.en"), "en")],
                    value=s.language,
                    allow_blank=False,
                    id="set-language",
                    compact=True,
                )
            with Horizontal(classes="setting"):
                yield TLabel("settings.theme", classes="setting-label")
                themes = sorted(self.app.available_themes)
                yield Select[str](
                    [(name, name) for name in themes],
                    value=self.app.theme if self.app.theme in themes else themes[0],
                    allow_blank=False,
                    id="set-theme",
                    compact=True,
                )
            yield TLabel("settings.voice_section", classes="section-title")
            with Horizontal(classes="setting"):
                yield TLabel("settings.voice", classes="setting-label")
                yield Switch(s.voice_enabled, id="set-voice")
            with Horizontal(classes="setting"):
                yield TLabel("settings.device", classes="setting-label")
                yield Input(
                    s.voice_device,
                    placeholder=t("settings.device_default"),
                    id="set-device",
                    compact=True,
                )
            with Horizontal(classes="setting"):
                yield TLabel("settings.rate", classes="setting-label")
                rate = min(RATES, key=lambda r: abs(r - s.speech_rate))
                yield Select[float](
                    [(f"× {r:g}", r) for r in RATES],
                    value=rate,
                    allow_blank=False,
                    id="set-rate",
                    compact=True,
                )
            yield TLabel("settings.voice_note", classes="setting-note")
            yield TLabel("settings.data_section", classes="section-title")
            with Horizontal(classes="setting"):
                yield TLabel("settings.data", classes="setting-label")
                yield Static(
                    str(locations.data_dir()), id="set-data", classes="setting-value", markup=False
                )
            with Horizontal(classes="setting"):
                yield TLabel("settings.scenarios", classes="setting-label")
                library = self.relance.library_dir or locations.bundled_scenarios_dir()
                yield Static(str(library), id="set-library", classes="setting-value", markup=False)
        yield RelanceFooter()

    def on_mount(self) -> None:
        self.query_one("#set-name", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        app = self.relance
        value = event.value
        if event.select.id == "set-language" and isinstance(value, str):
            if value != app.settings.language:
                app.switch_language(value)
        elif event.select.id == "set-theme" and isinstance(value, str):
            app.set_theme(value)
        elif event.select.id == "set-rate" and isinstance(value, float):
            app.settings.speech_rate = value
            app.save_settings()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        self.relance.settings.voice_enabled = event.value
        self.relance.save_settings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._save_inputs()
        self.notify(t("settings.saved"))

    def on_input_blurred(self, event: Input.Blurred) -> None:
        self._save_inputs()

    def _save_inputs(self) -> None:
        s = self.relance.settings
        name = " ".join(self.query_one("#set-name", Input).value.split())
        device = self.query_one("#set-device", Input).value.strip()
        if (name and name != s.learner) or device != s.voice_device:
            if name:
                s.learner = name
            s.voice_device = device
            self.relance.save_settings()
            self.query_one(TitleBar).right = s.learner

    def retranslate(self) -> None:
        self.query_one("#set-name", Input).placeholder = t("name.placeholder")
        self.query_one("#set-device", Input).placeholder = t("settings.device_default")
        language = self.query_one("#set-language", Select)
        with self.prevent(Select.Changed):
            language.set_options([(t("lang.fr"), "fr"), (t("lang.en"), "en")])
            language.value = self.relance.settings.language

    def action_back(self) -> None:
        self._save_inputs()
        self.app.pop_screen()
