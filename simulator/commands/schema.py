"""``relance schema``: print the JSON Schema of ``relance/scenario@1``."""

from __future__ import annotations

import argparse
import json
from typing import Any

SCHEMA_ID = "https://relance.example/schemas/scenario-1.json"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema generated from the scenario model (for YAML language servers)."""
    from simulator.dialogue.model import Scenario

    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Relance scenario (relance/scenario@1)",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("schema", help="print the scenario JSON Schema")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print(schema_text(), end="")
    return 0
