"""End to end: the real ``relance`` command in a real terminal (tmux), played with keys
from the catalogue to the debrief of fr-oubli-changement-comptable; the screen is read
with ``capture-pane``. Skipped when tmux is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from test_tui_support import ROOT, hint_replies

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

RELANCE = Path(sys.executable).with_name("relance")


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, command: str, *, width: int = 120, height: int = 40) -> None:
        self.name = f"relance-e2e-{os.getpid()}-{time.monotonic_ns()}"
        self.tmux = ["tmux", "-L", self.name]  # a server of our own
        # COLUMNS/LINES (set by some test runners) would override the pane's real size
        command = f"env -u COLUMNS -u LINES {command}"
        subprocess.run(
            [
                *self.tmux,
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-x",
                str(width),
                "-y",
                str(height),
                command,
            ],
            check=True,
        )

    def screen(self) -> str:
        out = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", "e2e"], capture_output=True, text=True
        )
        return out.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", "e2e", *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", "e2e", "-l", text], check=True)

    def wait(self, test: Callable[[str], bool] | str, timeout: float = 20.0) -> str:
        check = (lambda s: test in s) if isinstance(test, str) else test
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {test!r}; screen:\n{screen}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


def test_play_fr_oubli_to_the_debrief_in_tmux(tmp_path: Path) -> None:
    from scoring.analyzer import analyze
    from scoring.score import score_transcript
    from simulator import library
    from simulator.sessions import session_transcript
    from simulator.store import open_store
    from simulator.tui.i18n import number

    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.yaml").write_text(
        yaml.safe_dump({"learner": "Claire Martin", "language": "fr"}), encoding="utf-8"
    )
    scenarios = ROOT / "scenarios"
    loaded = library.load(scenarios / "fr-oubli-changement-comptable.yaml")
    replies = list(hint_replies(loaded, analyze, seed=0))
    term = Terminal(
        f"RELANCE_HOME={home} RELANCE_SCENARIOS={scenarios} {RELANCE} --seed 0; sleep 5"
    )
    try:
        term.wait("Boulangerie Perrin")
        term.keys("/")
        time.sleep(0.5)  # a person does not type faster than the focus moves
        term.type("boulangerie perrin")
        term.wait(lambda s: "scénario(s) sur" in s and "1 scénario(s)" in s)
        term.keys("Enter")
        time.sleep(0.3)
        term.keys("Enter")
        term.wait("Prêt ? Entrée pour appeler")
        term.keys("Enter")
        term.wait("#0")  # the debtor picked up: the reply box is live
        for n, reply in enumerate(replies, 1):
            term.type(reply)
            term.keys("Enter")
            term.wait(f"#{2 * n}", timeout=30)  # the debtor's answer to reply n
        term.wait("Voir le bilan ▶", timeout=60)
        term.keys("Enter")
        screen = term.wait(lambda s: "/ 100" in s and "Manquements" in s, timeout=30)
        assert "Bilan" in screen and ("RÉUSSI" in screen or "ÉCHEC" in screen)
        assert "Transcription annotée" in screen
        term.keys("C-q")
        term.wait(lambda s: "Manquements" not in s)
    finally:
        term.close()
    store = open_store(home / "sessions.db")
    try:
        (summary,) = store.list_sessions(trainee="Claire Martin")
        session = store.get(summary.id)
    finally:
        store.close()
    card = score_transcript(session_transcript(session, loaded))
    assert f"{number(card.overall)} / 100" in screen
    assert session.status == "finished" and len(session.turns) == 2 * len(replies) + 1
