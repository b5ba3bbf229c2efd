"""Souplesse–fermeté: listening and firmness together, and no concession beyond the brief.

A good call is flexible on the modalities (date, instalments, means) and firm on the
principle that the sum is due. Listening is counted in turns with ``empathy``,
``reformulation`` or ``open_question``; firmness in turns with ``firmness``,
``consequence`` or ``commitment_request``. Offering more than the brief's margins allow
(a smaller first payment, more instalments, a later date, waiving penalties or the
indemnity when that is not allowed) costs points on its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from scoring.frameworks.base import (
    CriterionResult,
    CriterionScorer,
    FrameworkResult,
    format_amount,
    iso_date,
    quote_of,
)
from scoring.rubric import CriterionSpec
from scoring.transcript import Margins, Transcript, Turn
from scoring.types import Span

NAME = "balance"
CRITERIA = ("balance",)

LISTENING = ("empathy", "reformulation", "open_question")
FIRMNESS = ("firmness", "consequence", "commitment_request")
OFFER_LABELS = ("proposal", "commitment_request", "summary")

_PENALTY_WORDS = {
    "fr": r"(?:les |vos |des |ces )?(?:pénalités|intérêts de retard|majorations?)",
    "en": r"(?:the |your |any )?(?:late[- ]payment )?(?:penalt(?:y|ies)|interest|late fees?)",
}
_INDEMNITY_WORDS = {
    "fr": r"(?:l'|les |cette )?(?:indemnité(?: forfaitaire)?|40 ?(?:€|euros)|frais de recouvrement)",
    "en": r"(?:the )?(?:fixed (?:sum|fee)|compensation|£?40(?: pounds)?|recovery (?:costs|fee))",
}
_WAIVE = {
    "fr": r"(?:annul\w*|supprim\w*|renonc\w*(?: à)?|efface\w*|oubli\w*|retir\w*|offr\w*|fais sauter|on laisse tomber|sans|geste commercial sur)",
    "en": r"(?:waiv\w*|drop\w*|cancel\w*|remov\w*|forget|write off|writing off|without)",
}
_NEGATION = {
    "fr": re.compile(
        r"\b(?:ne (?:peux|pouvons|vais|peut) pas|pas possible|impossible|je ne peux|ne sont pas)\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"\b(?:can't|cannot|can not|won't|unable|not able|not possible)\b", re.IGNORECASE
    ),
}


def _waiver_pattern(lang: str, words: Mapping[str, str]) -> re.Pattern[str]:
    lang = lang if lang in words else "fr"
    return re.compile(rf"\b{_WAIVE[lang]}\s+{words[lang]}", re.IGNORECASE)


def evaluate(transcript: Transcript, section: Mapping[str, CriterionSpec]) -> FrameworkResult:
    spec = section.get("balance")
    if spec is None:
        return FrameworkResult(NAME)
    return FrameworkResult(NAME, (_balance(transcript, spec),))


def _balance(transcript: Transcript, spec: CriterionSpec) -> CriterionResult:
    s = CriterionScorer(spec)
    trainee = transcript.trainee_turns
    target = max(1.0, spec.param("target"))
    listening = [t for t in trainee if t.has(*LISTENING)]
    firm = [t for t in trainee if t.has(*FIRMNESS)]
    for turn in listening[:3]:
        s.evidence_act(turn, next(lbl for lbl in LISTENING if turn.has(lbl)))
    for turn in firm[:3]:
        s.evidence_act(turn, next(lbl for lbl in FIRMNESS if turn.has(lbl)))
    n_l, n_f = len(listening), len(firm)
    s.check("listening", n_l / target, None, "", count=str(n_l))
    s.check("firmness", n_f / target, None, "", count=str(n_f))
    if n_l + n_f:
        s.check(
            "balanced",
            1.0 - abs(n_l - n_f) / (n_l + n_f),
            None,
            "",
            listening=str(n_l),
            firmness=str(n_f),
        )
    else:
        s.skip("balanced")  # nothing to balance: listening and firmness already cost
    if transcript.margins is not None:
        for key, turn, quote, data in concessions(transcript, transcript.margins):
            s.cost(key, spec.param("concession_cost"), turn.index, quote, **data)
    return s.result()


def concessions(
    transcript: Transcript, margins: Margins
) -> list[tuple[str, Turn, str, dict[str, str]]]:
    """Offers beyond the margins, once per distinct item, in call order."""
    out: list[tuple[str, Turn, str, dict[str, str]]] = []
    seen: set[tuple[str, str]] = set()
    lang = transcript.lang
    pen = _waiver_pattern(lang, _PENALTY_WORDS)
    ind = _waiver_pattern(lang, _INDEMNITY_WORDS)
    negation = _NEGATION.get(lang, _NEGATION["fr"])

    def add(key: str, value: str, turn: Turn, quote: str, /, **data: str) -> None:
        if (key, value) not in seen:
            seen.add((key, value))
            out.append((key, turn, quote, data))

    for turn in transcript.trainee_turns:
        if not turn.has(*OFFER_LABELS):
            continue
        waivers: list[Span] = []
        for key, pattern, allowed in (
            ("concession_penalties", pen, margins.waive_penalties),
            ("concession_indemnity", ind, margins.waive_indemnity),
        ):
            for m in pattern.finditer(turn.text):
                waivers.append(Span(m.start(), m.end(), m.group(0)))
                if allowed or _negated(turn.text, m.start(), negation):
                    continue
                add(key, key, turn, quote_of(turn, Span(m.start(), m.end(), m.group(0))))
        if margins.min_first_payment is not None:
            for e in turn.entities_of("amount"):
                inside = any(w.start <= e.span.start < w.end for w in waivers)
                if not inside and float(e.value) + 1e-6 < margins.min_first_payment:
                    add(
                        "concession_amount",
                        f"{float(e.value):.2f}",
                        turn,
                        quote_of(turn, e.span),
                        value=format_amount(float(e.value)),
                        limit=format_amount(margins.min_first_payment),
                    )
        if margins.max_instalments is not None:
            for e in turn.entities_of("instalments"):
                if int(e.value) > margins.max_instalments:
                    add(
                        "concession_instalments",
                        str(e.value),
                        turn,
                        quote_of(turn, e.span),
                        value=str(e.value),
                        limit=str(margins.max_instalments),
                    )
        if margins.latest_date is not None:
            dated = [
                (d, e) for e in turn.entities_of("date") if (d := iso_date(e.value)) is not None
            ]
            if dated:
                first, entity = min(dated, key=lambda x: x[0])
                if first > margins.latest_date:
                    add(
                        "concession_date",
                        first.isoformat(),
                        turn,
                        quote_of(turn, entity.span),
                        value=first.isoformat(),
                        limit=margins.latest_date.isoformat(),
                    )
    return out


def _negated(text: str, pos: int, negation: re.Pattern[str]) -> bool:
    """A negation earlier in the same sentence (« je ne peux pas annuler les pénalités »)."""
    start = max(text.rfind(".", 0, pos), text.rfind("?", 0, pos), text.rfind("!", 0, pos)) + 1
    return negation.search(text, start, pos) is not None
