"""``relance score TRANSCRIPT.json``: the score card of a recorded or typed call."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from simulator.errors import RelanceError, TranscriptError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "score",
        help="score a transcript",
        description="Score a relance/transcript@1 file (speaker + text per turn is enough).",
    )
    p.add_argument("transcript", metavar="TRANSCRIPT.json", help="the transcript ('-' = stdin)")
    p.add_argument("--scenario", metavar="FILE", help="scenario: account card, brief, node tags")
    p.add_argument("--rubric", metavar="FILE", help="a rubric of your own (relance/rubric@1)")
    p.add_argument("--json", action="store_true", help="print the full card as JSON")
    p.add_argument("--lang", choices=["fr", "en"], help="language of the text card")
    p.set_defaults(func=run)


def scenario_context(ref: str) -> dict[str, Any]:
    """What the scorer can use from a scenario file."""
    from simulator import library

    s = library.load_ref(ref).scenario
    return {
        "account": s.account.model_dump(mode="json"),
        "brief": s.brief.model_dump(mode="json"),
        "segment": s.account.segment,
        "node_tags": {n.id: list(n.tags) for n in s.nodes if n.tags},
    }


def run(args: argparse.Namespace) -> int:
    from scoring.render import render_card
    from scoring.rubric import RubricError, default_rubric, load_rubric
    from scoring.score import score_transcript
    from scoring.transcript import TranscriptParseError, load_transcript, transcript_from_text

    try:
        if args.transcript == "-":
            transcript = transcript_from_text(sys.stdin.read(), "<stdin>")
        else:
            transcript = load_transcript(args.transcript)
    except TranscriptParseError as exc:
        raise TranscriptError(
            f"transcript illisible / unreadable transcript: {exc}",
            hint="see docs/transcript.md (format relance/transcript@1)",
        ) from None
    except OSError as exc:
        raise TranscriptError(f"{args.transcript}: {exc.strerror}", hint="check the path") from None
    try:
        rubric = load_rubric(args.rubric) if args.rubric else default_rubric()
    except (RubricError, OSError) as exc:
        raise RelanceError(f"rubric: {exc}", hint="see scoring/rubrics/default.yaml") from None
    scenario = scenario_context(args.scenario) if args.scenario else None
    card = score_transcript(transcript, rubric=rubric, scenario=scenario)
    if args.json:
        json.dump(card.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_card(card, args.lang or card.lang))
    return 0
