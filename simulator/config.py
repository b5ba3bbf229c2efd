"""One typed settings model, read from and written to ``settings.yaml`` in the data dir.

Every field has a documented default, so a fresh install works with no file at all. The
file is written atomically (temporary file + rename): a crash never leaves it half
written. Unknown keys are kept out; bad values fall back to the default with a warning
the caller can show, never a crash.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from simulator.locations import settings_file


@dataclass(slots=True)
class Settings:
    """The learner's preferences."""

    #: The learner's name, asked once at first launch; sessions are recorded under it.
    learner: str = ""
    #: Language of the interface: "fr" (default) or "en".
    language: str = "fr"
    #: Speak the debtor's lines aloud (pyttsx3 + espeak-ng).
    voice_enabled: bool = False
    #: Audio output/input device name; empty = system default.
    voice_device: str = ""
    #: Speech rate multiplier for the debtor's voice (0.5–2.0).
    speech_rate: float = 1.0
    #: Textual theme name.
    theme: str = "textual-dark"
    #: Extra lexicon files (YAML) that extend the analyzer's patterns.
    lexicon_paths: list[str] = field(default_factory=list)
    #: A trainer's own rubric file; empty = the default rubric.
    rubric_path: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise ValueError(name)
    if isinstance(default, float):
        number = float(value)
        if name == "speech_rate" and not 0.5 <= number <= 2.0:
            raise ValueError(name)
        return number
    if isinstance(default, list):
        if not isinstance(value, list):
            raise ValueError(name)
        return [str(v) for v in value]
    if name == "language" and value not in ("fr", "en"):
        raise ValueError(name)
    return str(value)


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings, and a list of problems found in the file (bad values are ignored)."""
    path = path or settings_file()
    settings = Settings()
    problems: list[str] = []
    if not path.exists():
        return settings, problems
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        return settings, [f"{path}: unreadable settings ({exc}); defaults used"]
    if not isinstance(data, dict):
        return settings, [f"{path}: settings must be a mapping; defaults used"]
    for f in fields(Settings):
        if f.name not in data:
            continue
        try:
            setattr(settings, f.name, _coerce(f.name, data[f.name], getattr(settings, f.name)))
        except (TypeError, ValueError):
            problems.append(f"{path}: invalid value for '{f.name}'; default kept")
    return settings, problems


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically."""
    path = path or settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(settings.to_json(), allow_unicode=True, sort_keys=False)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
