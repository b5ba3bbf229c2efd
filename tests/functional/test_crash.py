"""A call is never lost: `relance run` killed with SIGKILL mid-call leaves every turn said
so far in the database; the session shows as interrupted and can be resumed from the
engine's saved state, or scored as it stands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from scoring.analyzer import analyze
from simulator.library import load_ref
from simulator.sessions import CallSession
from simulator.store import open_store

ROOT = Path(__file__).resolve().parents[2]
REPLIES = [
    "Bonjour Madame, Julien Roux, du service clients de Nordis Emballages.",
    "Je suis bien avec Madame Perrin, la gérante ?",
    "Je vous appelle au sujet de notre facture FA-2026-0412 de 1 380 €, échue le 15 octobre.",
]


def test_kill_9_mid_call_loses_nothing_and_the_call_resumes() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator.cli",
            "run",
            "fr-oubli-changement-comptable",
            "--replies",
            "-",
            "--trainee",
            "Julien",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
    )
    assert proc.stdin and proc.stdout
    proc.stdout.readline()  # title
    session_line = proc.stdout.readline()
    assert session_line.startswith("# session ")
    session_id = session_line.split()[-1]
    assert proc.stdout.readline().startswith("DÉBITEUR: ")
    for reply in REPLIES:
        proc.stdin.write(reply + "\n")
        proc.stdin.flush()
        for _ in range(3):  # VOUS, acts, DÉBITEUR: the answer is printed after the commit
            proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    listed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "simulator.cli", "sessions", "--json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout
    )
    assert [(s["id"], s["interrupted"]) for s in listed] == [(session_id, True)]
    shown = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "show", session_id],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert "INTERROMPUE / INTERRUPTED" in shown.stdout
    assert "Traceback" not in shown.stderr

    with open_store() as store:
        session = store.get(session_id)
        said = [t.text for t in session.turns if t.speaker == "trainee"]
        assert said == REPLIES
        assert len(session.turns) == 1 + 2 * len(REPLIES)
        call = CallSession.resume(
            store, session_id, load_ref("fr-oubli-changement-comptable"), analyzer=analyze
        )
        assert call.engine.turn == len(REPLIES)
        result = call.reply("Je comprends votre surprise. Qu'est-ce qui a pu se passer ?")
        assert result.debtor.text
        call.finish()
        resumed = store.get(session_id)
    assert len(resumed.turns) == len(session.turns) + 2
    assert resumed.status in ("finished", "abandoned") and resumed.card is not None
