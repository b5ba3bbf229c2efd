"""Ratchet on the act-label development sets (tests/data/acts_dev.yaml, acts_dev2.yaml).

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

DEV2 = ROOT / "tests" / "data" / "acts_dev2.yaml"
SETS = {"dev": DEFAULT_DATA, "dev2": DEV2}
#: Macro-F1 floors per set and language. Figures at the time of writing: dev fr 1.0,
#: en 1.0; dev2 fr 0.978, en 0.979 (dev2 is also in the statistical component's training
#: data; its honest odd-half estimate was fr 0.86, en 0.85).
FLOORS = {
    "dev": {"fr": 0.99, "en": 0.985},
    "dev2": {"fr": 0.97, "en": 0.97},
}
CASES = [(name, lang) for name in sorted(SETS) for lang in sorted(FLOORS[name])]
#: Floor on abusive_threat precision (recall must be 1.0).
THREAT_PRECISION = 0.95


@lru_cache(maxsize=2)
def _reports(name: str) -> dict[str, LangReport]:
    return report(run(load(SETS[name])))


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_macro_f1_floor(name: str, lang: str) -> None:
    rep = _reports(name)[lang]
    floor = FLOORS[name][lang]
    assert rep.macro_f1 >= floor, f"{name} {lang} macro-F1 {rep.macro_f1:.4f} < {floor}"


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_abusive_threat_recall_is_total(name: str, lang: str) -> None:
    counts = _reports(name)[lang].per_label["abusive_threat"]
    assert counts.fn == 0, f"{counts.fn} abusive threats missed in {name} {lang}"
    assert counts.recall == 1.0
    assert counts.precision >= THREAT_PRECISION


def test_every_item_has_known_labels() -> None:
    from scoring.labels import LABEL_SET

    for path in SETS.values():
        for item in load(path):
            assert item.labels <= LABEL_SET, item.id
