"""Facts: what the trainee states about the debt is checked against the account card.

An amount stated as the debt must be an invoice amount, what remains on an invoice, the
total outstanding, a sum of invoices, or (B2B) the fixed recovery indemnity per late
invoice, alone or added. An amount offered (a first payment, an instalment) only has to
stay within what is due. A wrong debt amount, or an offer above what is due, is the
``wrong_amount`` breach of acts.md. Wrong invoice numbers and wrong past dates cost
points and are cited.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping

from scoring.frameworks.base import (
    Breach,
    CriterionResult,
    CriterionScorer,
    FrameworkResult,
    format_amount,
    iso_date,
    not_applicable,
    quote_of,
)
from scoring.labels import BREACHES
from scoring.rubric import CriterionSpec
from scoring.transcript import InvoiceLine, Transcript, Turn
from scoring.types import Entity

NAME = "facts"
CRITERIA = ("facts",)

DEBT_CONTEXT = ("fact_reminder", "purpose", "terms_reminder", "consequence", "firmness")
OFFER_CONTEXT = ("proposal", "commitment_request", "summary")
#: Restating or asking about the debtor's own words is neither stating the debt nor an
#: offer: « si je comprends bien, votre client vous doit 38 000 € » is not a wrong amount.
NEUTRAL_CONTEXT = ("reformulation", "empathy", "open_question", "closed_question")
_MAX_SUBSET = 10


def evaluate(transcript: Transcript, section: Mapping[str, CriterionSpec]) -> FrameworkResult:
    spec = section.get("facts")
    if not transcript.invoices:
        return FrameworkResult(NAME, (not_applicable(spec),) if spec else ())
    result, breaches = _facts(transcript, spec)
    return FrameworkResult(NAME, (result,) if result else (), breaches=breaches)


def indemnities(transcript: Transcript) -> tuple[float, ...]:
    """The fixed recovery indemnity per late invoice (B2B only): 40 € in France,
    £40/£70/£100 by debt size in the UK."""
    if transcript.segment == "b2c":
        return ()
    late = [i for i in transcript.invoices if i.status not in ("paid", "due")]
    out: list[float] = []
    for inv in late:
        if inv.currency == "EUR":
            out.append(40.0)
        elif inv.currency == "GBP":
            out.append(40.0 if inv.amount < 1000 else 70.0 if inv.amount < 10000 else 100.0)
    return tuple(out)


def legit_amounts(transcript: Transcript) -> tuple[float, ...]:
    """Every amount that may be stated as what is owed."""
    invoices = [i for i in transcript.invoices if i.status != "paid"]
    base: set[float] = set()
    for inv in transcript.invoices:
        base.add(round(inv.amount, 2))
        if inv.paid > 0:
            base.add(round(inv.paid, 2))
            base.add(inv.outstanding)
    values = [i.outstanding for i in invoices]
    if len(values) <= _MAX_SUBSET:
        for r in range(1, len(values) + 1):
            for combo in itertools.combinations(values, r):
                base.add(round(sum(combo), 2))
            for combo in itertools.combinations([i.amount for i in invoices], r):
                base.add(round(sum(combo), 2))
    base.add(transcript.total_outstanding or 0.0)
    base.update(card_text_amounts(transcript))
    fees = indemnities(transcript)
    out = set(base)
    for k in range(1, len(fees) + 1):
        fee = round(sum(fees[:k]), 2)
        out.add(fee)
        out.update(round(b + fee, 2) for b in base)
    out.discard(0.0)
    return tuple(sorted(out))


_CARD_AMOUNT = re.compile(
    r"(?:[£€$]\s?(?P<pre>\d{1,3}(?:[,\u00a0\u202f ]\d{3})*(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?))"
    r"|(?P<num>\d{1,3}(?:[\u00a0\u202f .]\d{3})+(?:,\d{1,2})?|\d+(?:[,.]\d{1,2})?)"
    r"\s?(?:€|euros?\b|EUR\b|£|GBP\b)",
    re.IGNORECASE,
)


def _account_texts(transcript: Transcript) -> list[str]:
    """The free text of the account card: reminders, notes, terms, invoice descriptions."""
    acc = transcript.account
    texts = [str(acc.get("payment_terms") or "")]
    texts += [str(n) for n in acc.get("notes") or ()]
    texts += [
        str(r.get("content") or "") for r in acc.get("reminders") or () if isinstance(r, dict)
    ]
    texts += [
        str(i.get("description") or "") for i in acc.get("invoices") or () if isinstance(i, dict)
    ]
    return [t for t in texts if t]


def card_text_amounts(transcript: Transcript) -> set[float]:
    """Amounts the account card itself states in words (a past promise, an undisputed
    part, a partial payment): quoting them is quoting the file, not a wrong amount."""
    out: set[float] = set()
    for text in _account_texts(transcript):
        for m in _CARD_AMOUNT.finditer(text):
            if m.group("pre"):
                raw = m.group("pre").replace(",", "").replace("\u00a0", "").replace(" ", "")
                raw = raw.replace("\u202f", "")
            else:
                raw = re.sub(r"[\u00a0\u202f .]", "", m.group("num")).replace(",", ".")
            try:
                out.add(round(float(raw), 2))
            except ValueError:
                continue
    return out


def _context(turn: Turn, entity: Entity) -> tuple[bool, bool]:
    """(stated as the debt, stated as an offer), by the acts whose span holds the entity."""
    debt = offer = neutral = False
    for act in turn.acts or ():
        inside = act.span.start <= entity.span.start < max(act.span.end, act.span.start + 1)
        if not inside:
            continue
        if act.label in DEBT_CONTEXT:
            debt = True
        elif act.label in OFFER_CONTEXT:
            offer = True
        elif act.label in NEUTRAL_CONTEXT:
            neutral = True
    if not debt and not offer and not neutral:
        debt = turn.has(*DEBT_CONTEXT)
        offer = turn.has(*OFFER_CONTEXT)
    return debt, offer


def _facts(
    transcript: Transcript, spec: CriterionSpec | None
) -> tuple[CriterionResult | None, tuple[Breach, ...]]:
    legit = legit_amounts(transcript)
    tolerance = spec.param("tolerance") if spec else 0.5
    total = transcript.total_outstanding or 0.0
    fees = indemnities(transcript)
    fee_sums = [sum(fees[: k + 1]) for k in range(len(fees))]
    ceiling = total + sum(fees) + tolerance
    s = CriterionScorer(spec) if spec else None
    breaches: list[Breach] = []
    correct = wrong = 0
    debt_stated = None
    wrong_seen: set[str] = set()
    for turn in transcript.trainee_turns:
        for entity in turn.entities_of("amount"):
            value = float(entity.value)
            debt, offer = _context(turn, entity)
            ok = any(abs(value - x) <= tolerance for x in legit)
            if ok:
                correct += 1
                if debt_stated is None and not any(abs(value - f) <= tolerance for f in fee_sums):
                    debt_stated = (turn, entity)
                continue
            if offer and value <= ceiling:
                correct += 1
                continue
            if not (debt or offer):
                continue  # an amount said in passing: not checked
            wrong += 1
            key = f"{value:.2f}"
            expected = _closest(value, legit)
            data = {
                "value": format_amount(value),
                "expected": format_amount(expected if offer and not debt else total),
            }
            if key not in wrong_seen:
                wrong_seen.add(key)
                breaches.append(
                    Breach(
                        "wrong_amount",
                        BREACHES["wrong_amount"],
                        turn.index,
                        quote_of(turn, entity.span),
                        data,
                    )
                )
    if s is None:
        return None, tuple(breaches)

    if debt_stated is not None:
        s.check("debt_amount_stated", 1.0)
        s.evidence(debt_stated[0], "amount", debt_stated[1].span)
    else:
        s.check("debt_amount_stated", 0.0)
    if correct + wrong:
        first_wrong = breaches[0] if breaches else None
        s.check(
            "accuracy",
            correct / (correct + wrong),
            first_wrong.turn if first_wrong else None,
            first_wrong.quote if first_wrong else "",
            **(first_wrong.data if first_wrong else {}),
        )
    else:
        s.skip("accuracy")
    _invoices(s, transcript, spec)
    _dates(s, transcript, spec)
    return s.result(), tuple(breaches)


def _invoices(s: CriterionScorer, transcript: Transcript, spec: CriterionSpec | None) -> None:
    numbers = {_norm(i.number): i for i in transcript.invoices if i.number}
    digits = {_digits(i.number): i for i in transcript.invoices if _digits(i.number)}
    cited = None
    texts = _account_texts(transcript)
    for turn in transcript.trainee_turns:
        for entity in turn.entities_of("invoice"):
            ref = str(entity.value)
            if _norm(ref) in numbers or (_digits(ref) and _digits(ref) in digits):
                cited = cited or (turn, entity)
            elif _digits(ref) and any(_digits(ref) in _digits_all(t) for t in texts):
                continue  # a reference the card itself gives (order, file, credit note)
            else:
                s.cost(
                    "wrong_invoice",
                    spec.param("wrong_invoice_cost") if spec else 0.2,
                    turn.index,
                    quote_of(turn, entity.span),
                    value=ref,
                    expected=", ".join(i.number for i in transcript.invoices),
                )
    if cited is None:
        for turn in transcript.trainee_turns:
            hit = _find_number(turn, transcript.invoices)
            if hit is not None:
                s.check("invoice_stated", 1.0)
                s.evidence(turn, "invoice", None)
                return
        s.check("invoice_stated", 0.0)
    else:
        s.check("invoice_stated", 1.0)
        s.evidence(cited[0], "invoice", cited[1].span)


def _find_number(turn: Turn, invoices: tuple[InvoiceLine, ...]) -> InvoiceLine | None:
    for inv in invoices:
        core = _digits(inv.number)
        if len(core) >= 3 and re.search(rf"(?<!\d){re.escape(core)}(?!\d)", turn.text):
            return inv
    return None


def _dates(s: CriterionScorer, transcript: Transcript, spec: CriterionSpec | None) -> None:
    known: set[dt.date] = set(transcript.reminder_dates)
    for inv in transcript.invoices:
        known.update(d for d in (inv.issued, inv.due) if d is not None)
    if not known:
        return
    horizon = transcript.call_date or max(known)
    for turn in transcript.trainee_turns:
        if not turn.has("fact_reminder"):
            continue
        for entity in turn.entities_of("date"):
            debt, offer = _context(turn, entity)
            day = iso_date(entity.value)
            if day is None or (offer and not debt) or day >= horizon or day in known:
                continue
            s.cost(
                "wrong_date",
                spec.param("wrong_date_cost") if spec else 0.15,
                turn.index,
                quote_of(turn, entity.span),
                value=day.isoformat(),
                expected=", ".join(sorted(d.isoformat() for d in known)),
            )


def _closest(value: float, legit: tuple[float, ...]) -> float:
    return min(legit, key=lambda x: (abs(x - value), x)) if legit else 0.0


def _norm(ref: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", ref.upper())


def _digits_all(text: str) -> list[str]:
    return [d.lstrip("0") for d in re.findall(r"\d+", text)]


def _digits(ref: str) -> str:
    return re.sub(r"\D", "", ref).lstrip("0")
