"""Every path Relance reads or writes, in one place (platformdirs).

``RELANCE_HOME`` overrides the data directory: tests and scripts set it so that they
never touch the user's own files. ``RELANCE_MODELS`` overrides where speech models live.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "relance"


def data_dir() -> Path:
    """The data directory (sessions database, recordings, settings)."""
    home = os.environ.get("RELANCE_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def ensure_data_dir() -> Path:
    path = data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_file() -> Path:
    return data_dir() / "settings.yaml"


def database_file() -> Path:
    return data_dir() / "sessions.db"


def recordings_dir() -> Path:
    return data_dir() / "recordings"


def cache_dir() -> Path:
    return data_dir() / "cache"


def models_dir() -> Path:
    """Speech models (vosk); ``RELANCE_MODELS`` overrides."""
    models = os.environ.get("RELANCE_MODELS")
    if models:
        return Path(models).expanduser()
    return data_dir() / "models"


def bundled_scenarios_dir() -> Path:
    """The scenario library shipped with the project (``scenarios/`` at the top level)."""
    env = os.environ.get("RELANCE_SCENARIOS")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parent.parent / "scenarios"
