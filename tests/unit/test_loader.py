"""Loading scenario files: good files load, bad ones name file:line:col and a hint."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.dialogue.loader import ScenarioLoadError, load_scenario

MINI = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "mini.yaml"


def variant(tmp_path: Path, old: str, new: str, name: str = "s.yaml") -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioLoadError) as info:
        load_scenario(path)
    return [p.format() for p in info.value.problems if p.severity == "error"]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_good_file_loads_with_hash_and_compiled_conditions() -> None:
    loaded = load_scenario(MINI)
    assert loaded.scenario.id == "mini"
    assert loaded.content_hash.startswith("sha256:") and len(loaded.content_hash) == 71
    assert loaded.scenario.start_id == "accueil"
    assert len(loaded.conditions) == 6


def test_tab_indentation(tmp_path: Path) -> None:
    path = variant(tmp_path, "  name: Paul Test", "\tname: Paul Test")
    [msg] = problems(path)
    assert msg.startswith(f"{path}:{line_of(path, 'Paul Test')}:1: YAML syntax error")
    assert "indent with spaces, not tabs" in msg


def test_duplicate_key(tmp_path: Path) -> None:
    path = variant(tmp_path, "title: Mini\n", "title: Mini\ntitle: Maxi\n")
    [msg] = problems(path)
    first = line_of(path, "title: Mini")
    assert msg.startswith(
        f"{path}:{first + 1}:1: duplicate key 'title' (first defined on line {first})"
    )


def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    path = variant(tmp_path, "  role: gérant\n", "  role: gérant\n  humeur: bonne\n")
    [msg] = problems(path)
    assert msg.startswith(f"{path}:{line_of(path, 'humeur')}:3: unknown key 'humeur'")


def test_missing_key(tmp_path: Path) -> None:
    path = variant(tmp_path, "  payment_terms: 30 jours\n", "")
    [msg] = problems(path)
    assert "missing key 'payment_terms' in account" in msg
    assert msg.startswith(f"{path}:{line_of(path, 'account:')}:")


def test_wrong_type_points_at_the_value(tmp_path: Path) -> None:
    path = variant(tmp_path, "estimated_minutes: 2", "estimated_minutes: deux")
    [msg] = problems(path)
    assert msg.startswith(f"{path}:{line_of(path, 'estimated_minutes')}:20: estimated_minutes")
    assert "whole number" in msg


def test_python_tag_is_refused(tmp_path: Path) -> None:
    path = variant(tmp_path, "title: Mini", 'title: !!python/object/apply:os.system ["echo owned"]')
    [msg] = problems(path)
    assert msg.startswith(f"{path}:{line_of(path, 'title:')}:8: tag")
    assert "not allowed" in msg


def test_unknown_goto_and_unreachable_node(tmp_path: Path) -> None:
    path = variant(tmp_path, "goto: promesse", "goto: promesse_x")
    msgs = problems(path)
    assert any("goto 'promesse_x': no such node" in m for m in msgs)
    assert any("node 'promesse' cannot be reached" in m for m in msgs)


def test_dead_end_and_missing_fallback(tmp_path: Path) -> None:
    path = variant(tmp_path, "    outcome: promise\n", "")
    msgs = problems(path)
    assert any("dead end: node 'promesse'" in m for m in msgs)


def test_cycle_without_exit(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace(
        "      - when: \"has('proposal') and offer_ok\"\n        goto: promesse\n", ""
    )
    text = text.replace('  - when: "patience <= 0"\n    goto: rappel\n', "")
    text = text.replace("  - when: \"has('abusive_threat')\"\n    goto: escalade\n", "")
    path = tmp_path / "cycle.yaml"
    path.write_text(text.replace("interrupts:\n", "interrupts: []\n"), encoding="utf-8")
    msgs = problems(path)
    assert any("node 'ecoute' is in a cycle with no way to end the call" in m for m in msgs)


def test_unknown_label_in_condition_and_expects(tmp_path: Path) -> None:
    path = variant(tmp_path, "has('greeting')", "has('greetings')")
    [msg] = problems(path)
    line = line_of(path, "greetings")
    assert msg.startswith(f"{path}:{line}:")
    assert "unknown act label 'greetings'" in msg


def test_hostile_condition_reports_file_line_col(tmp_path: Path) -> None:
    path = variant(tmp_path, "\"has('greeting')\"", "\"__import__('os').system('id')\"")
    [msg] = problems(path)
    line = line_of(path, "__import__")
    col = path.read_text(encoding="utf-8").splitlines()[line - 1].index("__import__") + 1
    assert msg.startswith(f"{path}:{line}:{col}:")


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    began = time.perf_counter()
    [msg] = problems(path)
    assert "alias bomb" in msg
    assert time.perf_counter() - began < 5


def test_validate_cli_exit_codes_and_lines(tmp_path: Path) -> None:
    good = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "validate", str(MINI)],
        capture_output=True,
        text=True,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    bad = variant(tmp_path, "estimated_minutes: 2", "estimated_minutes: deux")
    run = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "validate", str(MINI), str(bad)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert run.stdout.startswith(f"{bad}:{line_of(bad, 'estimated_minutes')}:20: ")
    assert "Traceback" not in run.stdout + run.stderr


def test_validate_cli_on_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "validate", str(tmp_path / "nope.yaml")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "cannot read the file" in run.stdout
    assert "Traceback" not in run.stderr
