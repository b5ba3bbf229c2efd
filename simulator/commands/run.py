"""``relance run SCENARIO --replies FILE``: play a call headless.

Replies are read one per line and processed as they arrive, so a pipe (or a person
typing into stdin) can drive the call line by line. The call is printed as text, or
with ``--json`` written as a ``relance/transcript@1`` record at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from simulator.errors import UsageError

_SPEAKERS = {
    "fr": {"debtor": "DÉBITEUR", "trainee": "VOUS", "acts": "actes", "end": "fin de l'appel"},
    "en": {"debtor": "DEBTOR", "trainee": "YOU", "acts": "acts", "end": "end of call"},
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "run",
        help="play a scenario headless with replies from a file",
        description="Play SCENARIO (a path or a library id) with the trainee's replies read "
        "from FILE, one per line ('-' for stdin).",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file or id")
    p.add_argument(
        "--replies", required=True, metavar="FILE", help="replies, one per line; - = stdin"
    )
    p.add_argument("--seed", type=int, default=0, help="seed for the debtor's line variants")
    p.add_argument("--json", action="store_true", help="print a relance/transcript@1 record")
    p.add_argument(
        "--call-date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="date of the call"
    )
    p.add_argument("--trainee", metavar="NAME", help="who is calling (recorded with the session)")
    p.add_argument("--no-record", action="store_true", help="do not record the session")
    p.set_defaults(func=run)


def _lines(handle: IO[str]) -> Iterator[str]:
    # readline() rather than iteration: each line is handed over as soon as it arrives.
    while True:
        line = handle.readline()
        if not line:
            return
        yield line.rstrip("\r\n")


def _print_turn(
    out: IO[str], words: dict[str, str], speaker: str, text: str, extra: str = ""
) -> None:
    out.write(f"{words[speaker]}: {text}\n")
    if extra:
        out.write(f"    {extra}\n")
    out.flush()


def run(args: argparse.Namespace) -> int:
    from scoring.analyze import analyze
    from simulator import library
    from simulator.dialogue.engine import Engine
    from simulator.dialogue.transcript import TranscriptBuilder

    loaded = library.load_ref(args.scenario)
    engine = Engine(loaded, analyze, seed=args.seed, call_date=args.call_date)
    builder = TranscriptBuilder(loaded, engine.seed, engine.call_date)
    recorder = _recorder(args, loaded, engine)
    words = _SPEAKERS[loaded.scenario.lang]
    out = sys.stdout
    text_mode = not args.json

    if args.replies == "-":
        handle: IO[str] = sys.stdin
    else:
        path = Path(args.replies)
        try:
            handle = path.open(encoding="utf-8")
        except OSError as exc:
            raise UsageError(
                f"{path}: {exc.strerror}", hint="give a text file, or - for stdin"
            ) from None

    opening = engine.start()
    entry = builder.add_debtor(opening)
    recorder(entry, engine)
    if text_mode:
        out.write(f"# {loaded.scenario.title} — seed {engine.seed}, {engine.call_date}\n")
        _print_turn(out, words, "debtor", opening.text)
    try:
        for line in _lines(handle):
            if engine.outcome is not None:
                break
            result = engine.reply(line)
            recorder(builder.add_trainee(result.analysis, result.engine_ms), engine)
            recorder(builder.add_debtor(result.debtor), engine)
            if text_mode:
                acts = ", ".join(sorted(result.analysis.labels)) or "—"
                _print_turn(out, words, "trainee", line, f"[{words['acts']}: {acts}]")
                _print_turn(out, words, "debtor", result.debtor.text)
    finally:
        if handle is not sys.stdin:
            handle.close()
    finished = engine.outcome is not None
    if not finished:
        engine.abandon()
    transcript = builder.to_json(engine.outcome, finished)
    recorder.finish(transcript)
    if args.json:
        json.dump(transcript, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        note = "" if finished else " (réponses épuisées / replies ran out)"
        out.write(f"--- {words['end']}: {engine.outcome}{note}\n")
        if recorder.session_id:
            out.write(f"--- session {recorder.session_id}\n")
    return 0


class _NoRecorder:
    session_id: str | None = None

    def __call__(self, entry: dict[str, Any], engine: Any) -> None:
        return None

    def finish(self, transcript: dict[str, Any]) -> None:
        return None


def _recorder(args: argparse.Namespace, loaded: Any, engine: Any) -> Any:
    """Records the session as it happens (see simulator.sessions), unless --no-record."""
    if args.no_record:
        return _NoRecorder()
    try:
        from simulator.sessions import SessionRecorder
    except ImportError:  # store not built into this checkout
        return _NoRecorder()
    return SessionRecorder.for_run(loaded, engine, trainee=args.trainee, mode="practice")
