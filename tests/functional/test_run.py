"""End to end through the real `relance` command: validate the sample scenario, play it
headless from a reply file and from a pipe, read the transcript, find the session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cli_support import ROOT, SKILLED, relance

SAMPLE = ROOT / "scenarios" / "fr-oubli-changement-comptable.yaml"


def test_validate_the_library_exits_zero() -> None:
    result = relance("validate", str(ROOT / "scenarios"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_skilled_call_reaches_a_promise_and_is_recorded() -> None:
    result = relance("run", str(SAMPLE), "--replies", str(SKILLED), "--trainee", "Julien")
    assert result.returncode == 0, result.stderr
    assert "DÉBITEUR: " in result.stdout
    assert "--- fin de l'appel: promise" in result.stdout
    assert "RÉUSSI" in result.stdout
    listed = json.loads(relance("sessions", "--json").stdout)
    assert [s["trainee"] for s in listed] == ["Julien"]
    assert listed[0]["outcome"] == "promise" and listed[0]["status"] == "finished"


def test_json_transcript_is_complete_and_deterministic() -> None:
    def transcript() -> dict:
        out = relance(
            "run",
            "fr-oubli-changement-comptable",
            "--replies",
            str(SKILLED),
            "--seed",
            "4",
            "--json",
            "--no-record",
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    first, second = transcript(), transcript()
    assert first["format"] == "relance/transcript@1"
    assert first["scenario"]["hash"].startswith("sha256:")
    assert first["outcome"] == "promise" and first["finished"] is True
    speakers = [t["speaker"] for t in first["turns"]]
    assert speakers[0] == "debtor" and set(speakers) == {"debtor", "trainee"}
    trainee = [t for t in first["turns"] if t["speaker"] == "trainee"]
    assert all("engine_ms" in t and "acts" in t for t in trainee)
    assert {"greeting", "identification"} <= {a["label"] for a in trainee[0]["acts"]}
    debtor = [t for t in first["turns"] if t["speaker"] == "debtor"]
    assert all(t["node"] and t["variant"] and "mood" in t for t in debtor)

    def strip(doc: dict) -> dict:
        for turn in doc["turns"]:
            turn.pop("engine_ms", None)
            turn.pop("at_ms", None)
        return doc

    assert strip(first) == strip(second)
    assert not relance("sessions", "--json").stdout.strip("[]\n ")  # --no-record


def test_replies_running_out_is_abandoned() -> None:
    out = relance("run", str(SAMPLE), "--replies", "-", "--json", stdin="Bonjour Madame.\n")
    data = json.loads(out.stdout)
    assert data["outcome"] == "abandoned" and data["finished"] is False


def test_replies_are_processed_as_they_arrive() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator.cli",
            "run",
            str(SAMPLE),
            "--replies",
            "-",
            "--no-record",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdin and proc.stdout
    header = proc.stdout.readline()
    assert header.startswith("# ")
    assert proc.stdout.readline().startswith("DÉBITEUR: ")
    proc.stdin.write("Bonjour Madame, Julien Roux de Nordis Emballages.\n")
    proc.stdin.flush()
    # the debtor answers before the next reply is even written
    assert proc.stdout.readline().startswith("VOUS: ")
    proc.stdout.readline()
    assert proc.stdout.readline().startswith("DÉBITEUR: ")
    proc.stdin.close()
    proc.wait(timeout=60)
    assert proc.returncode == 0


def test_scoring_the_transcript_gives_the_same_score() -> None:
    out = relance("run", str(SAMPLE), "--replies", str(SKILLED), "--json", "--no-record")
    path = Path(os.environ["RELANCE_HOME"]) / "t.json"
    path.write_text(out.stdout, encoding="utf-8")
    card = json.loads(relance("score", str(path), "--json").stdout)
    again = json.loads(relance("score", str(path), "--json").stdout)
    assert card == again
    assert card["passed"] is True and card["overall"] >= 60


def test_a_malformed_scenario_gives_file_line_col(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("level: débutant", "level: facile"),
        encoding="utf-8",
    )
    result = relance("validate", str(bad))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{bad}:")
    assert "level" in result.stdout and "Traceback" not in result.stderr
    run = relance("run", str(bad), "--replies", "-", stdin="")
    assert run.returncode == 1 and "Traceback" not in run.stderr and f"{bad}:" in run.stderr


def test_unreadable_transcript_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text(
        '{"format": "relance/transcript@1",\n "turns": [\n  {"speaker": "x"\n', encoding="utf-8"
    )
    result = relance("score", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and str(bad) in result.stderr
