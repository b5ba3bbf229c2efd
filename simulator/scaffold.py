"""``relance new``: a valid starting scenario for a persona profile, in French or English.

The scaffold is built as data and dumped with ``yaml.safe_dump`` (so it is valid by
construction), then loaded back through the validator before it is written. Profile
specifics (role, mood, resistance line, hidden reason) come from
``simulator/templates/profiles.yaml``; the call's skeleton follows the 4C structure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from simulator.errors import UsageError

TEMPLATES = Path(__file__).resolve().parent / "templates"

_TEXT = {
    "fr": {
        "title": "Nouveau scénario",
        "objective": "Obtenir une promesse de paiement précise (montant, date, moyen).",
        "terms": "30 jours date de facture ; pénalités de retard au taux de 3 fois le taux d'intérêt légal ; indemnité forfaitaire de 40 € pour frais de recouvrement.",
        "terms_b2c": "Paiement à réception de la facture.",
        "reminder": "Relance amiable n°1 par e-mail, facture jointe.",
        "hello": ["Allô, oui ?", "Oui, bonjour ?", "Allô… je vous écoute."],
        "who": [
            "Oui, c'est moi. C'est à quel sujet ?",
            "C'est bien moi. Je vous écoute.",
            "Oui, oui, c'est moi. Qu'est-ce qu'il y a ?",
        ],
        "reveal": [
            "Bon… je vais être honnête avec vous.",
            "Ce qui se passe, en fait…",
            "Pour tout vous dire…",
        ],
        "what_now": [
            "Bon. Qu'est-ce que vous proposez ?",
            "Et on fait comment, alors ?",
            "D'accord… Et maintenant ?",
        ],
        "deal": ["D'accord, ça me va.", "Bon, on fait comme ça.", "OK, c'est noté de mon côté."],
        "recap": ["Oui, c'est bien ça.", "C'est ça, oui.", "Exactement."],
        "bye_promise": ["Merci, au revoir.", "Bonne journée, au revoir.", "Au revoir, merci."],
        "bye_partial": [
            "Bon, on verra. Au revoir.",
            "Je fais ce que je peux. Au revoir.",
            "On en reste là pour l'instant.",
        ],
        "bye_callback": [
            "Rappelez-moi plus tard.",
            "Je n'ai pas le temps, là. Rappelez demain.",
            "Rappelez la semaine prochaine.",
        ],
        "bye_hangup": [
            "Je raccroche.",
            "Non mais ça va pas ? Au revoir.",
            "On ne me parle pas comme ça.",
        ],
        "bye_escalation": [
            "Vous me menacez ? J'appelle votre direction.",
            "C'est des menaces, ça. Au revoir.",
            "Je vais me plaindre.",
        ],
        "reprompt": ["Pardon ?", "Je ne comprends pas.", "Et donc ?"],
        "hint_hello": "Bonjour, [prénom nom] de [société]. Je suis bien avec la personne qui gère les règlements ?",
        "hint_resist": "La facture de [montant] est échue depuis le [date] ; ce retard pèse sur notre trésorerie ; je vous propose [solution] ; sans règlement, [conséquence factuelle].",
    },
    "en": {
        "title": "New scenario",
        "objective": "Get a precise promise of payment (amount, date, means).",
        "terms": "30 days from invoice; statutory interest and fixed-sum compensation under the Late Payment of Commercial Debts (Interest) Act 1998.",
        "terms_b2c": "Payment due on receipt of the bill.",
        "reminder": "First reminder by email, invoice attached.",
        "hello": ["Hello?", "Yes, hello?", "Hello… who's calling?"],
        "who": [
            "Yes, speaking. What's it about?",
            "That's me. Go on.",
            "Yes, it's me. What is it?",
        ],
        "reveal": [
            "Look… I'll be honest with you.",
            "What's actually going on is…",
            "To tell you the truth…",
        ],
        "what_now": [
            "Right. What do you suggest?",
            "So how do we sort this out?",
            "Okay… what now?",
        ],
        "deal": ["Okay, that works.", "Fine, let's do that.", "Right, I've noted it."],
        "recap": ["Yes, that's right.", "That's it, yes.", "Exactly."],
        "bye_promise": ["Thanks, bye.", "Have a good day, bye.", "Bye, thanks."],
        "bye_partial": [
            "We'll see. Bye.",
            "I'll do what I can. Bye.",
            "Let's leave it there for now.",
        ],
        "bye_callback": [
            "Call me back later.",
            "I haven't got time now. Call tomorrow.",
            "Try next week.",
        ],
        "bye_hangup": [
            "I'm hanging up.",
            "Don't talk to me like that. Bye.",
            "I'm not having this.",
        ],
        "bye_escalation": [
            "Are you threatening me? I'll call your manager.",
            "That's a threat. Goodbye.",
            "I'm making a complaint.",
        ],
        "reprompt": ["Sorry?", "I don't follow.", "And?"],
        "hint_hello": "Good morning, [name] from [company]. Am I speaking with the person in charge of payments?",
        "hint_resist": "The [amount] invoice was due on [date]; the delay is hurting our cash flow; I suggest [solution]; without payment, [factual next step].",
    },
}


def _lines(texts: Sequence[str]) -> list[dict[str, str]]:
    return [{"id": chr(ord("a") + i), "text": t} for i, t in enumerate(texts)]


def _fallback(t: dict[str, Any], goto: str, after: int = 3) -> dict[str, Any]:
    return {
        "say": [{"id": f"r{i + 1}", "text": x} for i, x in enumerate(t["reprompt"])],
        "after": after,
        "goto": goto,
    }


def build(
    profile: str, lang: str, scenario_id: str, today: dt.date | None = None
) -> dict[str, Any]:
    """The scaffold as data."""
    profiles = yaml.safe_load((TEMPLATES / "profiles.yaml").read_text(encoding="utf-8"))
    if profile not in profiles:
        raise UsageError(
            f"unknown profile '{profile}'", hint="profiles: " + ", ".join(sorted(profiles))
        )
    if lang not in _TEXT:
        raise UsageError(f"unknown language '{lang}'", hint="use fr or en")
    p, t = profiles[profile], _TEXT[lang]
    local = p[lang]
    today = today or dt.date.today()
    b2c = profile == "vulnerable"
    currency = "EUR" if lang == "fr" else "GBP"
    fb = _fallback(t, "fin_rappel")
    return {
        "format": "relance/scenario@1",
        "id": scenario_id,
        "title": f"{t['title']} — {profile}",
        "lang": lang,
        "level": "débutant",
        "tags": ["b2c" if b2c else "b2b", profile],
        "estimated_minutes": 5,
        "call_date": today.isoformat(),
        "persona": {
            "name": "Camille Durand" if lang == "fr" else "Alex Morgan",
            "role": local["role"],
            "profile": profile,
            "description": local["description"],
            "voice": {"gender": "neutral", "rate": 1.0, "pitch": 1.0},
            "mood": p["mood"],
            "reactions": {
                "empathy": {"anger": -1, "trust": 1},
                "reformulation": {"trust": 1},
                "open_question": {"trust": 1},
                "aggressive": {"anger": 3, "trust": -2, "patience": -1},
                "abusive_threat": {"anger": 5, "trust": -4, "patience": -3},
            },
        },
        "account": {
            "creditor": {"name": "Votre société SAS" if lang == "fr" else "Your Company Ltd"},
            "debtor": {
                "name": "Client" if b2c else ("Client SARL" if lang == "fr" else "Customer Ltd"),
                "kind": "person" if b2c else "company",
            },
            "contact": {"name": "Camille Durand" if lang == "fr" else "Alex Morgan"},
            "segment": "b2c" if b2c else "b2b",
            "invoices": [
                {
                    "number": "F-0001",
                    "amount": 1200.0,
                    "currency": currency,
                    "issued": (today - dt.timedelta(days=75)).isoformat(),
                    "due": (today - dt.timedelta(days=45)).isoformat(),
                    "status": "overdue",
                }
            ],
            "payment_terms": t["terms_b2c"] if b2c else t["terms"],
            "reminders": [
                {
                    "date": (today - dt.timedelta(days=30)).isoformat(),
                    "channel": "email",
                    "content": t["reminder"],
                }
            ],
            "notes": [],
        },
        "brief": {
            "objective": t["objective"],
            "margins": {
                "min_first_payment": 400,
                "max_instalments": 3,
                "latest_date": (today + dt.timedelta(days=20)).isoformat(),
                "waive_penalties": False,
                "waive_indemnity": False,
            },
            "allowed_offers": [],
        },
        "hidden": {"reason": p["hidden"], "detail": local["detail"]},
        "interrupts": [
            {"when": "has('abusive_threat')", "goto": "fin_escalade"},
            {"when": "anger >= 9", "goto": "fin_raccroche"},
            {"when": "patience <= 0", "goto": "fin_rappel"},
        ],
        "nodes": [
            {
                "id": "decroche",
                "say": _lines(t["hello"]),
                "expects": ["greeting", "identification", "verify_interlocutor"],
                "hint": t["hint_hello"],
                "transitions": [
                    {"when": "has('verify_interlocutor')", "goto": "confirme"},
                    {"when": "has('aggressive')", "goto": "resistance"},
                ],
                "fallback": fb,
            },
            {
                "id": "confirme",
                "say": _lines(t["who"]),
                "expects": ["purpose", "fact_reminder"],
                "transitions": [
                    {"when": "has('purpose', 'fact_reminder')", "goto": "resistance"},
                ],
                "fallback": fb,
            },
            {
                "id": "resistance",
                "tags": ["resistance"],
                "say": _lines([local["resist"], local["resist"] + " …", "… " + local["resist"]]),
                "expects": ["fact_reminder", "impact", "proposal", "consequence"],
                "hint": t["hint_resist"],
                "transitions": [
                    {"when": "has('open_question', 'empathy', 'reformulation')", "goto": "revele"},
                    {"when": "has('proposal') and offer_ok", "goto": "accord"},
                    {"when": "has('fact_reminder', 'impact', 'consequence')", "goto": "que_faire"},
                ],
                "fallback": fb,
            },
            {
                "id": "revele",
                "effects": {"reveal": True},
                "say": _lines([f"{x} {local['detail']}" for x in t["reveal"]]),
                "expects": ["empathy", "reformulation", "proposal"],
                "transitions": [
                    {"when": "has('proposal') and offer_ok", "goto": "accord"},
                    {"when": "has('proposal')", "goto": "accord_partiel"},
                    {
                        "when": "has('empathy', 'reformulation', 'commitment_request')",
                        "goto": "que_faire",
                    },
                ],
                "fallback": _fallback(t, "que_faire", 2),
            },
            {
                "id": "que_faire",
                "say": _lines(t["what_now"]),
                "expects": ["proposal", "commitment_request"],
                "transitions": [
                    {
                        "when": "has('proposal', 'commitment_request') and offer_ok",
                        "goto": "accord",
                    },
                    {"when": "has('proposal')", "goto": "accord_partiel"},
                ],
                "fallback": fb,
            },
            {
                "id": "accord",
                "say": _lines(t["deal"]),
                "expects": ["summary", "written_confirmation"],
                "transitions": [
                    {"when": "has('summary', 'written_confirmation', 'closing')", "goto": "recap"},
                ],
                "fallback": _fallback(t, "fin_promesse", 2),
            },
            {
                "id": "accord_partiel",
                "say": _lines(t["deal"]),
                "expects": ["summary", "written_confirmation"],
                "transitions": [
                    {
                        "when": "has('summary', 'written_confirmation', 'closing')",
                        "goto": "fin_partielle",
                    },
                ],
                "fallback": _fallback(t, "fin_partielle", 2),
            },
            {
                "id": "recap",
                "say": _lines(t["recap"]),
                "expects": ["written_confirmation", "closing"],
                "transitions": [{"when": "True", "goto": "fin_promesse"}],
                "fallback": _fallback(t, "fin_promesse", 1),
            },
            {"id": "fin_promesse", "outcome": "promise", "say": _lines(t["bye_promise"])},
            {"id": "fin_partielle", "outcome": "partial_promise", "say": _lines(t["bye_partial"])},
            {"id": "fin_rappel", "outcome": "callback", "say": _lines(t["bye_callback"])},
            {"id": "fin_raccroche", "outcome": "hang_up", "say": _lines(t["bye_hangup"])},
            {"id": "fin_escalade", "outcome": "escalation", "say": _lines(t["bye_escalation"])},
        ],
    }


def render(data: dict[str, Any]) -> str:
    """YAML text of the scaffold, with the schema comment for editors."""
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return "# yaml-language-server: $schema=scenario.schema.json\n" + body
