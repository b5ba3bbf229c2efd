"""The session commands as a trainer or assessor uses them: sessions, show, assess,
verify (with the database edited behind the application's back), export, delete."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from cli_support import SKILLED, relance


def test_assess_seal_verify_tamper_export_delete(relance_home: Path) -> None:
    run = relance(
        "assess",
        "--assessor",
        "Marie Dupuis",
        "--trainee",
        "Julien Roux",
        "--scenario",
        "fr-oubli-changement-comptable",
        "--replies",
        str(SKILLED),
        "--seed",
        "3",
        "--override",
        "desc=80:A décrit les faits et proposé une solution.",
        "--sign",
    )
    assert run.returncode == 0, run.stderr
    assert "🔒 session" in run.stdout
    practice = relance(
        "run",
        "fr-oubli-changement-comptable",
        "--replies",
        "-",
        "--trainee",
        "Léa",
        stdin="Bonjour Madame.\n",
    )
    assert practice.returncode == 0

    listed = json.loads(relance("sessions", "--json", "--mode", "assessment").stdout)
    assert [(s["trainee"], s["sealed"]) for s in listed] == [("Julien Roux", True)]
    session_id = listed[0]["id"]
    assert [s["trainee"] for s in json.loads(relance("sessions", "--json").stdout)] == [
        "Léa",
        "Julien Roux",
    ]

    shown = json.loads(relance("show", session_id, "--json").stdout)
    assert shown["assessor"] == "Marie Dupuis" and shown["seal"]["hash"]
    override = shown["overrides"][0]
    assert override["criterion"] == "desc" and override["score"] == 80
    auto = next(c for c in shown["card"]["criteria"] if c["id"] == "desc")
    assert auto["score"] != 80  # the automatic score is kept beside the override

    assert relance("verify", session_id).returncode == 0
    db = relance_home / "sessions.db"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE turns SET text = 'Bonjour.' WHERE session_id = ? AND idx = 1", (session_id,)
        )
    tampered = relance("verify", "--all")
    assert tampered.returncode == 1
    assert "TAMPERED" in tampered.stdout and "turn 1" in tampered.stdout

    exported = relance("export", "--format", "csv", "--delimiter", ",")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout.lstrip("\ufeff"))))
    assert len(rows) == 2 and "desc" in rows[0]

    refused = relance("delete", "--trainee", "Julien Roux")  # no tty, no --yes
    assert refused.returncode != 0 and "--yes" in refused.stderr
    erased = relance("delete", "--trainee", "Julien Roux", "--yes")
    assert erased.returncode == 0 and "1 session" in erased.stdout
    assert [s["trainee"] for s in json.loads(relance("sessions", "--json").stdout)] == ["Léa"]


def test_show_unknown_session_is_a_clear_error() -> None:
    result = relance("show", "NOPE1234")
    assert result.returncode == 1
    assert "no session" in result.stderr and "Traceback" not in result.stderr
