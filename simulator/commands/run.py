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
    from simulator import library
    from simulator.sessions import CallSession, default_analyzer

    loaded = library.load_ref(args.scenario)
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
    store = None if args.no_record else _open_store()
    try:
        call, opening = CallSession.start(
            loaded,
            analyzer=default_analyzer(),
            seed=args.seed,
            call_date=args.call_date,
            trainee=args.trainee or _learner(),
            mode="practice",
            store=store,
        )
        words = _SPEAKERS[loaded.scenario.lang]
        out = sys.stdout
        if not args.json:
            out.write(
                f"# {loaded.scenario.title} — seed {call.engine.seed}, {call.engine.call_date}\n"
            )
            if call.session_id:
                out.write(f"# session {call.session_id}\n")
            _print_turn(out, words, "debtor", opening.text)
        try:
            for line in _lines(handle):
                if call.finished:
                    break
                result = call.reply(line)
                if not args.json:
                    acts = ", ".join(sorted(result.analysis.labels)) or "—"
                    _print_turn(out, words, "trainee", line, f"[{words['acts']}: {acts}]")
                    _print_turn(out, words, "debtor", result.debtor.text)
        finally:
            if handle is not sys.stdin:
                handle.close()
        transcript = call.finish(score=store is not None)
    finally:
        if store is not None:
            store.close()
    if args.json:
        json.dump(transcript, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        note = "" if transcript["finished"] else " (réponses épuisées / replies ran out)"
        out.write(f"--- {words['end']}: {transcript['outcome']}{note}\n")
        if call.card is not None:
            verdict = "RÉUSSI / PASSED" if call.card.passed else "ÉCHEC / FAILED"
            out.write(f"--- score {call.card.overall:.0f}/100 — {verdict}\n")
    return 0


def _open_store() -> Any:
    from simulator.store import open_store

    return open_store()


def _learner() -> str | None:
    from simulator.config import load_settings

    return load_settings()[0].learner or None
