"""The rubric, ``relance/rubric@1``: weights, checks, thresholds, breach costs and advice.

A rubric is a YAML file a trainer can copy and edit: which criteria count and how much,
what each check inside a criterion weighs, what a breach costs, and the advice shown in
French and English for each thing a trainee missed. It is read with ``yaml.safe_load``,
validated here (errors name the file and the key), and identified by the sha256 of its
bytes so that a score card says exactly which grid produced it.

The frameworks know which criteria and checks exist; the table below is the contract
between them and rubric files, kept here so that validating a rubric imports no
framework.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import yaml

from scoring.labels import BREACHES

FORMAT = "relance/rubric@1"

ParamValue = float | dict[str, float]


@dataclass(frozen=True, slots=True)
class CriterionInfo:
    """What a framework offers for one criterion: its checks, params and advice keys."""

    framework: str
    checks: tuple[tuple[str, float], ...]
    params: tuple[tuple[str, ParamValue], ...] = ()
    extra_advice: tuple[str, ...] = ()


#: Every criterion the frameworks compute, with default check weights and parameters.
KNOWN_CRITERIA: dict[str, CriterionInfo] = {
    "engage": CriterionInfo(
        "phases",
        (
            ("greeting", 1),
            ("identification", 3),
            ("verify_interlocutor", 3),
            ("purpose", 2),
            ("engage_first", 1),
        ),
    ),
    "discover": CriterionInfo(
        "phases",
        (("open_question", 4), ("reformulation", 3), ("empathy", 2), ("discover_first", 2)),
    ),
    "propose": CriterionInfo(
        "phases",
        (("fact_reminder", 3), ("proposal", 3), ("commitment_request", 3), ("terms_or_impact", 1)),
    ),
    "conclude": CriterionInfo(
        "phases",
        (("summary", 3), ("written_confirmation", 3), ("closing", 2), ("conclude_last", 2)),
    ),
    "desc": CriterionInfo(
        "desc",
        (("D", 2), ("E", 2), ("S", 2), ("C", 2), ("order", 2)),
        (("window", 3.0),),
    ),
    "balance": CriterionInfo(
        "balance",
        (("listening", 3), ("firmness", 3), ("balanced", 2)),
        (("target", 2.0), ("concession_cost", 0.25)),
        (
            "concession_amount",
            "concession_instalments",
            "concession_date",
            "concession_penalties",
            "concession_indemnity",
        ),
    ),
    "promise": CriterionInfo(
        "promise",
        (
            ("amount", 2),
            ("date", 2),
            ("means", 2),
            ("within_margins", 2),
            ("summary", 2),
            ("written_confirmation", 2),
            ("outcome", 3),
        ),
        (
            (
                "outcome_credit",
                {
                    "promise": 1.0,
                    "partial_promise": 0.7,
                    "dispute_logged": 0.6,
                    "callback": 0.4,
                    "escalation": 0.2,
                    "refusal": 0.0,
                    "hang_up": 0.0,
                    "abandoned": 0.0,
                },
            ),
        ),
    ),
    "facts": CriterionInfo(
        "facts",
        (("debt_amount_stated", 2), ("invoice_stated", 1), ("accuracy", 4)),
        (("tolerance", 0.5), ("wrong_invoice_cost", 0.2), ("wrong_date_cost", 0.15)),
        ("wrong_invoice", "wrong_date"),
    ),
    "compliance": CriterionInfo("compliance", (), (), tuple(BREACHES)),
    "wording": CriterionInfo(
        "wording",
        (),
        (("avoid_cost", 0.1), ("max_per_key", 2.0), ("tu_cost", 0.3), ("mixed_cost", 0.15)),
        ("avoid", "register"),
    ),
}

_DEFAULT_THRESHOLDS = {"good": 80.0, "fair": 50.0}
_DEFAULT_METRICS = {"max_talk_share": 0.6, "max_monologue_words": 60.0, "min_open_questions": 2.0}


class RubricError(ValueError):
    """A rubric file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Text:
    """A short text in French and English."""

    fr: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        """The text in ``lang``, else in the other language."""
        first, second = (self.en, self.fr) if lang == "en" else (self.fr, self.en)
        return first or second


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """One criterion of the rubric: its weight (normalised to sum 1), checks and advice."""

    id: str
    framework: str
    weight: float
    raw_weight: float
    title: Text
    checks: tuple[tuple[str, float], ...]
    params: dict[str, ParamValue] = field(default_factory=dict)
    advice: dict[str, Text] = field(default_factory=dict)

    def check_weight(self, key: str) -> float:
        for name, weight in self.checks:
            if name == key:
                return weight
        return 0.0

    def param(self, key: str) -> float:
        value = self.params.get(key, _default_param(self.id, key))
        return float(value) if not isinstance(value, dict) else 0.0

    def param_map(self, key: str) -> dict[str, float]:
        value = self.params.get(key, _default_param(self.id, key))
        return dict(value) if isinstance(value, dict) else {}

    def advice_for(self, key: str, lang: str) -> str:
        text = self.advice.get(key)
        return text.get(lang) if text else ""


@dataclass(frozen=True, slots=True)
class BreachSpec:
    """What a breach costs: points on its criterion and on the overall score."""

    code: str
    blocking: bool
    criterion: str
    cost: float
    repeat_cost: float
    penalty: float
    repeat_penalty: float
    advice: Text

    def cost_at(self, occurrence: int) -> tuple[float, float]:
        """(criterion points, overall points) for the n-th occurrence (0-based)."""
        if occurrence == 0:
            return self.cost, self.penalty
        return self.repeat_cost, self.repeat_penalty


@dataclass(frozen=True, slots=True)
class Rubric:
    """A validated rubric."""

    id: str
    version: str
    title: Text
    pass_mark: float
    criteria: tuple[CriterionSpec, ...]
    breaches: dict[str, BreachSpec]
    thresholds: dict[str, float]
    metrics: dict[str, float]
    hash: str
    source: str = ""

    def criterion(self, criterion_id: str) -> CriterionSpec | None:
        for spec in self.criteria:
            if spec.id == criterion_id:
                return spec
        return None

    def section(self, framework: str) -> dict[str, CriterionSpec]:
        """The criteria of one framework, by id, in rubric order."""
        return {c.id: c for c in self.criteria if c.framework == framework}

    def breach(self, code: str) -> BreachSpec:
        spec = self.breaches.get(code)
        if spec is None:
            return BreachSpec(code, BREACHES.get(code, False), "compliance", 0, 0, 0, 0, Text())
        return spec


def _default_param(criterion_id: str, key: str) -> ParamValue:
    info = KNOWN_CRITERIA.get(criterion_id)
    for name, value in info.params if info else ():
        if name == key:
            return value
    return 0.0


# --------------------------------------------------------------------------- loading


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric file (YAML)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RubricError(f"{p}: cannot read the rubric: {exc.strerror or exc}") from None
    return rubric_from_bytes(raw, source=str(p))


@functools.lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    """The rubric shipped with Relance (``scoring/rubrics/default.yaml``)."""
    raw = resources.files("scoring").joinpath("rubrics/default.yaml").read_bytes()
    return rubric_from_bytes(raw, source="scoring/rubrics/default.yaml")


def rubric_from_bytes(raw: bytes, source: str = "<rubric>") -> Rubric:
    """Validate YAML bytes; the hash is the sha256 of exactly these bytes."""
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise RubricError(f"{source}: the rubric is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RubricError(f"{source}{where}: invalid YAML: {problem}") from None
    return parse_rubric(data, source=source, digest=hashlib.sha256(raw).hexdigest())


def parse_rubric(data: Any, *, source: str = "<rubric>", digest: str | None = None) -> Rubric:
    """Validate an already decoded rubric (a dict)."""
    if digest is None:
        canon = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        digest = hashlib.sha256(canon.encode("utf-8")).hexdigest()
    v = _Validator(source)
    if not isinstance(data, Mapping):
        v.fail("", "a rubric must be a mapping")
    fmt = data.get("format")
    if fmt != FORMAT:
        v.fail("format", f"must be {FORMAT!r}, got {fmt!r}")
    v.known_keys(
        data,
        "",
        {"format", "id", "version", "title", "pass_mark", "thresholds", "metrics"}
        | {"criteria", "breaches", "description"},
    )
    rubric_id = v.string(data.get("id"), "id")
    version = str(v.required(data.get("version"), "version"))
    pass_mark = v.number(data.get("pass_mark", 60), "pass_mark", 0, 100)
    thresholds = v.numbers(data.get("thresholds"), "thresholds", _DEFAULT_THRESHOLDS, 0, 100)
    metrics = v.numbers(data.get("metrics"), "metrics", _DEFAULT_METRICS, 0, math.inf)

    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, Mapping) or not raw_criteria:
        v.fail("criteria", "must be a non-empty mapping of criterion id → settings")
    parsed: list[
        tuple[str, float, Text, tuple[tuple[str, float], ...], dict[str, Any], dict[str, Text]]
    ]
    parsed = []
    for cid, body in raw_criteria.items():
        key = f"criteria.{cid}"
        info = KNOWN_CRITERIA.get(str(cid))
        if info is None:
            v.fail(key, f"unknown criterion; known: {', '.join(KNOWN_CRITERIA)}")
        if not isinstance(body, Mapping):
            v.fail(key, "must be a mapping with at least a weight")
        v.known_keys(body, key, {"weight", "title", "checks", "params", "advice"})
        weight = v.number(body.get("weight"), f"{key}.weight", 0, math.inf)
        title = v.text(body.get("title"), f"{key}.title")
        checks = _checks(v, body.get("checks"), key, info)
        params = _params(v, body.get("params"), key, info)
        allowed_advice = {name for name, _ in info.checks} | set(info.extra_advice)
        advice = _advice(v, body.get("advice"), key, allowed_advice, free=cid == "wording")
        parsed.append((str(cid), weight, title, checks, params, advice))
    total = sum(p[1] for p in parsed)
    if total <= 0:
        v.fail("criteria", "the weights must not all be zero")
    criteria = tuple(
        CriterionSpec(
            id=cid,
            framework=KNOWN_CRITERIA[cid].framework,
            weight=w / total,
            raw_weight=w,
            title=title,
            checks=checks,
            params=params,
            advice=advice,
        )
        for cid, w, title, checks, params, advice in parsed
    )
    breaches = _breaches(v, data.get("breaches"))
    return Rubric(
        id=rubric_id,
        version=version,
        title=v.text(data.get("title"), "title"),
        pass_mark=pass_mark,
        criteria=criteria,
        breaches=breaches,
        thresholds=thresholds,
        metrics=metrics,
        hash=f"sha256:{digest}",
        source=source,
    )


def _checks(
    v: _Validator, raw: Any, key: str, info: CriterionInfo
) -> tuple[tuple[str, float], ...]:
    if raw is None:
        return info.checks
    if not isinstance(raw, Mapping):
        v.fail(f"{key}.checks", "must map check names to weights")
    known = [name for name, _ in info.checks]
    out: list[tuple[str, float]] = []
    for name, weight in raw.items():
        if name not in known:
            v.fail(f"{key}.checks.{name}", f"unknown check; known: {', '.join(known) or 'none'}")
        out.append((str(name), v.number(weight, f"{key}.checks.{name}", 0, math.inf)))
    return tuple(out)


def _params(v: _Validator, raw: Any, key: str, info: CriterionInfo) -> dict[str, ParamValue]:
    defaults = dict(info.params)
    out: dict[str, ParamValue] = dict(defaults)
    if raw is None:
        return out
    if not isinstance(raw, Mapping):
        v.fail(f"{key}.params", "must be a mapping")
    for name, value in raw.items():
        pkey = f"{key}.params.{name}"
        if name not in defaults:
            v.fail(pkey, f"unknown parameter; known: {', '.join(defaults) or 'none'}")
        default = defaults[name]
        if isinstance(default, dict):
            out[str(name)] = v.numbers(value, pkey, default, 0, math.inf)
        else:
            out[str(name)] = v.number(value, pkey, 0, math.inf)
    return out


def _advice(v: _Validator, raw: Any, key: str, allowed: set[str], *, free: bool) -> dict[str, Text]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        v.fail(f"{key}.advice", "must map check names to {fr, en} texts")
    out: dict[str, Text] = {}
    for name, body in raw.items():
        akey = f"{key}.advice.{name}"
        if not free and name not in allowed:
            v.fail(akey, f"no such check or item; known: {', '.join(sorted(allowed))}")
        out[str(name)] = v.text(body, akey, required=True)
    return out


def _breaches(v: _Validator, raw: Any) -> dict[str, BreachSpec]:
    """Breach costs; a cost charged to a criterion the rubric leaves out is not taken."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        v.fail("breaches", "must map breach codes to costs")
    out: dict[str, BreachSpec] = {}
    for code, body in raw.items():
        key = f"breaches.{code}"
        if code not in BREACHES:
            v.fail(key, f"unknown breach code; known: {', '.join(BREACHES)}")
        if not isinstance(body, Mapping):
            v.fail(key, "must be a mapping")
        v.known_keys(
            body,
            key,
            {"blocking", "criterion", "cost", "repeat_cost", "penalty", "repeat_penalty", "advice"},
        )
        blocking = body.get("blocking", BREACHES[code])
        if not isinstance(blocking, bool):
            v.fail(f"{key}.blocking", "must be true or false")
        criterion = str(body.get("criterion", "compliance"))
        if criterion not in KNOWN_CRITERIA:
            v.fail(f"{key}.criterion", f"unknown criterion {criterion!r}")
        cost = v.number(body.get("cost", 0), f"{key}.cost", 0, 100)
        penalty = v.number(body.get("penalty", 0), f"{key}.penalty", 0, 100)
        out[str(code)] = BreachSpec(
            code=str(code),
            blocking=blocking,
            criterion=criterion,
            cost=cost,
            repeat_cost=v.number(body.get("repeat_cost", cost), f"{key}.repeat_cost", 0, 100),
            penalty=penalty,
            repeat_penalty=v.number(
                body.get("repeat_penalty", penalty), f"{key}.repeat_penalty", 0, 100
            ),
            advice=v.text(body.get("advice"), f"{key}.advice"),
        )
    for code, blocking in BREACHES.items():
        if code not in out:
            out[code] = BreachSpec(code, blocking, "compliance", 0, 0, 0, 0, Text())
    return out


class _Validator:
    """Raises :class:`RubricError` naming the file and the dotted key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str) -> NoReturn:
        where = f"{self.source}: {key}" if key else self.source
        raise RubricError(f"{where}: {message}")

    def required(self, value: Any, key: str) -> Any:
        if value is None:
            self.fail(key, "is required")
        return value

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be a non-empty string")
        return str(value)

    def number(self, value: Any, key: str, lo: float, hi: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"must be a number, got {value!r}")
        if not lo <= float(value) <= hi:
            bound = f"between {lo:g} and {hi:g}" if math.isfinite(hi) else f"≥ {lo:g}"
            self.fail(key, f"must be {bound}, got {value!r}")
        return float(value)

    def numbers(
        self, value: Any, key: str, defaults: Mapping[str, float], lo: float, hi: float
    ) -> dict[str, float]:
        out = dict(defaults)
        if value is None:
            return out
        if not isinstance(value, Mapping):
            self.fail(key, "must be a mapping of names to numbers")
        for name, num in value.items():
            out[str(name)] = self.number(num, f"{key}.{name}", lo, hi)
        return out

    def text(self, value: Any, key: str, *, required: bool = False) -> Text:
        if value is None and not required:
            return Text()
        if isinstance(value, str):
            return Text(fr=value, en=value)
        if not isinstance(value, Mapping):
            self.fail(key, "must be a mapping with 'fr' and/or 'en' texts")
        self.known_keys(value, key, {"fr", "en"})
        fr, en = value.get("fr", ""), value.get("en", "")
        if not isinstance(fr, str) or not isinstance(en, str) or not (fr or en):
            self.fail(key, "needs a 'fr' or 'en' text")
        return Text(fr=fr.strip(), en=en.strip())

    def known_keys(self, value: Mapping[str, Any], key: str, allowed: set[str]) -> None:
        for name in value:
            if name not in allowed:
                prefix = f"{key}.{name}" if key else str(name)
                self.fail(prefix, f"unknown key; expected one of {', '.join(sorted(allowed))}")
