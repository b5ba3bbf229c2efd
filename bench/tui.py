"""Benchmark of the trainer: cold start and keypress → transcript latency.

1. Cold start, in a real terminal (tmux 120×40): from launching ``relance`` to its
   catalogue painted (``capture-pane`` polled until a scenario title shows), median of 10
   launches, beside a bare Textual app (one Static) launched the same way in the same
   run; the ratio is the figure to watch (target ≤ 1.6). The catalogue cache is warmed
   by one launch first, as it is for a learner after the first day.
2. Keypress → updated transcript, with Pilot (headless, real analyzer and store): the
   trainee's line is on screen synchronously with Enter; the debtor's answer follows
   once the worker has analysed the reply, moved the engine and committed both turns.
   Target < 50 ms.

Run: ``.venv/bin/python bench/tui.py`` (``--launches N`` to change the count).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ holds scripts named like the packages (bench/scoring.py): keep it off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
PY = Path(sys.executable)
RELANCE = PY.with_name("relance")
MARK = "Boulangerie Perrin"
#: A tmux server of our own (other tmux users are left alone), kept alive by an anchor
#: session so that it does not exit and restart between two launches.
TMUX = ["tmux", "-L", f"relance-bench-{os.getpid()}"]

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("BARE TEXTUAL READY")

Bare().run()
"""


def launch_time(command: str, marker: str, timeout: float = 30.0) -> float:
    """Seconds from starting ``command`` in tmux to ``marker`` on its screen."""
    name = f"relance-bench-{os.getpid()}-{time.monotonic_ns()}"
    began = time.perf_counter()
    command = f"env -u COLUMNS -u LINES {command}"  # the pane's size, not the caller's
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command], check=True
    )
    try:
        while True:
            out = subprocess.run(
                [*TMUX, "capture-pane", "-p", "-t", name], capture_output=True, text=True
            ).stdout
            if marker in out:
                return time.perf_counter() - began
            if time.perf_counter() - began > timeout:
                raise RuntimeError(f"{marker!r} never showed:\n{out}")
            time.sleep(0.005)
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", name], capture_output=True)


def cold_start(launches: int) -> None:
    if shutil.which("tmux") is None:
        print("cold start: skipped (tmux is not installed)")
        return
    work = Path(tempfile.mkdtemp(prefix="relance-bench-"))
    subprocess.run([*TMUX, "new-session", "-d", "-s", "anchor", "sleep 3600"], check=True)
    try:
        home = work / "home"
        home.mkdir()
        (home / "settings.yaml").write_text("learner: Bench\nlanguage: fr\n", encoding="utf-8")
        bare = work / "bare.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        env = f"RELANCE_HOME={home} RELANCE_SCENARIOS={ROOT / 'scenarios'}"
        relance_cmd = f"{env} {RELANCE}"
        bare_cmd = f"{PY} {bare}"
        launch_time(relance_cmd, MARK, timeout=60)  # warms the catalogue cache
        launch_time(bare_cmd, "BARE TEXTUAL READY")
        relance_times, bare_times = [], []
        for _ in range(launches):  # interleaved: both see the same machine load
            bare_times.append(launch_time(bare_cmd, "BARE TEXTUAL READY"))
            relance_times.append(launch_time(relance_cmd, MARK))
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    r, b = statistics.median(relance_times), statistics.median(bare_times)
    print(f"cold start to catalogue painted (median of {launches}, tmux 120x40):")
    print(
        f"  relance        {r * 1000:7.0f} ms   (min {min(relance_times) * 1000:.0f}, max {max(relance_times) * 1000:.0f})"
    )
    print(
        f"  bare Textual   {b * 1000:7.0f} ms   (min {min(bare_times) * 1000:.0f}, max {max(bare_times) * 1000:.0f})"
    )
    print(f"  ratio          {r / b:7.2f}      (target <= 1.60)")


async def _latency(replies: int) -> tuple[list[float], list[float]]:
    from textual import events

    from scoring.analyzer import analyze
    from simulator.config import Settings
    from simulator.store import open_store
    from simulator.tui.app import make_app
    from simulator.tui.widgets.reply_box import ReplyBox
    from simulator.tui.widgets.scenario_list import ScenarioList
    from simulator.tui.widgets.transcript import TranscriptView

    work = Path(tempfile.mkdtemp(prefix="relance-bench-"))
    os.environ["RELANCE_HOME"] = str(work)
    store = open_store(work / "sessions.db")
    app = make_app(settings=Settings(learner="Bench"), store=store, analyzer=analyze, seed=0)
    shown: list[float] = []
    answered: list[float] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while app.catalogue is None:
                await pilot.pause(0.02)
            await app.workers.wait_for_complete()
            await pilot.pause()
            entries = app.screen.query_one(ScenarioList)._entries
            app.screen.query_one(ScenarioList).highlighted = [e.id for e in entries].index(
                "fr-oubli-changement-comptable"
            )
            await pilot.press("enter")
            while type(app.screen).__name__ != "BriefingScreen" or app.screen.loaded is None:
                await pilot.pause(0.02)
            await pilot.press("enter")
            while type(app.screen).__name__ != "CallScreen" or app.screen.call is None:
                await pilot.pause(0.02)
            while len(shown) < replies:
                screen = app.screen
                view = screen.query_one(TranscriptView)
                box = screen.query_one(ReplyBox)
                while not screen.ended and len(shown) < replies:
                    box.value = screen.help.hint or "Je vous le confirme par mail, bonne journée."
                    index = len(screen.turns)
                    began = time.perf_counter()
                    # the key as the terminal driver delivers it (Pilot.press would wait
                    # for the app to be idle, hiding the latency we want to see)
                    app.post_message(events.Key("enter", "\r"))
                    while view.turn(index) is None:
                        await asyncio.sleep(0.0005)
                    shown.append(time.perf_counter() - began)
                    while view.turn(index + 1) is None:
                        await asyncio.sleep(0.0005)
                    answered.append(time.perf_counter() - began)
                    await pilot.pause()
                if len(shown) < replies:  # the call ended: a new one (debrief, retry)
                    while screen.card is None:
                        await pilot.pause(0.02)
                    await pilot.press("enter")
                    while type(app.screen).__name__ != "DebriefScreen":
                        await pilot.pause(0.02)
                    await pilot.press("r")
                    while type(app.screen).__name__ != "CallScreen" or app.screen.call is None:
                        await pilot.pause(0.02)
    finally:
        store.close()
        shutil.rmtree(work, ignore_errors=True)
    return shown, answered


def latency(replies: int) -> None:
    shown, answered = asyncio.run(_latency(replies))
    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    print(f"keypress -> transcript (Pilot, real analyzer and store, {len(shown)} replies):")
    print(f"  trainee line shown     median {ms(shown):6.1f} ms   max {max(shown) * 1000:6.1f} ms")
    print(
        f"  debtor answer shown    median {ms(answered):6.1f} ms   max {max(answered) * 1000:6.1f} ms   (target < 50)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=10)
    parser.add_argument("--replies", type=int, default=20)
    parser.add_argument("--only", choices=["start", "latency"], help="run one of the two")
    args = parser.parse_args()
    if args.only != "latency":
        cold_start(args.launches)
    if args.only != "start":
        latency(args.replies)


if __name__ == "__main__":
    main()
