"""The headless core never pulls in the UI or audio stacks (checked in a fresh
interpreter, the way harlequin proves its execution core is TUI-free), and the
published JSON Schema is the one generated from the model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("textual", "sounddevice", "vosk", "pyttsx3")
HEADLESS = [
    "scoring",
    "scoring.labels",
    "scoring.types",
    "simulator.dialogue.model",
    "simulator.dialogue.loader",
    "simulator.dialogue.engine",
    "simulator.dialogue.transcript",
]
OPTIONAL = ["scoring.analyzer", "scoring.score", "simulator.store"]


def imported_after(module: str) -> set[str]:
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("module", HEADLESS + OPTIONAL)
def test_headless_modules_do_not_import_ui_or_audio(module: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not built yet")
    loaded = imported_after(module)
    assert not loaded & set(HEAVY), f"{module} pulled in {sorted(loaded & set(HEAVY))}"


def test_scoring_imports_nothing_from_simulator() -> None:
    for module in ["scoring", "scoring.labels", "scoring.types", *OPTIONAL[:2]]:
        import importlib.util

        if importlib.util.find_spec(module) is None:
            continue
        assert "simulator" not in imported_after(module), module


def test_published_schema_matches_the_model() -> None:
    from simulator.commands.schema import schema_text

    published = ROOT / "scenarios" / "scenario.schema.json"
    assert published.read_text(encoding="utf-8") == schema_text(), (
        "scenarios/scenario.schema.json is stale: run `relance schema > scenarios/scenario.schema.json`"
    )


def test_every_library_scenario_validates_against_the_json_schema() -> None:
    import jsonschema
    import yaml

    schema = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        assert not errors, f"{path.name}: {errors[0].message} at {list(errors[0].path)}"
