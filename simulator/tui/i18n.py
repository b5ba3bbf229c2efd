"""Every string of the trainer, in French (default) and English: ``t("home.title")``.

The catalogues are ``i18n/fr.yaml`` and ``i18n/en.yaml`` next to this module, nested
mappings flattened to dotted keys. They are read once, on first use. The current
language is process-wide (one learner, one terminal); the app switches it live and
asks every screen to re-render. A key missing from a catalogue shows as the key itself
(never a crash); a test checks that every key used in the code exists in both.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("fr", "en")
_DIR = Path(__file__).resolve().parent / "i18n"
_current = "fr"


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every key of one language, flattened (``{"home.title": "Scénarios", …}``)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (_DIR / f"{lang}.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=loader) or {}
    return _flatten(data)


def set_language(lang: str) -> None:
    """Switch the language of every later :func:`t` call ("fr" or "en")."""
    global _current
    _current = lang if lang in LANGUAGES else "fr"


def language() -> str:
    return _current


class _Safe(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, /, **kwargs: Any) -> str:
    """The text of ``key`` in the current language, with ``{name}`` fields filled in."""
    text = catalogue(_current).get(key)
    if text is None:
        text = catalogue("fr").get(key, key)
    return text.format_map(_Safe(kwargs)) if kwargs else text


def has(key: str) -> bool:
    return key in catalogue(_current)


def tr(prefix: str, name: str | None) -> str:
    """A translated name from a family of keys (``tr("label", "greeting")``), or the
    name itself when the catalogue does not know it (a scenario's own profile…)."""
    if not name:
        return ""
    key = f"{prefix}.{name}"
    return t(key) if key in catalogue(_current) or key in catalogue("fr") else name


# -- numbers, money and dates in the current language ----------------------------------

_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


def number(value: float, decimals: int = 1) -> str:
    """A score as ``relance score`` prints it: ``72,5`` in French, ``72.5`` in English."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
    return text.replace(".", ",") if _current == "fr" else text


def money(amount: float, currency: str = "EUR") -> str:
    symbol = _SYMBOLS.get(currency, currency)
    if _current == "fr":
        whole = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
        return f"{whole}\u00a0{symbol}"
    return f"{symbol}{amount:,.2f}"


def date(value: Any) -> str:
    """A date (or ISO string) as ``15/10/2026`` in French, ``15 Oct 2026`` in English."""
    import datetime as dt

    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    day: dt.date = value
    return day.strftime("%d/%m/%Y" if _current == "fr" else "%d %b %Y")


def clock_time(seconds: float) -> str:
    """Elapsed time as ``mm:ss`` (``h:mm:ss`` past an hour)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
