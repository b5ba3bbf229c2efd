"""The rubric: the default file loads, is hashed, and bad files say where they are wrong."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.labels import BREACHES
from scoring.rubric import KNOWN_CRITERIA, RubricError, default_rubric, load_rubric, parse_rubric

DEFAULT = Path(str(resources.files("scoring").joinpath("rubrics/default.yaml")))


def default_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: Any, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_default_rubric_loads_with_every_criterion() -> None:
    r = default_rubric()
    assert r.id == "relance-default" and r.pass_mark == 60
    assert [c.id for c in r.criteria] == list(KNOWN_CRITERIA)
    assert sum(c.weight for c in r.criteria) == pytest.approx(1.0)
    assert set(r.breaches) == set(BREACHES)
    assert r.breaches["abusive_threat"].blocking and not r.breaches["aggressive"].blocking
    assert r.hash == "sha256:" + hashlib.sha256(DEFAULT.read_bytes()).hexdigest()


def test_default_rubric_has_advice_in_both_languages_for_every_check() -> None:
    r = default_rubric()
    for c in r.criteria:
        for check, _ in c.checks:
            text = c.advice.get(check)
            assert text is not None and text.fr and text.en, (c.id, check)
    for code, spec in r.breaches.items():
        assert spec.advice.fr and spec.advice.en, code
    desc = r.criterion("desc")
    assert desc is not None and "«" in desc.advice_for("C", "fr")


def test_a_trainer_rubric_file(tmp_path: Path) -> None:
    data = default_data()
    data["id"] = "mon-centre"
    data["pass_mark"] = 70
    data["criteria"] = {"desc": data["criteria"]["desc"], "promise": {"weight": 3}}
    path = write(tmp_path, data)
    r = load_rubric(path)
    assert [c.id for c in r.criteria] == ["desc", "promise"]
    assert r.criterion("promise") is not None
    promise = r.criterion("promise")
    assert promise is not None and promise.weight == pytest.approx(3 / 17)
    assert promise.checks == KNOWN_CRITERIA["promise"].checks  # defaults when omitted
    assert r.hash == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert r.hash != default_rubric().hash
    # breaches may stay charged to a criterion this rubric leaves out
    assert r.breaches["abusive_threat"].criterion == "compliance"


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d.update(format="relance/rubric@9"), "format"),
        (lambda d: d["criteria"]["desc"].update(weight="lots"), "criteria.desc.weight"),
        (lambda d: d["criteria"]["desc"].update(weight=-1), "criteria.desc.weight"),
        (lambda d: d["criteria"].update(charm={"weight": 1}), "criteria.charm"),
        (lambda d: d["criteria"]["desc"]["checks"].update(X=1), "criteria.desc.checks.X"),
        (lambda d: d["criteria"]["desc"]["advice"].update(Z={"fr": "…"}), "criteria.desc.advice.Z"),
        (
            lambda d: d["criteria"]["desc"].update(params={"windows": 2}),
            "criteria.desc.params.windows",
        ),
        (lambda d: d["breaches"].update(rudeness={"cost": 1}), "breaches.rudeness"),
        (lambda d: d["breaches"]["aggressive"].update(cost=150), "breaches.aggressive.cost"),
        (
            lambda d: d["breaches"]["aggressive"].update(criterion="charm"),
            "breaches.aggressive.criterion",
        ),
        (lambda d: d.update(pass_mark=120), "pass_mark"),
        (lambda d: d.pop("id"), "id"),
        (lambda d: d.update(colour="blue"), "colour"),
    ],
)
def test_bad_rubrics_name_the_file_and_the_key(tmp_path: Path, edit: Any, where: str) -> None:
    data = default_data()
    edit(data)
    path = write(tmp_path, data)
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    message = str(err.value)
    assert message.startswith(f"{path}: {where}"), message


def test_bad_yaml_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: relance/rubric@1\ncriteria: [\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"broken\.yaml:\d+: invalid YAML"):
        load_rubric(path)
    with pytest.raises(RubricError, match="cannot read"):
        load_rubric(tmp_path / "absent.yaml")


def test_all_zero_weights_are_refused() -> None:
    data = default_data()
    for body in data["criteria"].values():
        body["weight"] = 0
    with pytest.raises(RubricError, match="criteria: the weights must not all be zero"):
        parse_rubric(data)


def test_parse_rubric_from_a_dict_is_hashed_deterministically() -> None:
    assert parse_rubric(default_data()).hash == parse_rubric(default_data()).hash
