"""``relance assess``: an assessed call under locked conditions, reviewed and sealed.

Locked conditions: no hints, the debtor's mood hidden, no retry (one call per
session, seed fixed by the session). After the call the assessor reviews the automatic
card, may override any criterion's score with a written justification (the automatic
score is kept beside it), and signs off: the session is sealed (hash chain) and can no
longer be changed through the application.

Everything can be given as options (for scripted use and tests) or is asked at the
prompt: ``--assessor``, ``--trainee``, ``--scenario``, ``--replies FILE`` (else the
trainee types the replies, an empty line ends the call), ``--override
CRITERION=SCORE:JUSTIFICATION`` (repeatable), ``--sign``/``--no-sign``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from typing import IO, Any

from simulator.errors import UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "assess",
        help="run an assessed, sealed session",
        description="Record an assessed call: locked conditions, review, overrides, sign-off.",
    )
    p.add_argument("--assessor", metavar="NAME")
    p.add_argument("--trainee", metavar="NAME")
    p.add_argument("--scenario", metavar="SCENARIO", help="file or library id")
    p.add_argument("--replies", metavar="FILE", help="trainee replies, one per line")
    p.add_argument("--seed", type=int, help="default: random, recorded with the session")
    p.add_argument(
        "--override",
        action="append",
        default=[],
        metavar="CRITERION=SCORE:JUSTIFICATION",
        help="override a criterion's score (repeatable)",
    )
    sign = p.add_mutually_exclusive_group()
    sign.add_argument("--sign", dest="sign", action="store_true", default=None)
    sign.add_argument("--no-sign", dest="sign", action="store_false")
    p.set_defaults(func=run)


def _ask(prompt: str, read: Callable[[], str], out: IO[str]) -> str:
    out.write(prompt)
    out.flush()
    line = read()
    if not line:
        raise UsageError("input ended", hint="give the missing values as options")
    return line.strip()


def parse_override(spec: str) -> tuple[str, float, str]:
    try:
        criterion, rest = spec.split("=", 1)
        score_text, justification = rest.split(":", 1)
        score = float(score_text)
    except ValueError:
        raise UsageError(
            f"bad --override '{spec}'", hint="write CRITERION=SCORE:JUSTIFICATION, e.g. desc=70:…"
        ) from None
    if not 0 <= score <= 100:
        raise UsageError(f"override score {score} is not within 0–100")
    if not justification.strip():
        raise UsageError("an override needs a written justification")
    return criterion.strip(), score, justification.strip()


def run(args: argparse.Namespace) -> int:
    from scoring.render import render_card
    from simulator import library
    from simulator.sessions import CallSession, default_analyzer
    from simulator.store import open_store

    out = sys.stdout
    read = sys.stdin.readline
    assessor = args.assessor or _ask("Évaluateur / assessor: ", read, out)
    trainee = args.trainee or _ask("Stagiaire / trainee: ", read, out)
    scenario_ref = args.scenario or _ask("Scénario (id) / scenario id: ", read, out)
    if not assessor or not trainee:
        raise UsageError("assessor and trainee names are required")
    overrides = [parse_override(s) for s in args.override]
    loaded = library.load_ref(scenario_ref)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)

    store = open_store()
    try:
        call, opening = CallSession.start(
            loaded,
            analyzer=default_analyzer(),
            seed=seed,
            trainee=trainee,
            mode="assessment",
            assessor=assessor,
            store=store,
        )
        out.write(
            f"\n== Évaluation / assessment — session {call.session_id} — {loaded.scenario.title}\n"
            "   conditions verrouillées : pas d'indice, humeur masquée, pas de nouvel essai\n"
            "   locked conditions: no hints, mood hidden, no retry\n\n"
        )
        out.write(f"DÉBITEUR: {opening.text}\n")
        replies = open(args.replies, encoding="utf-8") if args.replies else sys.stdin  # noqa: SIM115
        try:
            while not call.finished:
                if replies is sys.stdin:
                    out.write("> ")
                    out.flush()
                line = replies.readline()
                if not line or (replies is sys.stdin and not line.strip()):
                    break
                result = call.reply(line.rstrip("\r\n"))
                out.write(f"DÉBITEUR: {result.debtor.text}\n")
        finally:
            if replies is not sys.stdin:
                replies.close()
        call.finish()
        card = call.card
        assert card is not None and call.session_id is not None
        out.write("\n" + render_card(card, loaded.scenario.lang))
        known = {c.id for c in card.criteria}
        for criterion, score, justification in overrides:
            if criterion not in known:
                raise UsageError(
                    f"unknown criterion '{criterion}'", hint="criteria: " + ", ".join(sorted(known))
                )
            store.add_override(call.session_id, criterion, score, justification, assessor)
            auto = card.criterion(criterion)
            out.write(
                f"✎ {criterion}: {auto.score if auto else '?'} → {score:.0f} — « {justification} »\n"
            )
        if args.sign is None and not args.override and sys.stdin.isatty():
            _interactive_overrides(store, call.session_id, known, assessor, read, out)
        sign = args.sign
        if sign is None:
            answer = _ask("Signer et sceller ? / sign and seal? [o/y/N] ", read, out)
            sign = answer.lower() in ("o", "oui", "y", "yes")
        if sign:
            seal = store.seal(call.session_id, assessor)
            out.write(f"🔒 session {call.session_id} scellée / sealed — {seal.hash}\n")
        else:
            out.write(f"session {call.session_id} enregistrée, non scellée / saved, not sealed\n")
    finally:
        store.close()
    return 0


def _interactive_overrides(
    store: Any,
    session_id: str,
    known: set[str],
    assessor: str,
    read: Callable[[], str],
    out: IO[str],
) -> None:
    out.write(
        "\nCorrections (critère=score, ligne vide pour terminer) / overrides "
        "(criterion=score, empty line to finish)\n"
    )
    while True:
        out.write("? ")
        out.flush()
        line = read().strip()
        if not line:
            return
        try:
            criterion, score_text = line.split("=", 1)
            score = float(score_text)
        except ValueError:
            out.write("  format: critère=score, ex. desc=70\n")
            continue
        if criterion.strip() not in known or not 0 <= score <= 100:
            out.write("  critère inconnu ou score hors 0–100 / unknown criterion or score\n")
            continue
        justification = ""
        while not justification:
            out.write("  justification (obligatoire / required): ")
            out.flush()
            justification = read().strip()
        store.add_override(session_id, criterion.strip(), score, justification, assessor)
