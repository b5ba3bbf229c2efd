"""Entities of a trainee utterance: amounts, dates, means of payment, invoices, instalments.

Number words are turned into digits first (text2num's ``find_numbers``, the tokenised
form of ``alpha2digit``), in a :class:`~scoring.lexicon.MappedText` that remembers the
original offsets, so « mille deux cent cinquante euros » and "1 250 €" go through the same
regular expressions and both spans point at what the trainee wrote. Candidates are then
accepted by priority (an invoice number beats an amount, an amount with a currency beats
a date…), so that « facture 2041 » never becomes a sum and « le 15 » never becomes one.
Dates are resolved against the call date: forward by default, backward when the sentence
speaks of the past (« échue le 15 », "was due on the 3rd").
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

import text_to_num

from scoring.lexicon import MappedText, normalise, replace_spans
from scoring.types import Entity, EntityKind, Span

# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True, slots=True)
class _Token:
    """A word for text2num, with its offsets in the original text."""

    word: str
    start: int
    end: int

    def text(self) -> str:
        return self.word

    def nt_separated(self, previous: _Token) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


_TOKEN_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+|[^\w\s]")
#: Number words too ambiguous alone (« un rendez-vous », "one moment", « une seconde »).
_LONE_SKIP = frozenset(
    {"un", "une", "one", "a", "an", "neuf", "second", "seconde", "secondes", "zero", "zéro"}
)


def digitise(text: str, lang: str) -> MappedText:
    """``text`` with spelled numbers as digits (« trois » → 3, "third" → 3rd)."""
    tokens = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    if not tokens:
        return MappedText.identity(text)
    try:
        found = text_to_num.find_numbers(tokens, lang, 0.0)
    except Exception:  # pragma: no cover - the library rejects unknown languages
        return MappedText.identity(text)
    repl: list[tuple[int, int, str]] = []
    for occ in found:
        first, last = tokens[occ.start], tokens[occ.end - 1]
        if occ.end - occ.start == 1 and first.word.lower() in _LONE_SKIP:
            continue
        if first.word.isdigit() and occ.end - occ.start == 1:
            continue
        repl.append((first.start, last.end, str(occ.text)))
    if not repl:
        return MappedText.identity(text)
    return replace_spans(MappedText.identity(text), repl)


# --------------------------------------------------------------------------- vocabulary

_MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3,
    "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
# Abbreviations and ambiguous words ("may", "march", "sun") only count next to a day number.
_MONTH_FULL = (
    "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
    "january|february|april|june|july|august|september|october|november|december"
)
_MONTH_ANY = (
    _MONTH_FULL
    + "|march|may|janv|fevr|fev|avr|juil|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_WEEKDAY_FULL = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_ORD = r"(?:er|ere|re|e|eme|nd|st|rd|th|°)?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"

_PAST_RE = re.compile(
    r"\b(?:etait|etaient|a ete|avons|avez|avait|aviez|avions|ai|as|echue?s?|depuis|dernier|"
    r"derniere|passee?s?|hier|envoye|ecrit|relance|appele|was|were|had|did|sent|wrote|"
    r"called|last|ago|fell due|since|overdue|emailed|posted|went|came|arrived|bounced|"
    r"promised|said|told|spoke|gave|issued|delivered|signed|returned)\b"
)

# --------------------------------------------------------------------------- amounts

_NUM = r"\d{1,3}(?:[ .,'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MULT = r"(?:\s?(?P<mult>k|mille|millions?|m(?=\s?€)))?"
_CUR_AFTER = (
    r"(?P<cur>€|euros?\b|eur\b|e\b(?=\s|$|[.,;!?])|£|livres?(?: sterling)?\b|pounds?\b|"
    r"quid\b|gbp\b|\$|dollars?\b|bucks\b|usd\b|balles\b|boules\b)"
)
_AMOUNT_AFTER = re.compile(rf"(?<![\w.,])(?P<num>{_NUM}){_MULT}\s?{_CUR_AFTER}")
_AMOUNT_BEFORE = re.compile(rf"(?P<cur>€|£|\$|eur\b|gbp\b|usd\b)\s?(?P<num>{_NUM}){_MULT}(?!\w)")
_AMOUNT_CUED = re.compile(
    r"\b(?:montant|somme|acompte|solde|reste|versement|virement|cheque|paiement|payment|"
    r"mensualites?|echeances?|instalments?|installments?|payments?|deposit|balance|sum|amount|"
    r"verser|payer|regler|pay|payer)\s(?:de\s|d'un montant de\s|of\s|du\s)?(?:(?:au moins|"
    r"at least|only|seulement|juste)\s)?"
    rf"(?P<num>{_NUM}){_MULT}(?![\w/%:.,]|\s?(?:h\b|heures?|jours?|days?|mois|months?|ans|years?|"
    r"fois|%|pour ?cent|percent))"
)
_CURRENCIES = {
    "€": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR", "e": "EUR", "balles": "EUR",
    "boules": "EUR", "£": "GBP", "livre": "GBP", "livres": "GBP", "livre sterling": "GBP",
    "livres sterling": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "gbp": "GBP",
    "$": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD", "usd": "USD",
}  # fmt: skip


def _parse_number(raw: str, lang: str) -> float | None:
    s = raw.replace("’", "'").replace("'", " ")
    s = s.replace(" ", "\u0020")
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        thou = "." if dec == "," else ","
        s = s.replace(thou, "").replace(" ", "").replace(dec, ".")
    else:
        groups = re.split(r"[ ,.]", s)
        seps = re.findall(r"[ ,.]", s)
        if seps and all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
            if len(seps) > 1 or seps[0] == " " or seps[0] == "," or lang == "fr":
                s = "".join(groups)
            else:  # "1.500" in English: a decimal point
                s = s.replace(" ", "")
        else:
            s = s.replace(" ", "").replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def _scale(value: float, mult: str | None) -> float:
    if not mult:
        return value
    if mult in ("k", "mille"):
        return value * 1000
    return value * 1_000_000


# --------------------------------------------------------------------------- dates


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


#: How far back a date said in a past-tense sentence (without a cue of its own) may lie.
_SOFT_PAST_DAYS = 62


def _resolve_day_month(
    day: int, month: int, today: dt.date, tense: str, weekday: int | None = None
) -> dt.date | None:
    """``day``/``month`` in the year the context points at.

    ``tense`` is ``past`` (a cue by the date: « échue le », "was due on", a past verb in
    its clause): the last occurrence; ``future`` (« je vous propose le 15 », "by the 5th"):
    the next one; otherwise the last occurrence when it is recent enough: half a year for a
    ``recalled`` date (« la facture du 2 octobre »), two months when the sentence speaks of
    the past (``soft``), six weeks with no cue (``none``). An explicit weekday
    (« vendredi 27 novembre ») picks the year where that day-of-month falls on it.
    """
    candidates = [_safe_date(today.year + k, month, day) for k in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    if not valid:
        return None
    before = [c for c in valid if c <= today]
    after = [c for c in valid if c >= today]
    last = max(before) if before else None
    nxt = min(after) if after else None
    window = {"soft": _SOFT_PAST_DAYS, "recalled": _RECALL_DAYS, "none": _RECENT_DAYS}
    if tense == "past":
        choice = last or min(valid)
    elif last is not None and (today - last).days <= window.get(tense, -1):
        choice = last
    else:
        choice = nxt or max(valid)
    if weekday is not None and choice.weekday() != weekday:
        matching = [c for c in valid if c.weekday() == weekday]
        if matching:
            choice = min(matching, key=lambda c: abs((c - today).days))
    return choice


def _resolve_day(day: int, today: dt.date, past: bool) -> dt.date | None:
    this = _safe_date(today.year, today.month, day)
    if past:
        if this is not None and this <= today:
            return this
        prev = _add_months(today.replace(day=1), -1)
        return _safe_date(prev.year, prev.month, day)
    if this is not None and this >= today:
        return this
    nxt = _add_months(today.replace(day=1), 1)
    return _safe_date(nxt.year, nxt.month, day)


def _next_weekday(today: dt.date, weekday: int, *, include_today: bool = False) -> dt.date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + dt.timedelta(days=ahead)


def _prev_weekday(today: dt.date, weekday: int) -> dt.date:
    back = (today.weekday() - weekday) % 7 or 7
    return today - dt.timedelta(days=back)


def _friday_of_week(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=4 - day.weekday())


@dataclass(frozen=True, slots=True)
class _DateRule:
    regex: re.Pattern[str]
    resolve: Callable[[re.Match[str], dt.date, str], dt.date | None]


def _g(m: re.Match[str], name: str) -> str:
    return m.group(name) or ""


def _r_numeric(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    day, month = int(m.group("d")), int(m.group("m"))
    if month > 12 and day <= 12:
        day, month = month, day
    year_s = _g(m, "y")
    if year_s:
        year = int(year_s) + (2000 if len(year_s) == 2 else 0)
        return _safe_date(year, month, day)
    return _resolve_day_month(day, month, today, tense)


def _r_day_month(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    month = _MONTHS[_g(m, "mon")]
    day = int(m.group("d"))
    if _g(m, "y"):
        return _safe_date(int(m.group("y")), month, day)
    wd = _g(m, "wd") if "wd" in m.re.groupindex else ""
    return _resolve_day_month(day, month, today, tense, _WEEKDAYS[wd] if wd else None)


def _r_day(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    past = tense in ("past", "soft", "recalled")
    day = int(m.group("d"))
    wd = _g(m, "wd") if "wd" in m.re.groupindex else ""
    if wd:  # « vendredi 27 »: the month around today where the 27th is a Friday
        weekday = _WEEKDAYS[wd]
        months = [_add_months(today.replace(day=1), k) for k in (0, 1, -1, 2)]
        for first in months:
            when = _safe_date(first.year, first.month, day)
            if when is not None and when.weekday() == weekday:
                return when
    if tense == "future":
        past = False
    return _resolve_day(day, today, past)


def _r_relative_day(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    word = m.group("w")
    if word.startswith(("apres", "day after", "surlendemain")):
        return today + dt.timedelta(days=2)
    if word.startswith(("demain", "tomorrow")):
        return today + dt.timedelta(days=1)
    if word.startswith(("hier", "yesterday")):
        return today - dt.timedelta(days=1)
    return today


def _r_weekday(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    past = tense in ("past", "soft", "recalled")
    weekday = _WEEKDAYS[m.group("wd")]
    pre, post = _g(m, "pre").strip(), _g(m, "post").strip()
    if post in ("dernier", "passe") or pre == "last":
        return _prev_weekday(today, weekday)
    if past and not pre and not post:
        return _prev_weekday(today, weekday)
    base = _next_weekday(today, weekday, include_today=pre in ("ce", "this"))
    if post in ("en huit", "en 8", "week") or pre == "next week":
        return base + dt.timedelta(days=7)
    if post in ("en quinze", "en 15"):
        return base + dt.timedelta(days=14)
    if pre == "a week on" or post == "week after next":
        return base + dt.timedelta(days=7)
    return base


def _r_month_start(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    return _add_months(today.replace(day=1), 1)


def _r_next_week(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    return _friday_of_week(today + dt.timedelta(days=7 - today.weekday()))


def _r_in_days(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    n = int(m.group("n")) if m.group("n") else 1
    unit = m.group("unit")
    if unit.startswith(("semaine", "week")):
        return today + dt.timedelta(days=7 * n)
    if unit.startswith(("mois", "month")):
        return _add_months(today, n)
    if unit.startswith(("jour", "day")):
        if n in (8, 15) and unit.startswith("jour"):  # « huit jours » = a week
            n -= 1
        return today + dt.timedelta(days=n)
    return None


def _r_fixed(days: int) -> Callable[[re.Match[str], dt.date, str], dt.date | None]:
    def resolve(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
        return today + dt.timedelta(days=days)

    return resolve


def _r_month_end_any(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    which = _g(m, "which") or _g(m, "which2")
    if which in ("prochain", "next", "suivant"):
        nxt = _add_months(today.replace(day=1), 1)
        return _month_end(nxt.year, nxt.month)
    if which in ("dernier", "last", "precedent"):
        prev = _add_months(today.replace(day=1), -1)
        return _month_end(prev.year, prev.month)
    return _month_end(today.year, today.month)


def _r_named_month_any(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    past = tense in ("past", "soft", "recalled")
    month = _MONTHS[_g(m, "mon") or _g(m, "mon2")]
    part = _g(m, "part")
    year = today.year
    if past and month > today.month:
        year -= 1
    elif not past and month < today.month:
        year += 1
    if part.startswith(("fin", "end", "late")):
        return _month_end(year, month)
    if part.startswith(("mi", "mid")):
        return dt.date(year, month, 15)
    return dt.date(year, month, 1)


def _r_week_end_any(m: re.Match[str], today: dt.date, tense: str) -> dt.date | None:
    which = _g(m, "which") or _g(m, "which2")
    if which in ("prochaine", "next"):
        return _friday_of_week(today + dt.timedelta(days=7 - today.weekday()))
    if today.weekday() >= 5:
        return _friday_of_week(today + dt.timedelta(days=7 - today.weekday()))
    return _friday_of_week(today)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_DATE_RULES: tuple[_DateRule, ...] = (
    _DateRule(
        _rx(
            rf"(?:\b(?:le|du|au|the|on|on the)\s)?(?<![\d/.])(?P<d>{_DAY})[/.-](?P<m>[01]?\d)"
            r"(?:[/.-](?P<y>(?:20)?\d\d))?(?!\d|[,.]\d|\s?(?:€|£|\$|euros?|eur\b|%))"
        ),
        _r_numeric,
    ),
    _DateRule(
        _rx(
            rf"(?:\b(?:(?:le|du|au|the|on|on the|by the|until the|d'ici|avant|jusqu'au|by|"
            rf"until|before)\s)?(?P<wd>{_WEEKDAY_FULL})\s(?:the\s)?"
            r"|\b(?:le|du|au|the|on|on the|by the|until the|d'ici le|avant le|jusqu'au)\s)?"
            rf"(?<!\d)(?P<d>{_DAY}){_ORD}\s(?:of\s)?"
            rf"(?P<mon>{_MONTH_ANY})\b\.?(?:,?\s(?P<y>20\d\d))?"
        ),
        _r_day_month,
    ),
    _DateRule(
        _rx(
            rf"(?:\b(?:on|by|until|before)\s)?\b(?P<mon>{_MONTH_ANY})\.?\s(?:the\s)?"
            rf"(?P<d>{_DAY})(?:st|nd|rd|th)?\b(?!\s?(?:€|£|\$|euros?|pounds?|%|\d))"
            r"(?:,?\s(?P<y>20\d\d))?"
        ),
        _r_day_month,
    ),
    _DateRule(
        _rx(
            rf"\b(?:(?:ce|this)\s)?(?P<wd>{_WEEKDAY_FULL})\s(?:the\s)?(?P<d>{_DAY}){_ORD}"
            r"(?!\d|[,.]\d|\s?(?:€|£|\$|euros?|%|h\b|heures?))"
        ),
        _r_day,
    ),
    _DateRule(
        _rx(
            rf"\b(?:(?:d'ici|avant|jusqu'|until|by|before|on)\s?)?(?:le|au|the|du)\s(?P<d>{_DAY})"
            r"(?P<ord>er|ere|e|eme|st|nd|rd|th)?\b(?!\d|[,.]\d|\s?(?:€|£|\$|euros?|pounds?|%|h\b|"
            r"heures?|jours?|fois|mensualit|echeances?|versements?|virements?|prelevements?|cheques?|"
            r"reglements?|acomptes?|paiements?|trimestres?|ans\b|mois|minutes?|days?|"
            r"months?|years?|weeks?|semaines?|instalments?|installments?|payments?|of us|\d))"
        ),
        _r_day,
    ),
    _DateRule(
        _rx(
            r"\b(?P<w>apres[- ]demain|surlendemain|the day after tomorrow|day after tomorrow|"
            r"demain|tomorrow|aujourd'hui|today|ce soir|tonight|hier|yesterday)\b"
        ),
        _r_relative_day,
    ),
    _DateRule(
        _rx(
            r"\b(?:(?:d'ici|avant|pour|by|before|until|at)\s)?(?:la\s|the\s)?"
            r"(?:fin|end)\s(?:du|de|of the|of)\s(?:ce\s|this\s)?mois"
            r"(?:\s(?P<which>prochain|suivant|dernier|precedent))?\b"
            r"|\b(?:(?:d'ici|avant|pour|by|before|until|at)\s)?(?:la\s|the\s)?end\sof\s"
            r"(?:the\s|this\s)?(?:(?P<which2>next|last)\s)?month\b"
        ),
        _r_month_end_any,
    ),
    _DateRule(
        _rx(
            r"\b(?:(?:d'ici|avant|pour|by|before|until|at|in)\s)?(?:la\s|the\s)?"
            r"(?P<part>fin|debut|mi|end of|beginning of|start of|early|mid|late)[ -]"
            rf"(?P<mon>{_MONTH_FULL}|march)\b"
            r"|\b(?:(?:d'ici|avant|jusqu'|until|by|before|in|en)\s?)(?P<mon2>"
            rf"{_MONTH_FULL}|march)\b"
        ),
        _r_named_month_any,
    ),
    _DateRule(
        _rx(
            r"\b(?:(?:au|en|d'ici|avant|pour|by|before|until|at)\s)?(?:la\s|the\s)?"
            r"(?:debut|beginning|start)\s(?:du|de|of the|of)\s(?:mois prochain|next month)\b"
            r"|\b(?:early next month|le mois prochain|next month)\b"
        ),
        _r_month_start,
    ),
    _DateRule(
        _rx(
            r"\b(?:(?:en|d'ici|avant|pour|by|before|until|at)\s)?(?:la\s|the\s)?"
            r"(?:fin|end)\s(?:de|of)\s(?:la\s|the\s|this\s|cette\s)?(?:semaine|week)"
            r"(?:\s(?P<which>prochaine|next))?\b"
            r"|\b(?:(?:by|before|until|at)\s)?(?:the\s)?end\sof\s(?P<which2>next)\sweek\b"
        ),
        _r_week_end_any,
    ),
    _DateRule(
        _rx(
            r"\b(?:(?:d'ici|avant|pour|by|before|until|dans le courant de)\s)?"
            r"(?:la\s)?semaine\sprochaine\b|\b(?:(?:by|before|until)\s)?next\sweek\b"
            r"|\bcourant de la semaine prochaine\b"
        ),
        _r_next_week,
    ),
    _DateRule(
        _rx(
            rf"\b(?:(?P<pre>ce|this|next|coming|last|le|on|d'ici|by|avant|before|until)\s)?"
            r"(?:the\s)?"
            rf"(?P<wd>{_WEEKDAY_FULL})\b"
            r"(?:\s(?P<post>prochain|qui vient|en huit|en 8|en quinze|en 15|dernier|passe|week|"
            r"week after next))?"
        ),
        _r_weekday,
    ),
    _DateRule(
        _rx(
            r"\b(?:dans|d'ici|sous|in|within|d'ici a)\s(?:les\s|the\s|a\s|un\s|une\s)?"
            r"(?:(?P<n>\d+)\s)?(?:(?:prochains?|prochaines|next)\s)?"
            r"(?P<unit>jours?|semaines?|mois|days?|weeks?|months?)\b"
        ),
        _r_in_days,
    ),
    _DateRule(_rx(r"\bsous\s(?:huitaine|8aine)\b"), _r_fixed(7)),
    _DateRule(_rx(r"\bsous\squinzaine\b"), _r_fixed(14)),
)


# --------------------------------------------------------------------------- the rest

#: Reference codes (F-2041, FA2024-118, NTS-88412, INV-4471) are invoices, except the
#: prefixes of an order form, a purchase order, a credit note, a file or an agreement.
_NOT_INVOICE_PREFIX = r"(?!(?:BC|BDC|PO|CMD|CDE|AV|AVO|DOS|DOSS|CT|CTR|REF|LN|AGR|CN|CR|DEV|SIN)\b)"
_INVOICE_CODE = re.compile(
    rf"(?<![\w-]){_NOT_INVOICE_PREFIX}(?P<ref>[A-Z]{{1,4}}[- ]?\d{{2,}}(?:[-/]\d+)*)(?![\w-])"
    rf"|(?<![\w-])(?i:{_NOT_INVOICE_PREFIX})(?P<ref2>[a-z]{{1,4}}-\d{{2,}}(?:[-/]\d+)*)(?![\w-])"
)
_INVOICE_WORD = re.compile(
    r"\b(?:factures?|invoices?)\s?"
    r"(?:(?:n°|n º|no\.?|n\.|nº|numero|number|num|ref\.?|reference|#)\s?)?"
    r"(?!(?:de|du|des|d|of|a|au|en|le|la|les|the)\b)"
    r"(?P<ref>[a-z]{0,4}[- ]?\d{3,}(?:[-/]\d+)*)\b(?!\s?(?:€|£|\$|euros?|pounds?|eur\b|k\b))"
    r"|(?:\bn°|\bn º|\bnº|\bnumero|\bno\.|#)\s?(?P<ref2>[a-z]{0,4}-?\d{3,}(?:[-/]\d+)*)\b"
)
#: A bare « n° 8812 » after one of these is not an invoice number.
_NOT_INVOICE_BEFORE = re.compile(
    r"\b(?:dossiers?|commandes?|bons?|bc|avoirs?|contrats?|contracts?|accords?|agreements?|"
    r"files?|orders?|po|clients?|customers?|accounts?|comptes?|mandats?|sinistres?|"
    r"tickets?|cases?|lots?|releves?|statements?|credit notes?|loans?|prets?|claims?|"
    r"devis|quotes?)\b\W*(?:\w+\W+)?$"
)
_INSTALMENTS = re.compile(
    r"\b(?:en|in|sur|over|pendant|for)\s(?P<n>\d+)\s(?:fois|versements?|mensualites|echeances|"
    r"paiements|prelevements|tranches|instalments|installments|payments|goes|parts|"
    r"monthly (?:payments|instalments|installments))\b"
    r"|\b(?P<n2>\d+)\s(?:mensualites|echeances|versements|prelevements(?: mensuels)?|paiements|"
    r"virements|cheques|tranches|monthly payments|monthly instalments|monthly installments|"
    r"instalments|installments|payments|transfers|cheques|fois sans frais|"
    r"fois(?=\s?(?:\d|de \d|sans frais|par mois)))\b"
    r"(?!\s(?:(?:ont|sont|have|were|got|been|ete)\s)*(?:rejet|impaye|refuse|retourne|revenu|"
    r"manque|echoue|en retard|bounced|returned|failed|missed|rejected|declined|unpaid|late))"
    r"|\b(?P<n3>\d+)\s?x\b(?:\s?sans frais)?"
    r"|\b(?P<one>en une (?:seule )?fois|in (?:one|a single) (?:go|payment|instalment))\b"
)
_MEANS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "direct_debit",
        _rx(
            r"\b(?:prelevements?(?: automatiques?| sepa| mensuels?)?|mandat sepa|prelever|"
            r"preleve|prelevee|direct debits?|dd mandate)\b"
        ),
    ),
    (
        "transfer",
        _rx(
            r"\b(?:virements?(?: bancaires?| sepa| instantanes?)?|virer|virez|vire|"
            r"(?:bank |wire |online |electronic )?transfers?|wire|bacs|faster payments?|chaps|"
            r"standing order)\b"
        ),
    ),
    (
        "cheque",
        _rx(
            r"\bcheques?\b|\b(?:by|a|the|your|my|send|post|mail|write|paper|bank)\s"
            r"checks?\b|\bchecks? (?:for|of)\b"
        ),
    ),
    (
        "card",
        _rx(
            r"\b(?:cb|(?:par |en )?carte(?: bancaire| bleue| de credit| visa| mastercard)?|"
            r"(?:by )?(?:credit |debit |bank )?cards?(?: payments?)?|pay by card)\b"
        ),
    ),
    ("cash", _rx(r"\b(?:especes|en liquide|argent liquide|cash)\b(?![\s-]?flows?\b|\s?position)")),
)

_PRIORITY: dict[str, int] = {
    "invoice": 0,
    "amount": 1,
    "date": 2,
    "instalments": 3,
    "means": 4,
    "amount_cued": 5,
}


@dataclass(slots=True)
class _Cand:
    kind: EntityKind
    rank: int
    a: int
    b: int
    value: float | int | str
    currency: str | None = None


def extract(
    text: str,
    lang: str,
    call_date: dt.date | None = None,
    *,
    digits: MappedText | None = None,
) -> tuple[Entity, ...]:
    """The entities of ``text``, in text order, with spans in ``text``'s coordinates."""
    today = call_date or dt.date.today()
    base = digits if digits is not None else digitise(text, lang)
    low = normalise(base, fuzzy=False)
    cased = normalise(base, lower=False, fuzzy=False)
    s, c = low.text, cased.text
    cands: list[_Cand] = []
    tense_at = _tense_flags(s)

    for m in _INVOICE_CODE.finditer(c):
        ref = m.group("ref") or m.group("ref2")
        start = m.start("ref") if m.group("ref") else m.start("ref2")
        if _NOT_INVOICE_BEFORE.search(s, max(0, start - 30), start):
            continue
        if sum(ch.isdigit() for ch in ref) >= 3 and not re.match(r"(?:EUR|GBP|USD)\b", ref):
            cands.append(_Cand("invoice", 0, start, start + len(ref), ref))
    for m in _INVOICE_WORD.finditer(s):
        group = "ref" if m.group("ref") else "ref2"
        if group == "ref2" and _NOT_INVOICE_BEFORE.search(s, max(0, m.start() - 30), m.start()):
            continue
        ref = c[m.start(group) : m.end(group)]
        cands.append(_Cand("invoice", 0, m.start(), m.end(), ref.strip()))

    for regex in (_AMOUNT_AFTER, _AMOUNT_BEFORE):
        for m in regex.finditer(s):
            value = _parse_number(m.group("num"), lang)
            if value is None:
                continue
            cur = _CURRENCIES.get(m.group("cur").strip(), "EUR")
            value = _scale(value, m.group("mult"))
            cands.append(_Cand("amount", 1, m.start(), m.end(), value, cur))
    for m in _AMOUNT_CUED.finditer(s):
        value = _parse_number(m.group("num"), lang)
        if value is not None and value >= 10:
            value = _scale(value, m.group("mult"))
            cands.append(_Cand("amount", 5, m.start("num"), m.end(), value, None))

    for rule in _DATE_RULES:
        for m in rule.regex.finditer(s):
            if rule.resolve is _r_day and _ordinal_noun(m, s):
                continue  # « le troisième engagement »
            try:
                when = rule.resolve(m, today, tense_at(m.start(), m.end()))
            except (KeyError, ValueError):
                when = None
            if when is not None:
                cands.append(_Cand("date", 2, m.start(), m.end(), when.isoformat()))

    for m in _INSTALMENTS.finditer(s):
        raw = m.group("n") or m.group("n2") or m.group("n3")
        n = 1 if m.group("one") else int(raw)
        if 1 <= n <= 60:
            cands.append(_Cand("instalments", 3, m.start(), m.end(), n))

    for code, regex in _MEANS:
        for m in regex.finditer(s):
            cands.append(_Cand("means", 4, m.start(), m.end(), code))

    accepted: list[_Cand] = []
    for cand in sorted(cands, key=lambda k: (k.rank, -(k.b - k.a), k.a)):
        if any(cand.a < o.b and o.a < cand.b for o in accepted):
            continue
        accepted.append(cand)
    accepted.sort(key=lambda k: k.a)

    default_cur = next((k.currency for k in accepted if k.currency), None)
    default_cur = default_cur or ("EUR" if lang == "fr" else "GBP")
    out: list[Entity] = []
    for cand in accepted:
        start, end = low.span(cand.a, cand.b)
        currency = cand.currency or (default_cur if cand.kind == "amount" else None)
        out.append(Entity(cand.kind, cand.value, Span(start, end, text[start:end]), currency))
    return tuple(out)


#: Right before a date: it is being recalled (« la facture du 2 octobre », "dated").
_RECALL_CUE = re.compile(r"\b(?:du|en date du|datee?s? du|dated(?: the)?|of(?: the)?)\s*$")
#: Right before a date: it lies in the past (« échue le », "was due on", "arrived on").
_PAST_CUE = re.compile(
    r"(?:\b(?:depuis(?: le)?|echue?s? (?:le|au|depuis le)|echeance (?:du|le|au)|"
    r"emise? le|envoyee?s? le|recue?s? le|since(?: the)?|due (?:on|since)(?: the)?|"
    r"fell due on(?: the)?)|\b(?!schedul|plann|expect|arrang|book|fix|agreed)\w{3,}(?<!e)ed "
    r"(?:on|in)(?: the)?)\s*$"
)
#: In the clause before a date: a proposal, a deadline or a commitment (« je vous propose
#: le 15 », « d'ici le 5 », "by the 5th", "is due on"): the next occurrence.
_FUTURE_CUE = re.compile(
    r"\b(?:propos\w*|d'ici|(?<!d')avant|jusqu'|a partir|a compter|prochaine?s?|je note|noter|"
    r"compter sur|pouvez|pourriez|pourrez|pourrions|pourrons|allez|vais|serait|sera|ferez|"
    r"ferons|ferai|prevoir|reporter|accord pour|ok pour|attendre|"
    r"by|before|until|from|will|shall|'ll|offer|suggest|next|wait|"
    r"(?:is|are|be|becomes?) due)\b"
)
#: A passé composé or an English perfect in the clause before a date.
_PAST_TENSE = re.compile(
    r"\b(?:ai|as|a|avons|avez|ont|avait|avaient)\s(?:(?:bien|deja|pas|jamais|toujours|ete)\s)*"
    r"\w{2,}(?:e|ee|es|ees|i|is|it|u|us)\b(?!\s(?:a|de)\s(?:payer|regler))"
    r"|\b(?:est|sont|etait|etaient)\s(?:(?:bien|deja|jamais)\s)*(?:arrivee?s?|partie?s?|"
    r"revenue?s?|passee?s?|tombee?s?|parvenue?s?)\b"
    r"|\b(?:have|has|had)\s(?:(?:already|never|not|just)\s)*\w{2,}(?:ed|en|nt|id|ne)\b"
)
#: Windows (days back) inside which a date counts as past without a cue of its own.
_RECALL_DAYS = 183
_RECENT_DAYS = 45


_AFTER_ORDINAL = frozenset(
    [
        "de",
        "du",
        "des",
        "d",
        "of",
        "et",
        "ou",
        "and",
        "or",
        "au",
        "aux",
        "a",
        "pour",
        "prochain",
        "courant",
        "dernier",
        "next",
        "this",
        "at",
        "by",
        "le",
        "la",
        "si",
        "ou",
        "sur",
        "in",
    ]
)


def _ordinal_noun(m: re.Match[str], s: str) -> bool:
    """Whether an ordinal day (« le 3e ») is followed by a noun, not used as a date."""
    if "ord" not in m.re.groupindex or not m.group("ord"):
        return False
    nxt = re.match(r"\s([a-z]+)", s[m.end() :])
    return nxt is not None and nxt.group(1) not in _AFTER_ORDINAL and len(nxt.group(1)) > 2


def _tense_flags(s: str) -> Callable[[int, int], str]:
    """The tense around a date at ``[a, b)``: past, future, recalled, soft or none.

    A cue in the date's own clause decides (« la facture du 2 octobre », « échue le »,
    "we sent it on" → ``past``; « je vous propose », « d'ici le », "by" → ``future``); a
    past tense elsewhere in the sentence only makes a recent date past (``soft``), so an
    earlier date in the sentence does not shift later ones.
    """
    bounds = [0] + [m.end() for m in re.finditer(r"[.!?;]+(?:\s|$)", s)] + [len(s) + 1]

    def tense(a: int, b: int) -> str:
        sent_a, sent_b = 0, len(s)
        for lo, hi in itertools.pairwise(bounds):
            if lo <= a < hi:
                sent_a, sent_b = lo, min(hi, len(s))
                break
        digit = re.search(r"\d", s[a:b])
        head = a + digit.start() if digit else a
        cut = max(s.rfind(ch, sent_a, a) for ch in ",:(")
        clause_a = max(sent_a, cut + 1)
        before = s[clause_a:head]
        if _FUTURE_CUE.search(before):
            return "future"
        near = s[max(clause_a, head - 30) : head]
        if _PAST_CUE.search(near) or _PAST_RE.search(before) or _PAST_TENSE.search(before):
            return "past"
        if _RECALL_CUE.search(near):
            return "recalled"
        clause_b = min((i for i in (s.find(",", b, sent_b),) if i >= 0), default=sent_b)
        if _PAST_RE.search(s, b, clause_b) or _PAST_TENSE.search(s, b, clause_b):
            return "past"
        if _PAST_RE.search(s, sent_a, sent_b):
            return "soft"
        return "none"

    return tense
