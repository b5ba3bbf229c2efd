"""The full record of a session as JSON, ``relance/session-report@1``.

Everything the store holds about the call except the engine's resume snapshot: session
metadata, the transcript (a valid ``relance/transcript@1`` document that ``relance
score`` accepts, each turn with its ``recorded_at``), the card exactly as stored, the
overrides, the seal and the result of recomputing it, and the result in force (automatic
and after overrides). :func:`session_from_json` reads it back into the store's
:class:`~simulator.store.model.Session`, so the record round-trips.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from simulator.reports.model import SessionReport
from simulator.store.model import (
    Override,
    Seal,
    Session,
    Tamper,
    TurnRecord,
    VerifyReport,
)

FORMAT = "relance/session-report@1"


def _ts(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _dt(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def report_json(report: SessionReport) -> dict[str, Any]:
    """The record as a JSON-ready dict."""
    s = report.session
    transcript = s.transcript()
    for entry, turn in zip(transcript["turns"], s.turns, strict=True):
        if turn.recorded_at is not None:
            entry["recorded_at"] = _ts(turn.recorded_at)
    verify = report.verify
    return {
        "format": FORMAT,
        "session": {
            "id": s.id,
            "trainee": s.trainee,
            "assessor": s.assessor,
            "mode": s.mode,
            "status": s.status,
            "lang": s.lang,
            "seed": s.seed,
            "call_date": s.call_date.isoformat(),
            "started_at": _ts(s.started_at),
            "ended_at": _ts(s.ended_at),
            "outcome": s.outcome,
            "score": s.score,
            "scenario": {"id": s.scenario_id, "title": s.scenario_title, "hash": s.scenario_hash},
            "rubric": {"id": s.rubric_id, "version": s.rubric_version, "hash": s.rubric_hash},
        },
        "transcript": transcript,
        "card": s.card,
        "overrides": [
            {
                "number": o.number,
                "criterion": o.criterion,
                "automatic": next(
                    (c.automatic for c in report.criteria if c.id == o.criterion), None
                ),
                "score": o.score,
                "justification": o.justification,
                "assessor": o.assessor,
                "created_at": _ts(o.created_at),
            }
            for o in s.overrides
        ],
        "seal": ({"by": s.seal.by, "at": _ts(s.seal.at), "hash": s.seal.hash} if s.seal else None),
        "verify": {
            "state": report.seal_state,
            "sealed": verify.sealed,
            "ok": verify.ok,
            "seal_hash": verify.seal_hash,
            "computed_hash": verify.computed_hash,
            "problems": [
                {"item": p.item, "change": p.change, "fields": list(p.fields), "text": str(p)}
                for p in verify.problems
            ],
        },
        "result": {
            "overall": report.overall,
            "passed": report.passed,
            "final_overall": report.final_overall,
            "final_passed": report.final_passed,
            "final_scores": {c.id: c.final for c in report.criteria},
            "breaches": [b.code for b in report.breaches],
            "card_error": report.card_error,
        },
    }


def render_json(report: SessionReport) -> str:
    return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"


def render_json_list(reports: list[SessionReport]) -> str:
    """Several records (``relance export --format json``): a JSON list."""
    return json.dumps([report_json(r) for r in reports], ensure_ascii=False, indent=2) + "\n"


def session_from_json(data: Mapping[str, Any]) -> Session:
    """The :class:`Session` a record describes (without the engine snapshot)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a session report: format is {data.get('format')!r}")
    meta = data["session"]
    turns = []
    for entry in data["transcript"]["turns"]:
        turn = TurnRecord.from_transcript(entry)
        turns.append(replace(turn, recorded_at=_dt(entry.get("recorded_at"))))
    seal = data.get("seal")
    started = _dt(meta["started_at"])
    assert started is not None
    return Session(
        id=meta["id"],
        trainee=meta["trainee"],
        mode=meta["mode"],
        assessor=meta["assessor"],
        scenario_id=meta["scenario"]["id"],
        scenario_title=meta["scenario"]["title"],
        scenario_hash=meta["scenario"]["hash"],
        lang=meta["lang"],
        seed=int(meta["seed"]),
        call_date=dt.date.fromisoformat(meta["call_date"]),
        rubric_id=meta["rubric"]["id"],
        rubric_version=meta["rubric"]["version"],
        rubric_hash=meta["rubric"]["hash"],
        started_at=started,
        ended_at=_dt(meta["ended_at"]),
        status=meta["status"],
        outcome=meta["outcome"],
        score=meta["score"],
        snapshot=None,
        card=data["card"],
        turns=tuple(turns),
        overrides=tuple(
            Override(
                session_id=meta["id"],
                number=int(o["number"]),
                criterion=o["criterion"],
                score=float(o["score"]),
                justification=o["justification"],
                assessor=o["assessor"],
                created_at=_dt(o["created_at"]) or started,
            )
            for o in data["overrides"]
        ),
        seal=Seal(seal["by"], _dt(seal["at"]) or started, seal["hash"]) if seal else None,
    )


def verify_from_json(data: Mapping[str, Any]) -> VerifyReport:
    """The seal check a record carries."""
    v = data["verify"]
    return VerifyReport(
        session_id=data["session"]["id"],
        sealed=bool(v["sealed"]),
        seal_hash=v["seal_hash"],
        computed_hash=v["computed_hash"],
        problems=tuple(Tamper(p["item"], p["change"], tuple(p["fields"])) for p in v["problems"]),
    )
