"""Relance's scorer: utterance analysis, frameworks (4C, DESC, …), rubric and score card.

Pure Python: imports nothing from ``simulator``, no UI, no audio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scoring.types import Analysis

__all__ = ["analyze"]


def analyze(text: str, lang: str = "fr", context: str | None = None, **kwargs: Any) -> Analysis:
    """Analyse one trainee utterance; see :func:`scoring.analyzer.analyze`.

    The analyzer (lexicons, number words, model weights) is imported on first use, so
    that importing :mod:`scoring` stays cheap for the parts that only read labels.
    """
    from scoring.analyzer import analyze as _analyze

    result: Analysis = _analyze(text, lang, context, **kwargs)
    return result
