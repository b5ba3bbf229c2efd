"""Ratchet on the act-label development set (tests/data/acts_dev.yaml).

The floors sit just below what the analyzer reaches; raise them when it improves, never
lower them to make a change pass. ``abusive_threat`` must be found every time: it fails
a call.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.acts import DEFAULT_DATA, LangReport, load, report, run  # noqa: E402

#: Macro-F1 floors per language (dev-set figures at the time of writing: fr 0.9995, en 1.0).
FLOORS = {"fr": 0.99, "en": 0.985}
#: Floor on abusive_threat precision (recall must be 1.0).
THREAT_PRECISION = 0.95


@lru_cache(maxsize=1)
def _reports() -> dict[str, LangReport]:
    return report(run(load(DEFAULT_DATA)))


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_macro_f1_floor(lang: str) -> None:
    rep = _reports()[lang]
    assert rep.macro_f1 >= FLOORS[lang], f"{lang} macro-F1 {rep.macro_f1:.4f} < {FLOORS[lang]}"


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_abusive_threat_recall_is_total(lang: str) -> None:
    counts = _reports()[lang].per_label["abusive_threat"]
    assert counts.fn == 0, f"{counts.fn} abusive threats missed in {lang}"
    assert counts.recall == 1.0
    assert counts.precision >= THREAT_PRECISION


def test_every_item_has_known_labels() -> None:
    from scoring.labels import LABEL_SET

    for item in load(DEFAULT_DATA):
        assert item.labels <= LABEL_SET, item.id
