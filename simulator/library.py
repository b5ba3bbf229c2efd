"""The scenario library: find a scenario by id or path, list the catalogue.

Scenarios live in ``scenarios/`` (``RELANCE_SCENARIOS`` overrides). The catalogue is a
summary of each file (id, language, level, profile, title, minutes, segment) that the
CLI and the TUI share.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.errors import ScenarioError
from simulator.locations import bundled_scenarios_dir

if TYPE_CHECKING:
    # Imported lazily at run time: the loader pulls pydantic and the whole scenario
    # model, which the TUI's start-up (cached catalogue) must not pay for.
    from simulator.dialogue.loader import LoadedScenario
    from simulator.dialogue.model import Scenario


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

    @classmethod
    def of(cls, s: Scenario, path: Path) -> CatalogueEntry:
        """The catalogue line of a loaded scenario."""
        return cls(
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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data


def load(path: str | Path) -> LoadedScenario:
    """Load one scenario file; problems become a :class:`ScenarioError` with locations."""
    from simulator.dialogue.loader import ScenarioLoadError, load_scenario

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
    from simulator.dialogue.loader import iter_scenario_files

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
    from simulator.dialogue.loader import ScenarioLoadError, iter_scenario_files, load_scenario

    root = root or bundled_scenarios_dir()
    order = {"débutant": 0, "confirmé": 1, "expert": 2}
    entries = []
    for path in iter_scenario_files([root]) if root.exists() else []:
        try:
            s = load_scenario(path).scenario
        except ScenarioLoadError:
            continue
        entries.append(CatalogueEntry.of(s, path))
    entries.sort(key=lambda e: (e.lang != "fr", e.lang, order.get(e.level, 9), e.id))
    return entries


# -- cached catalogue (fast start-up of the TUI) ---------------------------------------

#: Bump when the shape of the cache file or of :class:`CatalogueEntry` changes.
CATALOGUE_CACHE_VERSION = 1
_LEVEL_ORDER = {"débutant": 0, "confirmé": 1, "expert": 2}


@dataclass(frozen=True, slots=True)
class SkippedScenario:
    """A file of the library that is not a valid scenario (left out of the catalogue)."""

    path: str
    message: str


def _scenario_files(root: Path) -> list[Path]:
    # Same walk as loader.iter_scenario_files, without importing the loader (pydantic).
    if not root.is_dir():
        return []
    return sorted(q for q in root.rglob("*") if q.suffix in (".yaml", ".yml"))


def _catalogue_entry(data: dict[str, Any]) -> CatalogueEntry:
    return CatalogueEntry(**{**data, "tags": tuple(data.get("tags", ()))})


def fresh_cached_catalogue(
    root: Path | None = None, cache_file: Path | None = None
) -> tuple[list[CatalogueEntry], list[SkippedScenario]] | None:
    """:func:`cached_catalogue` if no file changed since the cache was written (a few
    milliseconds: the TUI paints it in its first frame), else ``None``."""
    return _cached_catalogue(root, cache_file, parse=False)


def cached_catalogue(
    root: Path | None = None, cache_file: Path | None = None
) -> tuple[list[CatalogueEntry], list[SkippedScenario]]:
    """:func:`catalogue`, answered from a JSON cache keyed by each file's mtime and size.

    Only files that changed since the last call are parsed (which imports the scenario
    model); an unchanged library is listed with a ``stat`` per file and one JSON read, so
    the TUI paints its catalogue without paying for pydantic. Invalid files are returned
    apart, with their first problem, so the host can say which ones were skipped. A
    missing, stale or unreadable cache is rebuilt; a cache that cannot be written is
    ignored (the catalogue is still returned).
    """
    result = _cached_catalogue(root, cache_file, parse=True)
    assert result is not None
    return result


def _cached_catalogue(
    root: Path | None, cache_file: Path | None, *, parse: bool
) -> tuple[list[CatalogueEntry], list[SkippedScenario]] | None:
    from simulator.locations import cache_dir

    root = (root or bundled_scenarios_dir()).resolve()
    cache_file = cache_file or cache_dir() / "catalogue.json"
    cached: dict[str, Any] = {}
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        if data.get("version") == CATALOGUE_CACHE_VERSION and data.get("root") == str(root):
            cached = data.get("files", {})
    except (OSError, ValueError, AttributeError):
        cached = {}
    files: dict[str, Any] = {}
    changed = False
    for path in _scenario_files(root):
        try:
            st = path.stat()
        except OSError:
            continue
        key = [st.st_mtime_ns, st.st_size]
        record = cached.get(str(path))
        if not (isinstance(record, dict) and record.get("key") == key):
            if not parse:
                return None
            record = {"key": key, **_describe(path)}
            changed = True
        files[str(path)] = record
    if not parse and set(files) != set(cached):
        return None
    if changed or set(files) != set(cached):
        _write_cache(
            cache_file, {"version": CATALOGUE_CACHE_VERSION, "root": str(root), "files": files}
        )
    entries: list[CatalogueEntry] = []
    skipped: list[SkippedScenario] = []
    for path_text, record in files.items():
        if "entry" in record:
            try:
                entries.append(_catalogue_entry(record["entry"]))
                continue
            except TypeError:
                record = {"error": "unreadable cache record"}
        skipped.append(SkippedScenario(path_text, str(record.get("error", "invalid scenario"))))
    entries.sort(key=lambda e: (e.lang != "fr", e.lang, _LEVEL_ORDER.get(e.level, 9), e.id))
    return entries, skipped


def _describe(path: Path) -> dict[str, Any]:
    from simulator.dialogue.loader import ScenarioLoadError, load_scenario

    try:
        s = load_scenario(path).scenario
    except ScenarioLoadError as exc:
        return {"error": str(exc)}
    entry = CatalogueEntry.of(s, path)
    return {"entry": entry.to_json()}


def _write_cache(cache_file: Path, data: dict[str, Any]) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".catalogue-", dir=cache_file.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(tmp, cache_file)
    except OSError:
        return
