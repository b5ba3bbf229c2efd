"""``relance show ID [--json]``: one recorded session — transcript and score card."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from simulator.commands._store import STATUS, open_store
from simulator.errors import RelanceError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("show", help="print one recorded session")
    p.add_argument("id", metavar="ID", help="session id (see `relance sessions`)")
    p.add_argument("--json", action="store_true", help="the full record as JSON")
    p.add_argument("--lang", choices=["fr", "en"], help="language of the card")
    p.set_defaults(func=run)


def record(session: Any) -> dict[str, Any]:
    from simulator.sessions import session_transcript

    return {
        "id": session.id,
        "trainee": session.trainee,
        "mode": session.mode,
        "assessor": session.assessor,
        "status": session.status,
        "interrupted": session.status == "interrupted",
        "started_at": session.started_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        "rubric": {
            "id": session.rubric_id,
            "version": session.rubric_version,
            "hash": session.rubric_hash,
        },
        "score": session.score,
        "transcript": session_transcript(session),
        "card": session.card,
        "overrides": [
            {
                "criterion": o.criterion,
                "score": o.score,
                "justification": o.justification,
                "assessor": o.assessor,
                "at": o.created_at.isoformat(),
            }
            for o in session.overrides
        ],
        "seal": (
            {"by": session.seal.by, "at": session.seal.at.isoformat(), "hash": session.seal.hash}
            if session.seal
            else None
        ),
    }


def get_session(store: Any, session_id: str) -> Any:
    from simulator.errors import StoreError

    try:
        return store.get(session_id)
    except (KeyError, StoreError):
        raise RelanceError(
            f"no session '{session_id}'", hint="`relance sessions` lists the recorded sessions"
        ) from None


def run(args: argparse.Namespace) -> int:
    with open_store() as store:
        session = get_session(store, args.id)
    if args.json:
        json.dump(record(session), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    out.write(f"Session {session.id} — {session.scenario_title} ({session.scenario_id})\n")
    out.write(
        f"  stagiaire/trainee: {session.trainee}   mode: {session.mode}"
        + (f"   évaluateur/assessor: {session.assessor}" if session.assessor else "")
        + "\n"
    )
    out.write(
        f"  {session.started_at:%Y-%m-%d %H:%M}   état/status: {STATUS.get(session.status, session.status)}\n"
    )
    if session.status == "interrupted":
        out.write(
            "  ⚠ appel interrompu : reprenez-le dans le trainer, ou il sera noté tel quel / "
            "interrupted call: resume it in the trainer, or it is scored as it stands\n"
        )
    if session.seal:
        out.write(
            f"  🔒 scellée par/sealed by {session.seal.by} le/on {session.seal.at:%Y-%m-%d %H:%M} — {session.seal.hash}\n"
        )
    out.write("\n")
    for turn in session.turns:
        who = "DÉBITEUR" if turn.speaker == "debtor" else "STAGIAIRE"
        out.write(f"[{turn.index:>2}] {who}: {turn.text}\n")
        if turn.speaker == "trainee" and turn.acts:
            out.write(
                "      actes/acts: " + ", ".join(sorted({a["label"] for a in turn.acts})) + "\n"
            )
    out.write("\n")
    card = _card(session)
    if card is not None:
        from scoring.render import render_card

        out.write(render_card(card, args.lang or card.lang))
    else:
        out.write("(pas de fiche de score / no score card)\n")
    for o in session.overrides:
        out.write(f"  ✎ {o.criterion}: {o.score:.0f} — {o.assessor}: « {o.justification} »\n")
    return 0


def _card(session: Any) -> Any:
    """The stored card, or — for an interrupted call — the call scored as it stands."""
    if session.card:
        from scoring.card import ScoreCard

        return ScoreCard.from_json(session.card)
    if session.turns:
        from scoring.score import score_transcript
        from simulator.sessions import session_transcript

        return score_transcript(session_transcript(session))
    return None
