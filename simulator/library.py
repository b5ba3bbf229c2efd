"""The scenario library: find a scenario by id or path, list the catalogue.

Scenarios live in ``scenarios/`` (``RELANCE_SCENARIOS`` overrides). The catalogue is a
summary of each file (id, language, level, profile, title, minutes, segment) that the
CLI and the TUI share.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from simulator.dialogue.loader import LoadedScenario, ScenarioLoadError, iter_scenario_files
from simulator.errors import ScenarioError
from simulator.locations import bundled_scenarios_dir


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    id: str
    lang: str
    level: str
    profile: str
    title: str
    estimated_minutes: int
    segment: str
    tags: tuple[str, ...]
    path: str

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data


def load(path: str | Path) -> LoadedScenario:
    """Load one scenario file; problems become a :class:`ScenarioError` with locations."""
    from simulator.dialogue.loader import load_scenario

    try:
        return load_scenario(path)
    except ScenarioLoadError as exc:
        lines = "\n".join(p.format() for p in exc.problems)
        raise ScenarioError(
            f"scénario invalide / invalid scenario:\n{lines}",
            exc.problems,  # type: ignore[arg-type]
            hint=f"run `relance validate {path}` for every problem",
        ) from None


def resolve(ref: str, library: Path | None = None) -> Path:
    """A scenario given as a path, or as an id of the library."""
    candidate = Path(ref)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.exists():
            raise ScenarioError(f"{ref}: no such file", hint="check the path")
        return candidate
    root = library or bundled_scenarios_dir()
    for path in iter_scenario_files([root]) if root.exists() else []:
        if path.stem == ref:
            return path
    for entry in catalogue(root):
        if entry.id == ref:
            return Path(entry.path)
    raise ScenarioError(
        f"no scenario with id '{ref}' in {root}",
        hint="`relance scenarios` lists the library; or give a path to a .yaml file",
    )


def load_ref(ref: str) -> LoadedScenario:
    return load(resolve(ref))


def catalogue(root: Path | None = None) -> list[CatalogueEntry]:
    """Every valid scenario of the library, sorted by language, level, id."""
    from simulator.dialogue.loader import load_scenario

    root = root or bundled_scenarios_dir()
    order = {"débutant": 0, "confirmé": 1, "expert": 2}
    entries = []
    for path in iter_scenario_files([root]) if root.exists() else []:
        try:
            s = load_scenario(path).scenario
        except ScenarioLoadError:
            continue
        entries.append(
            CatalogueEntry(
                id=s.id,
                lang=s.lang,
                level=s.level,
                profile=s.persona.profile,
                title=s.title,
                estimated_minutes=s.estimated_minutes,
                segment=s.account.segment,
                tags=tuple(s.tags),
                path=str(path),
            )
        )
    entries.sort(key=lambda e: (e.lang != "fr", e.lang, order.get(e.level, 9), e.id))
    return entries
