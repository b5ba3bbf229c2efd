"""Ratchet on the act-label development sets (tests/data/acts_dev*.yaml, acts_threats.yaml).

The floors sit just below what the analyzer reaches; raise them when it improves, never
lower them to make a change pass. ``abusive_threat`` must be found every time: it fails
a call. The held-out sets (acts_holdout*.yaml) are not tested here: they are measured,
not fitted.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.acts import DEFAULT_DATA, LangReport, load, report, run  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = {
    "dev": DEFAULT_DATA,
    "dev2": DATA / "acts_dev2.yaml",
    "dev3": DATA / "acts_dev3.yaml",
    "dev4": DATA / "acts_dev4.yaml",
    "dev5": DATA / "acts_dev5.yaml",
    "dev6": DATA / "acts_dev6.yaml",
    "dev7": DATA / "acts_dev7.yaml",
    "dev8": DATA / "acts_dev8.yaml",
    "dev9": DATA / "acts_dev9.yaml",
    "threats": DATA / "acts_threats.yaml",
}
#: Macro-F1 floors per set and language, about 0.01 below the figures at the time of
#: writing (dev fr 0.999 en 0.997; dev2 0.983 / 0.982; dev3 0.954 / 0.965; dev4 0.949 /
#: 0.975; dev5 0.968 / 0.978; dev6 0.984 / 0.962; dev7 0.970 / 0.973; dev8 0.944 / 0.938;
#: dev9 0.949 / 0.971; threats 0.968 / 0.976). All these sets
#: are also training data of the statistical component: the honest figures are the
#: unseen ones in the README.
FLOORS = {
    "dev": {"fr": 0.99, "en": 0.985},
    "dev2": {"fr": 0.97, "en": 0.97},
    "dev3": {"fr": 0.945, "en": 0.955},
    "dev4": {"fr": 0.94, "en": 0.965},
    "dev5": {"fr": 0.96, "en": 0.96},
    "dev6": {"fr": 0.975, "en": 0.95},
    "dev7": {"fr": 0.96, "en": 0.96},
    "dev8": {"fr": 0.93, "en": 0.925},
    "dev9": {"fr": 0.94, "en": 0.96},
    "threats": {"fr": 0.96, "en": 0.96},
}
CASES = [(name, lang) for name in sorted(SETS) for lang in sorted(FLOORS[name])]
#: Floor on abusive_threat precision (recall must be 1.0).
THREAT_PRECISION = 0.95


@lru_cache(maxsize=len(SETS))
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
