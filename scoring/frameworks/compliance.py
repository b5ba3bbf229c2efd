"""Compliance: the breaches of acts.md, each citing the turn where it happened.

``abusive_threat`` and ``aggressive`` come from the acts; ``no_identification`` and
``no_verification`` from what the trainee never did (cited at the turn where it was
expected); ``third_party_disclosure`` from debt details given while the debtor side is
someone else (debtor node tags); ``pressure_to_borrow`` from cue words in a B2C call.
The criterion itself starts full; the rubric says what each breach costs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from scoring.frameworks.base import (
    DEBT_LABELS,
    Breach,
    CriterionScorer,
    FrameworkResult,
    first_with,
    is_debt_turn,
    quote_of,
    sentence_at,
)
from scoring.labels import BREACHES
from scoring.rubric import CriterionSpec
from scoring.transcript import Transcript, Turn

NAME = "compliance"
CRITERIA = ("compliance",)

#: Debtor node tags meaning the person on the line is not the debtor.
THIRD_PARTY_TAGS = frozenset({"third_party", "voicemail"})
#: In B2C, anyone but the debtor is a third party, a gatekeeper included (acts.md).
B2C_THIRD_PARTY_TAGS = THIRD_PARTY_TAGS | {"gatekeeper"}

_BORROW = {
    "fr": (
        r"\bemprunt\w*",
        r"\b(?:un|une|des|votre|vos) (?:crédits?|prêts?)\b",
        r"\b(?:prêt|crédit) (?:à la consommation|personnel|renouvelable)\b",
        r"\bdécouvert\b",
        r"\b(?:demander|faire appel|vous adresser) à (?:vos|votre|des) (?:proches|famille|parents|amis|entourage|enfants)\b",
        r"\b(?:vos|votre) (?:proches|famille|parents|amis) (?:peuvent|pourraient) (?:vous )?(?:aider|avancer|prêter)\b",
    ),
    "en": (
        r"\bborrow\w*",
        r"\b(?:a|another|personal|payday) loan\b",
        r"\boverdraft\b",
        r"\bcredit card\b",
        r"\bask (?:your )?(?:family|friends|relatives|parents|partner)\b",
        r"\b(?:family|friends|relatives) (?:could|can) (?:help|lend)\b",
    ),
}
_BORROW_RE = {
    lang: tuple(re.compile(p, re.IGNORECASE) for p in pats) for lang, pats in _BORROW.items()
}
#: Explicit disclaimers (« je ne vous demande pas d'emprunter »); a suggestion phrased as
#: a negative question (« vous ne pourriez pas emprunter ? ») is still pressure.
_NEGATION = {
    "fr": re.compile(
        r"\b(?:je ne vous (?:demande|propose|conseille) pas|il ne s'agit pas|surtout pas"
        r"|pas question|je ne veux pas que vous|ne (?:faites|prenez) (?:surtout )?pas)",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"\b(?:i'm not asking|not asking you|don't (?:want you to|need to)|never|no need to"
        r"|shouldn't|please don't)",
        re.IGNORECASE,
    ),
}


def evaluate(transcript: Transcript, section: Mapping[str, CriterionSpec]) -> FrameworkResult:
    breaches = detect(transcript)
    spec = section.get("compliance")
    if spec is None:
        return FrameworkResult(NAME, breaches=breaches)
    s = CriterionScorer(spec)
    trainee = transcript.trainee_turns
    for label in ("identification", "verify_interlocutor"):
        turn = first_with(trainee, label)
        if turn is not None:
            s.evidence_act(turn, label)
    return FrameworkResult(NAME, (s.result(),), breaches=breaches)


def detect(transcript: Transcript) -> tuple[Breach, ...]:
    """Every breach of the call except ``wrong_amount`` (see the facts framework)."""
    trainee = transcript.trainee_turns
    out: list[Breach] = []
    for turn in trainee:
        for label in ("abusive_threat", "aggressive"):
            act = turn.act(label)
            if act is not None:
                out.append(Breach(label, BREACHES[label], turn.index, quote_of(turn, act.span)))
    if trainee and first_with(trainee, "identification") is None:
        first = trainee[0]
        out.append(
            Breach("no_identification", BREACHES["no_identification"], first.index, quote_of(first))
        )
    out.extend(_verification(transcript))
    out.extend(_disclosure(transcript))
    out.extend(_borrowing(transcript))
    return tuple(sorted(out, key=lambda b: (b.turn if b.turn is not None else -1, b.code)))


def _verification(transcript: Transcript) -> list[Breach]:
    verified = False
    for turn in transcript.trainee_turns:
        if is_debt_turn(turn) and not verified:
            return [
                Breach("no_verification", BREACHES["no_verification"], turn.index, quote_of(turn))
            ]
        if turn.has("verify_interlocutor"):
            verified = True
    return []


#: Words that reveal a debt to whoever hears them, even inside a mere `purpose`
#: (« au sujet des factures impayées de votre mari »); a deliberately vague reason
#: (« au sujet d'un dossier ») does not match. The ASF charter asks a collector who
#: reaches a third party to give only their name.
_DEBT_WORDS = re.compile(
    r"\b(impay[ée]e?s?|arri[ée]r[ée]s?|dettes?|retards? de paiement|"
    r"en retard|relances?|recouvrement|contentieux|rejet[ée]e?s?|unpaid|overdue|arrears|"
    r"debts?|owes?|owing|outstanding|collections?|late payments?|missed payments?)",
    re.IGNORECASE,
)


#: What a firm line says when it is about the debt (« la somme reste due »), unlike
#: politely refusing a third party (« je préfère en parler directement avec elle »).
_OWED = re.compile(
    r"\b(d[uû]e?s?|doit|devez|somme|montant|solde|factures?|owed?|owing|balance|amount|invoices?)\b",
    re.IGNORECASE,
)


def _discloses(turn: Turn) -> bool:
    if turn.entities_of("amount") or turn.entities_of("invoice") or _DEBT_WORDS.search(turn.text):
        return True
    if not is_debt_turn(turn):
        return False
    if turn.has(*(DEBT_LABELS - {"firmness"})):
        return True
    return bool(_OWED.search(turn.text))


def _disclosure(transcript: Transcript) -> list[Breach]:
    tags = B2C_THIRD_PARTY_TAGS if transcript.segment == "b2c" else THIRD_PARTY_TAGS
    out: list[Breach] = []
    who: frozenset[str] = frozenset()
    for turn in transcript.turns:
        if not turn.is_trainee:
            who = frozenset(turn.tags) & tags
            continue
        if who and _discloses(turn):
            out.append(
                Breach(
                    "third_party_disclosure",
                    BREACHES["third_party_disclosure"],
                    turn.index,
                    quote_of(turn),
                    {"tag": sorted(who)[0]},
                )
            )
    return out


def _borrowing(transcript: Transcript) -> list[Breach]:
    if transcript.segment != "b2c":
        return []
    lang = transcript.lang if transcript.lang in _BORROW_RE else "fr"
    negation = _NEGATION[lang]
    out: list[Breach] = []
    for turn in transcript.trainee_turns:
        for pattern in _BORROW_RE[lang]:
            m = pattern.search(turn.text)
            if m is None:
                continue
            start = max(turn.text.rfind(c, 0, m.start()) for c in ".?!;") + 1
            if negation.search(turn.text, start, m.start()):
                continue
            out.append(
                Breach(
                    "pressure_to_borrow",
                    BREACHES["pressure_to_borrow"],
                    turn.index,
                    quote_of(turn, sentence_at(turn.text, m.start(), m.end())),
                )
            )
            break
    return out
