"""A session as xAPI 1.0.3 statements, for a Learning Record Store.

A finished call gives ``completed``; a scored call gives ``passed`` or ``failed`` (ADL
verbs). A call still in progress or interrupted gives nothing yet.

* actor: the trainee as an Agent identified by an ``account`` (``homePage`` is the
  training centre's, configurable; ``name`` the trainee's name as recorded) — no e-mail
  address is invented or disclosed;
* object: the scenario as an Activity ``<base>/scenarios/<id>`` of type ``simulation``;
* result: the score in force (after the assessor's overrides, automatic if none) as
  ``scaled`` 0–1, ``raw`` with ``min`` 0 and ``max`` 100, ``success``, ``completion``,
  ``duration`` (``PT…S``) and, as extensions keyed by IRIs, every criterion (automatic and
  final score, weight), the breaches and the outcome;
* context: ``registration`` is a UUID derived from the session id (the same session
  always has the same registration), the assessor as ``instructor``, the trainer as
  ``grouping``, the rubric as ``category``, the scenario hash as ``revision``;
* ``id``: a UUID derived from the session, the verb and the statement's content, so
  sending the same statements twice is idempotent and a changed record gets new ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from simulator.errors import UsageError
from simulator.reports.model import SessionReport

VERSION = "1.0.3"
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
COURSE = "http://adlnet.gov/expapi/activities/course"
DEFAULT_BASE = "https://relance.example"
#: The namespace of every UUID Relance derives (registrations, statement ids).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://relance.example/xapi")

VERBS: dict[str, dict[str, str]] = {
    "completed": {"en": "completed", "fr": "a terminé"},
    "passed": {"en": "passed", "fr": "a réussi"},
    "failed": {"en": "failed", "fr": "a échoué"},
}


@dataclass(frozen=True)
class XapiOptions:
    """Where the IRIs point. ``home_page`` identifies the accounts' system (the training
    centre's LMS); ``base`` prefixes the activity and extension IRIs."""

    home_page: str = DEFAULT_BASE
    base: str = DEFAULT_BASE

    @classmethod
    def from_env(cls, home_page: str | None = None, base: str | None = None) -> XapiOptions:
        """Options given on the command line, else ``RELANCE_XAPI_HOMEPAGE`` and
        ``RELANCE_XAPI_BASE``, else the defaults; each must be an absolute http(s) IRI."""
        chosen_home = home_page or os.environ.get("RELANCE_XAPI_HOMEPAGE") or DEFAULT_BASE
        chosen_base = base or os.environ.get("RELANCE_XAPI_BASE") or DEFAULT_BASE
        for name, value in (("home page", chosen_home), ("base IRI", chosen_base)):
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise UsageError(
                    f"xAPI {name} {value!r} is not an absolute http(s) IRI",
                    hint="e.g. https://lms.example.org",
                )
        return cls(chosen_home, chosen_base.rstrip("/"))


def registration(session_id: str) -> str:
    """The xAPI registration of a session: the same UUID for the same session, always."""
    return str(uuid.uuid5(NAMESPACE, f"session:{session_id}"))


def duration(seconds: float) -> str:
    """ISO 8601 duration in seconds, 0.01 s precision: ``PT372S``, ``PT12.5S``."""
    text = f"{max(0.0, seconds):.2f}".rstrip("0").rstrip(".")
    return f"PT{text}S"


def timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    text = moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def _agent(name: str, options: XapiOptions) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": name,
        "account": {"homePage": options.home_page, "name": name},
    }


def _iri(options: XapiOptions, *parts: str) -> str:
    return "/".join([options.base, *(quote(p, safe="") for p in parts)])


def _ext(options: XapiOptions, name: str) -> str:
    return _iri(options, "xapi", "extensions", name)


def _scenario(report: SessionReport, options: XapiOptions) -> dict[str, Any]:
    s = report.session
    title = s.scenario_title or s.scenario_id  # a language map holds no empty string
    return {
        "objectType": "Activity",
        "id": _iri(options, "scenarios", s.scenario_id),
        "definition": {
            "name": {s.lang: title},
            "description": {
                "fr": f"Simulation d'appel de recouvrement : {title}",
                "en": f"Debt-collection call simulation: {title}",
            },
            "type": SIMULATION,
        },
    }


def _result(report: SessionReport, options: XapiOptions) -> dict[str, Any]:
    s = report.session
    result: dict[str, Any] = {"completion": s.status == "finished"}
    if report.final_overall is not None and report.final_passed is not None:
        raw = round(report.final_overall, 2)
        result["score"] = {"scaled": round(raw / 100, 4), "raw": raw, "min": 0, "max": 100}
        result["success"] = report.final_passed
    if report.duration is not None:
        result["duration"] = duration(report.duration.total_seconds())
    extensions: dict[str, Any] = {}
    for c in report.criteria:
        extensions[_iri(options, "xapi", "criteria", c.id)] = {
            "id": c.id,
            "title": c.title,
            "score": c.final if (c.applicable or c.overridden) else None,
            "automatic": c.automatic if c.applicable else None,
            "overridden": c.overridden,
            "weight": c.weight,
            "applicable": c.applicable,
        }
    if report.card is not None:
        extensions[_ext(options, "automatic-score")] = report.card.overall
        extensions[_ext(options, "pass-mark")] = report.card.pass_mark
        extensions[_ext(options, "breaches")] = [
            {"code": b.code, "blocking": b.blocking, "turn": b.turn} for b in report.breaches
        ]
    if s.outcome:
        extensions[_ext(options, "outcome")] = s.outcome
    if extensions:
        result["extensions"] = extensions
    return result


def _context(report: SessionReport, options: XapiOptions) -> dict[str, Any]:
    s = report.session
    w = report.words
    context: dict[str, Any] = {"registration": registration(s.id)}
    instructor = s.assessor or (s.seal.by if s.seal else None)
    if instructor:
        context["instructor"] = _agent(instructor, options)
    activities: dict[str, Any] = {
        "grouping": [
            {
                "objectType": "Activity",
                "id": _iri(options, "trainer"),
                "definition": {
                    "name": {
                        "fr": "Relance — entraînement aux appels de recouvrement",
                        "en": "Relance — debt-collection call trainer",
                    },
                    "type": COURSE,
                },
            }
        ]
    }
    if s.rubric_id:
        activities["category"] = [
            {
                "objectType": "Activity",
                "id": _iri(options, "rubrics", s.rubric_id, s.rubric_version or "0"),
                "definition": {
                    "name": {
                        "fr": f"Grille {s.rubric_id} v{s.rubric_version}",
                        "en": f"Rubric {s.rubric_id} v{s.rubric_version}",
                    }
                },
            }
        ]
    context["contextActivities"] = activities
    context["platform"] = "Relance"
    context["language"] = s.lang
    if s.scenario_hash:
        context["revision"] = s.scenario_hash
    extensions: dict[str, Any] = {
        _ext(options, "session-id"): s.id,
        _ext(options, "mode"): s.mode,
        _ext(options, "mode-label"): w.mode(s.mode),
        _ext(options, "seal"): {
            "state": report.seal_state,
            "hash": report.verify.seal_hash,
        },
    }
    context["extensions"] = extensions
    return context


def _statement(
    report: SessionReport, verb: str, moment: dt.datetime, options: XapiOptions
) -> dict[str, Any]:
    s = report.session
    body: dict[str, Any] = {
        "actor": _agent(s.trainee, options),
        "verb": {"id": ADL_VERBS + verb, "display": dict(VERBS[verb])},
        "object": _scenario(report, options),
        "result": _result(report, options),
        "context": _context(report, options),
        "timestamp": timestamp(moment),
        "version": VERSION,
    }
    digest = hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    return {"id": str(uuid.uuid5(NAMESPACE, f"statement:{s.id}:{verb}:{digest}")), **body}


def statements(report: SessionReport, options: XapiOptions | None = None) -> list[dict[str, Any]]:
    """The statements a session gives (none while the call is not over)."""
    options = options or XapiOptions()
    s = report.session
    if s.status in ("in_progress", "interrupted"):
        return []
    ended = s.ended_at or s.started_at
    out = []
    if s.status == "finished":
        out.append(_statement(report, "completed", ended, options))
    if report.final_passed is not None:
        verdict = "passed" if report.final_passed else "failed"
        out.append(_statement(report, verdict, s.seal.at if s.seal else ended, options))
    return out


def render_xapi(reports: list[SessionReport], options: XapiOptions | None = None) -> str:
    """Every statement of these sessions as one JSON list."""
    out: list[dict[str, Any]] = []
    for report in reports:
        out.extend(statements(report, options))
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
