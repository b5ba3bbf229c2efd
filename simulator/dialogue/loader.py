"""YAML → validated :class:`Scenario`, with every problem located at ``file:line:col``.

Three layers, each reporting all it finds rather than stopping at the first problem:
YAML safety and syntax (:mod:`yamlsafe`), the schema (pydantic, errors mapped back to
the line of the offending key), then the semantic checks of :mod:`lint` (graph, labels,
conditions).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from simulator.dialogue.conditions import CompiledCondition
from simulator.dialogue.model import FORMAT, Scenario
from simulator.dialogue.yamlsafe import LineMap, Mark, YamlProblem, load_file

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario file, where it is, and what to do."""

    file: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        text = f"{self.file}:{self.line}:{self.col}: {prefix}{self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


@dataclass(frozen=True, slots=True)
class LoadedScenario:
    """A scenario that passed every check, with what the engine needs precompiled."""

    scenario: Scenario
    path: Path | None
    content_hash: str
    conditions: dict[str, CompiledCondition]
    warnings: tuple[Problem, ...] = ()


class ScenarioLoadError(Exception):
    """Raised when a scenario has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0].format() if problems else "invalid scenario"
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


_SCHEMA_HINTS = {
    "missing": "add this key",
    "extra_forbidden": "remove it, or check its spelling and indentation",
    "literal_error": "use one of the values listed",
    "string_pattern_mismatch": "use lower-case letters, digits, '_', '-' or '.'",
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD",
    "date_parsing": "write dates as YYYY-MM-DD",
    "date_type": "write dates as YYYY-MM-DD",
    "int_parsing": "write a whole number",
    "float_parsing": "write a number",
    "list_type": "write a list (lines starting with '- ')",
    "dict_type": "write a mapping (key: value lines)",
    "model_type": "write a mapping (key: value lines)",
    "too_short": "add at least one item",
}


def _schema_problems(exc: ValidationError, lines: LineMap, file: str) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc: tuple[str | int, ...] = tuple(err["loc"])
        kind = err["type"]
        where = ".".join(str(p) for p in loc) or "(document)"
        if kind == "missing":
            mark = lines.find(loc[:-1])
            message = (
                f"missing key '{loc[-1]}' in {'.'.join(str(p) for p in loc[:-1]) or 'the document'}"
            )
        elif kind == "extra_forbidden":
            mark = lines.keys.get(loc, lines.find(loc))
            message = f"unknown key '{loc[-1]}' at {where}"
        else:
            mark = lines.value(loc)
            message = f"{where}: {err['msg']}"
        problems.append(Problem(file, mark.line, mark.col, message, _SCHEMA_HINTS.get(kind, "")))
    return problems


def content_hash(raw: bytes) -> str:
    """``sha256:`` of the file's bytes: identifies exactly which scenario was played."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def parse_scenario(
    data: Any, lines: LineMap, raw: bytes, file: str, path: Path | None = None
) -> LoadedScenario:
    """Validate already-parsed YAML data; raise :class:`ScenarioLoadError`."""
    from simulator.dialogue import lint

    if not isinstance(data, dict):
        raise ScenarioLoadError(
            [
                Problem(
                    file, 1, 1, "a scenario must be a mapping of keys", "start from `relance new`"
                )
            ]
        )
    fmt = data.get("format")
    if fmt != FORMAT:
        mark = lines.value(("format",)) if "format" in data else Mark(1, 1)
        raise ScenarioLoadError(
            [
                Problem(
                    file,
                    mark.line,
                    mark.col,
                    f"format must be '{FORMAT}'" + (f", not {fmt!r}" if fmt else ""),
                    f"add `format: {FORMAT}` as the first line",
                )
            ]
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioLoadError(_schema_problems(exc, lines, file)) from None
    report = lint.check(scenario, lines, file, raw.decode("utf-8", "replace"))
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        raise ScenarioLoadError(sorted(report.problems, key=lambda p: (p.line, p.col)))
    warnings = tuple(p for p in report.problems if p.severity == "warning")
    return LoadedScenario(scenario, path, content_hash(raw), report.conditions, warnings)


def load_scenario(path: str | Path) -> LoadedScenario:
    """Load and check one scenario file; raise :class:`ScenarioLoadError` with locations."""
    path = Path(path)
    file = str(path)
    try:
        data, lines, raw = load_file(path)
    except YamlProblem as exc:
        raise ScenarioLoadError(
            [Problem(file, exc.mark.line, exc.mark.col, exc.message, exc.hint)]
        ) from None
    except OSError as exc:
        raise ScenarioLoadError(
            [Problem(file, 0, 0, f"cannot read the file: {exc.strerror}", "check the path")]
        ) from None
    return parse_scenario(data, lines, raw, file, path)


def iter_scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the ``*.yaml``/``*.yml`` files they contain, sorted."""
    out: list[Path] = []
    for entry in paths:
        p = Path(entry)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml")))
        else:
            out.append(p)
    return out
