"""Utterance analyzer: one trainee reply → act labels, entities, wording flags, register.

Rule-based on purpose (fast, explainable, no model to download): the phrases live in the
per-language lexicons (:mod:`scoring.lexicon`), this module only applies them.

1. Number words become digits and entities are extracted (:mod:`scoring.entities`).
2. Three *views* of the utterance are matched: the normalised text, the same text with
   each entity replaced by a placeholder (``{amount}``, ``{date}``…) for patterns that
   name one, and a case-preserving copy for patterns that need capitals (company names).
3. Each match is filtered by its own pattern's options: negation (« je ne vais pas
   appeler votre employeur »), reported speech (« vous m'aviez dit que… »), question or
   assertion, and ``unless`` / ``requires`` cues. Negation is per pattern, so « je ne peux
   pas accepter » stays firmness and « sans règlement, le dossier partira… » consequence.
4. The boundary rules of ``shared/spec/acts.md`` are applied as code (:func:`_apply_rules`).
5. One :class:`~scoring.types.Act` per label is kept, with its best evidence.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from scoring.entities import digitise, extract
from scoring.lexicon import (
    Lexicon,
    MappedText,
    Pattern,
    ViewName,
    load_lexicon,
    normalise,
    placeholder_token,
    replace_spans,
)
from scoring.types import Act, Analysis, Entity, Lang, Register, Span, WordingFlag

__all__ = ["analyze", "model_features"]


_ABBREVIATIONS = ("m", "mr", "ms", "dr", "st", "no", "n", "mme", "mrs", "me")
_NOT_ABBREV = "".join(rf"(?<![\s.]{a})(?<!^{a})" for a in _ABBREVIATIONS)
_SENTENCE_END = re.compile(rf"[!?;…]+|{_NOT_ABBREV}\.+(?=\s|$)|\n+|$")
_SEGMENT_BREAK = re.compile(r",\s|:\s?|\s[-–]\s|\(|\)|\"")
_WORD = re.compile(r"[\w']+|[{][a-z]+[}]")
#: A sentence with no punctuation mark at all: what a speech recogniser writes.
_UNPUNCTUATED = re.compile(r"[^.,;:?!…\"()]*")

#: Labels that answer a question themselves, so the question is not also open/closed.
_QUESTION_OWNERS = (
    "verify_interlocutor",
    "written_confirmation",
    "closing",
    "consequence",
    "firmness",
    "commitment_request",
    "proposal",
    "reformulation",
    "aggressive",
    "summary",
    "abusive_threat",
)
#: Owners that leave no room for any question label at all.
_STRONG_OWNERS = frozenset(
    {
        "verify_interlocutor",
        "aggressive",
        "abusive_threat",
        "summary",
        "written_confirmation",
        "closing",
        "reformulation",
    }
)
#: Entity kinds that are "terms" of a payment (what a proposal puts on the table).
_TERMS = ("amount", "date", "means", "instalments")


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    question: bool
    q_start: int  # where the question part starts (== end when not a question)


@dataclass(slots=True)
class _View:
    """One matchable rendering of the utterance, with its sentences and segments."""

    mapped: MappedText
    sentences: list[_Sentence]
    segments: list[tuple[int, int]]

    @property
    def text(self) -> str:
        return self.mapped.text


@dataclass(slots=True)
class _Hit:
    label: str
    start: int  # original coordinates
    end: int
    conf: float
    sentence: int  # index in the plain view's sentences
    in_question: bool
    source: str = "rule"


def _build_view(mapped: MappedText, lex: Lexicon) -> _View:
    text = mapped.text
    sentences: list[_Sentence] = []
    segments: list[tuple[int, int]] = []
    question_start = lex.cue("question_start")
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if end <= pos and m.start() < len(text):
            continue
        raw_start = pos
        while raw_start < end and text[raw_start] in " \n":
            raw_start += 1
        if raw_start >= end:
            pos = max(end, pos)
            if end >= len(text):
                break
            continue
        segs = _segments(text, raw_start, end, lex)
        body = text[raw_start:end]
        is_q = "?" in m.group()
        q_start = end
        inner = lex.cue("question_inner")
        if is_q:
            q_start = raw_start
            for a, _b in segs:
                if question_start.match(text, a):
                    q_start = a
                    break
            else:
                # No clause opens like a question: the interrogative inside tells where
                # the question starts (unpunctuated speech: « … échue le 5 est-ce que… »).
                found = inner.search(text, raw_start, end)
                if found is not None:
                    q_start = found.start()
        else:
            first = segs[0][0] if segs else raw_start
            strong = lex.cue("question_strong")
            if strong.match(text, first) and len(_WORD.findall(body)) >= 3:
                is_q, q_start = True, first
                found = inner.search(text, raw_start, end)
                if found is not None and found.start() > first:
                    q_start = found.start()
            elif _UNPUNCTUATED.fullmatch(body):
                # Speech as a recogniser writes it, with no punctuation at all: the question
                # is told by its words (« … est-ce que vous avez reçu la facture »), or by a
                # tag at the end (« … c'est bien ça », "… right").
                found = lex.cue("question_spoken").search(text, raw_start, end)
                if found is not None:
                    is_q, q_start = True, found.start()
                elif lex.cue("question_tail").search(text, raw_start, end):
                    clause = [a for a, _ in segs if a < end] or [raw_start]
                    is_q, q_start = True, clause[-1]
        sentences.append(_Sentence(raw_start, end, is_q, q_start))
        segments.extend(segs)
        pos = end
        if end >= len(text):
            break
    return _View(mapped, sentences, segments)


def _segments(text: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    cuts = [start]
    for m in _SEGMENT_BREAK.finditer(text, start, end):
        cuts.append(m.end())
    for m in lex.cue("segment_break").finditer(text, start, end):
        cuts.append(m.start())
    cuts.append(end)
    cuts = sorted(set(cuts))
    out: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(cuts):
        while a < b and text[a] == " ":
            a += 1
        if a < b:
            out.append((a, b))
    return out


def _segment_of(view: _View, pos: int) -> tuple[int, int]:
    for a, b in view.segments:
        if a <= pos < b:
            return a, b
    return 0, len(view.text)


def _negated(view: _View, start: int, lex: Lexicon) -> bool:
    """Whether a negation governs the words starting at ``start`` (same clause)."""
    seg_start, _ = _segment_of(view, start)
    text = view.text
    window_start = seg_start
    cond = None
    for m in lex.cue("conditional").finditer(text, seg_start, start):
        cond = (m, 2)
    for m in lex.cue("conditional_nominal").finditer(text, seg_start, start):
        if cond is None or m.start() > cond[0].start():
            cond = (m, 1)
    negation = lex.cue("negation")
    if cond is not None:
        m, nth = cond
        subjects = list(lex.cue("subject").finditer(text, m.end(), start))
        if len(subjects) >= nth:
            window_start = subjects[nth - 1].start()
        else:
            # The negation, if any, belongs to the condition; look before it only.
            return bool(_window_has(negation, text, seg_start, m.start()))
    return _window_has(negation, text, window_start, start)


def _window_has(cue: re.Pattern[str], text: str, a: int, b: int) -> bool:
    words = list(_WORD.finditer(text, a, b))
    if len(words) > 7:
        a = words[-7].start()
    return cue.search(text, a, b) is not None


def _reported(view: _View, start: int, lex: Lexicon) -> bool:
    seg_start, _ = _segment_of(view, start)
    sent_start = next((s.start for s in view.sentences if s.start <= start < s.end), seg_start)
    return lex.cue("reported").search(view.text, sent_start, start) is not None


def _sentence_index(
    sentences: Sequence[_Sentence], orig_sents: Sequence[tuple[int, int]], o: int
) -> int:
    for i, (a, b) in enumerate(orig_sents):
        if a <= o < b:
            return i
    return max(0, len(sentences) - 1)


#: Set by the training script to measure the rules alone.
_NO_MODEL = False
_MODEL_DIR = Path(__file__).with_name("lexicons")
_DIGITS = re.compile(r"\d+")
_MODEL_WORD = re.compile(r"[a-z0-9]+'?|[?]")


@functools.lru_cache(maxsize=256)
def _plain_text(text: str) -> str:
    """The normalised form of a debtor's line (cached: each is read several times)."""
    return normalise(MappedText.identity(text)).text


def model_features(norm: str, context: str | None = None) -> list[str]:
    """Word, word-pair and character 4-gram features of a normalised, digitised text.

    Shared by the statistical component below and by ``bench/train_acts_model.py``.
    """
    words = _MODEL_WORD.findall(_DIGITS.sub("0", norm))
    feats = {"w:" + w for w in words}
    feats.update(f"b:{a}_{b}" for a, b in itertools.pairwise(["^", *words]))
    joined = f" {' '.join(words)} "
    feats.update("c:" + joined[i : i + 4] for i in range(len(joined) - 3))
    if context:
        cwords = _MODEL_WORD.findall(_DIGITS.sub("0", _plain_text(context)))
        feats.update("x:" + w for w in cwords)
    return sorted(feats)


@dataclass(frozen=True, slots=True)
class _Model:
    labels: tuple[str, ...]
    bias: tuple[float, ...]
    thresholds: tuple[float, ...]
    #: feature → one weight per label (dense, so that scoring is a column sum).
    weights: dict[str, tuple[float, ...]]


@functools.cache
def _load_model(lang: str) -> _Model | None:
    """The weights of ``lang`` (``lexicons/model.<lang>.json``), or ``None`` if absent."""
    path = _MODEL_DIR / f"model.{lang}.json"
    if not path.exists():
        return None
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    labels = tuple(data["labels"])
    n = len(labels)
    quant = float(data["quant"])
    flat = [v / quant for v in data["weights"]]
    weights = {
        feature: tuple(flat[i * n : (i + 1) * n]) for i, feature in enumerate(data["features"])
    }
    return _Model(
        labels,
        tuple(float(b) for b in data["bias"]),
        tuple(float(t) for t in data["thresholds"]),
        weights,
    )


def _model_scores(model: _Model, feats: Sequence[str]) -> list[float]:
    get = model.weights.get
    rows = [row for row in map(get, feats) if row is not None]
    if not rows:
        return list(model.bias)
    return [b + sum(col) for b, col in zip(model.bias, zip(*rows, strict=True), strict=True)]


def _model_hits(
    model: _Model,
    norm: str,
    context: str | None,
    plain: _View,
    orig_sents: Sequence[tuple[int, int]],
    found: set[str],
) -> list[_Hit]:
    """Labels the rules missed that the statistical component is confident about."""
    z = _model_scores(model, model_features(norm, context))
    out: list[_Hit] = []
    per_sentence: list[list[float]] | None = None
    for i, label in enumerate(model.labels):
        if label in found or z[i] < model.thresholds[i] or not plain.sentences:
            continue
        # Evidence: the sentence whose own features weigh most for the label.
        if per_sentence is None:
            per_sentence = [
                _model_scores(model, model_features(plain.text[s.start : s.end]))
                for s in plain.sentences
            ]
        best = max(range(len(per_sentence)), key=lambda si: per_sentence[si][i])
        a, b = orig_sents[best]
        sent = plain.sentences[best]
        out.append(_Hit(label, a, b, 0.55, best, sent.question, "model"))
    return out


def analyze(
    text: str,
    lang: str = "fr",
    context: str | None = None,
    *,
    call_date: dt.date | None = None,
    lexicon_paths: Sequence[Path] = (),
) -> Analysis:
    """Analyse one trainee utterance.

    ``context`` is what the debtor said just before (it tells terms the debtor offered
    from new ones); ``call_date`` resolves relative dates (default: today);
    ``lexicon_paths`` are trainer lexicon files that extend the built-in one.
    """
    return _analyze(text, lang, context, call_date, lexicon_paths)[0]


def _analyze(
    text: str,
    lang: str,
    context: str | None,
    call_date: dt.date | None,
    lexicon_paths: Sequence[Path],
) -> tuple[Analysis, list[_Hit]]:
    """:func:`analyze`, with the hits that survived the rules (for debugging)."""
    lang = lang if lang in ("fr", "en") else "fr"
    lex = load_lexicon(lang, tuple(Path(p) for p in lexicon_paths))
    today = call_date or dt.date.today()
    digits = digitise(text, lang)
    entities = extract(text, lang, today, digits=digits)

    plain_m = lex.expand(normalise(digits))
    masked_m = _mask(plain_m, entities)
    plain = _build_view(plain_m, lex)
    masked = _build_view(masked_m, lex)

    orig_sents = [plain_m.span(s.start, s.end) for s in plain.sentences]
    q_starts = [
        plain_m.span(s.q_start, s.q_start + 1)[0] if s.question else 1 << 30
        for s in plain.sentences
    ]

    views: dict[ViewName, _View] = {"plain": plain, "masked": masked}
    hits: list[_Hit] = []
    # Case-sensitive patterns (company names) are few: their triggers are tried on the
    # lower-case text, and the case-preserving view is built only when one may match.
    texts: dict[ViewName, str] = {"plain": plain.text, "masked": masked.text, "cased": plain.text}
    for i in lex.candidates(texts):
        pat = lex.patterns[i]
        if pat.cased and "cased" not in views:
            cased_m = lex.expand(normalise(digits, lower=False))
            views["cased"] = _View(cased_m, plain.sentences, plain.segments)
        view = views["masked" if pat.masked else "cased" if pat.cased else "plain"]
        _match(pat, view, lex, plain, masked, orig_sents, q_starts, hits)

    model = _load_model(lang) if not _NO_MODEL else None
    if model is not None:
        hits.extend(
            _model_hits(model, plain_m.text, context, plain, orig_sents, {h.label for h in hits})
        )

    hits = _apply_rules(
        hits, lex, plain, masked, orig_sents, q_starts, entities, context, lang, today
    )
    acts = _best_acts(hits, text)
    analysis = Analysis(
        text=text,
        lang=cast(Lang, lang),
        acts=acts,
        entities=entities,
        wording=_wording(plain, lex, text),
        register=_register(plain.text, lex) if lang == "fr" else "unknown",
    )
    return analysis, hits


def _match(
    pat: Pattern,
    view: _View,
    lex: Lexicon,
    plain: _View,
    masked: _View,
    orig_sents: Sequence[tuple[int, int]],
    q_starts: Sequence[int],
    hits: list[_Hit],
) -> None:
    """Append the hits of one pattern that pass its own filters."""
    for m in pat.regex.finditer(view.text):
        if m.end() == m.start():
            continue
        if pat.negation and _negated(view, m.start(), lex):
            continue
        if pat.reported and _reported(view, m.start(), lex):
            continue
        o_start, o_end = view.mapped.span(m.start(), m.end())
        si = _sentence_index(plain.sentences, orig_sents, o_start)
        in_q = bool(plain.sentences) and o_start >= q_starts[si]
        if pat.question == "only" and not in_q:
            continue
        if pat.question == "never" and in_q:
            continue
        if pat.unless is not None and _sentence_matches(
            pat.unless, (o_start, o_end), (plain, masked)
        ):
            continue
        if pat.requires is not None and not (
            pat.requires.search(plain.text) or pat.requires.search(masked.text)
        ):
            continue
        hits.append(_Hit(pat.label, o_start, o_end, pat.conf, si, in_q, pat.source))


def _mask(plain: MappedText, entities: Sequence[Entity]) -> MappedText:
    """``plain`` with every entity replaced by its placeholder (``{amount}``…)."""
    repl: list[tuple[int, int, str]] = []
    starts, ends = plain.starts, plain.ends
    for ent in entities:
        # Characters map to non-decreasing source offsets: the entity's characters are the
        # run that starts at the first one inside its span.
        first = bisect.bisect_left(starts, ent.span.start)
        last = first
        while last < len(starts) and ends[last] <= ent.span.end:
            last += 1
        if last > first:
            repl.append((first, last, placeholder_token(ent.kind)))
    return replace_spans(plain, repl) if repl else plain


def _sentence_matches(
    regex: re.Pattern[str], orig: tuple[int, int], views: Sequence[_View]
) -> bool:
    """Whether ``regex`` matches in the sentence covering ``orig`` in any view."""
    for view in views:
        for s in view.sentences:
            a, b = view.mapped.span(s.start, s.end)
            if a <= orig[0] < max(b, a + 1) and regex.search(view.text, s.start, s.end):
                return True
    return False


@functools.lru_cache(maxsize=512)
def _context_terms(context: str, lang: str, today: dt.date) -> frozenset[tuple[str, str]]:
    """The payment terms the debtor's previous line mentions (cached: turns repeat)."""
    return frozenset(_terms_key(e) for e in extract(context, lang, today) if e.kind in _TERMS)


def _terms_key(ent: Entity) -> tuple[str, str]:
    value = ent.value
    if ent.kind == "amount" and isinstance(value, float):
        return ent.kind, f"{value:.2f}"
    return ent.kind, str(value)


def _apply_rules(
    hits: list[_Hit],
    lex: Lexicon,
    plain: _View,
    masked: _View,
    orig_sents: Sequence[tuple[int, int]],
    q_starts: Sequence[int],
    entities: Sequence[Entity],
    context: str | None,
    lang: str,
    today: dt.date,
) -> list[_Hit]:
    """The boundary cases of acts.md, as rules over the raw hits."""

    def labels_in(si: int) -> set[str]:
        return {h.label for h in hits if h.sentence == si}

    def drop(label: str, si: int | None = None) -> None:
        hits[:] = [h for h in hits if not (h.label == label and si in (None, h.sentence))]

    def add(label: str, si: int, start: int, conf: float = 0.7) -> None:
        if label not in labels_in(si):
            hits.append(_Hit(label, start, orig_sents[si][1], conf, si, True))

    def sentence_text(si: int, view: _View = plain) -> str:
        a, b = orig_sents[si]
        for s in view.sentences:
            sa, _ = view.mapped.span(s.start, s.end)
            if a <= sa < max(b, a + 1):
                return view.text[s.start : s.end]
        return ""

    def terms_in(si: int) -> list[Entity]:
        a, b = orig_sents[si]
        return [e for e in entities if e.kind in _TERMS and a <= e.span.start < b]

    context_terms: set[tuple[str, str]] = set()
    context_agrees = False
    if context:
        context_terms = set(_context_terms(context, lang, today))
        context_agrees = lex.cue("agreement").search(_plain_text(context)) is not None

    # The statistical component's threat does not stand in a turn that denies threatening
    # (« je ne vous menace pas, je vous informe : une mise en demeure partira ») or rules a
    # step out ("we're nowhere near that"); threats the rules found still do.
    if lex.cue("denial").search(plain.text) or lex.cue("not_threatening").search(plain.text):
        hits[:] = [h for h in hits if not (h.label == "abusive_threat" and h.source == "model")]
    _disclosure_threats(hits, lex, plain)

    # Rule 6: an unlawful threat is not also the lawful act its words overlap with
    # (« un commissaire de justice passe saisir… » is not a consequence), and a mere
    # « si vous ne payez pas, … » frame around a threat is not a consequence either.
    threats = [h for h in hits if h.label == "abusive_threat" and h.source != "model"]
    if threats:
        threat_sentences = {t.sentence for t in threats}
        hits[:] = [
            h
            for h in hits
            if h.label in ("abusive_threat", "aggressive")
            or not (
                any(h.start < t.end and t.start < h.end for t in threats)
                or (h.label == "consequence" and h.conf <= 0.6 and h.sentence in threat_sentences)
            )
        ]
    aggressive = any(h.label == "aggressive" for h in hits)
    wrapping_up = any(h.label in ("written_confirmation", "closing") for h in hits)

    for si, sent in enumerate(plain.sentences):
        labels = labels_in(si)
        a, b = orig_sents[si]
        q_plain = plain.text[sent.q_start : sent.end] if sent.question else ""
        terms = terms_in(si)

        # Rule 1: checking who one speaks to is only verify_interlocutor.
        if "verify_interlocutor" in labels:
            for label in ("closed_question", "open_question", "commitment_request", "proposal"):
                drop(label, si)
            if sent.question:
                hits[:] = [
                    h
                    for h in hits
                    if not (h.label == "identification" and h.sentence == si and h.in_question)
                ]
            labels = labels_in(si)

        # Rule 2: a question putting terms on the table asks for a commitment; new terms
        # (not offered by the debtor in ``context``) also make it a proposal, unless the
        # question asks for the debtor's own figure (« quel montant… », "how much…").
        if sent.question and terms and not labels & {"verify_interlocutor", "open_question"}:
            q_masked = sentence_text(si, masked)
            offer = lex.cue("terms_offer").search(q_masked) is not None
            new_terms = [
                e
                for e in terms
                if _terms_key(e) not in context_terms
                and not (e.kind == "date" and e.value == today.isoformat())
            ]
            wh = lex.cue("asks_figure").search(q_plain) is not None
            if offer:
                add("commitment_request", si, q_starts[si])
                if new_terms and not wh:
                    add("proposal", si, q_starts[si])
            if context_terms and not new_terms and "proposal" in labels:
                drop("proposal", si)
                add("commitment_request", si, q_starts[si])
            labels = labels_in(si)
        # The debtor just agreed: asking to set it up is a request, not a new offer.
        if sent.question and context_agrees and "commitment_request" in labels:
            drop("proposal", si)
            labels = labels_in(si)

        # « Ça vous irait ? » after an offer asks the debtor to commit to it.
        if (
            sent.question
            and si > 0
            and "proposal" in labels_in(si - 1)
            and lex.cue("back_reference").search(q_plain)
        ):
            add("commitment_request", si, q_starts[si])
            labels = labels_in(si)

        # Restating the debtor's situation (« autrement dit, tant que… ») states no
        # consequence of ours.
        if "reformulation" in labels and "consequence" in labels:
            drop("consequence", si)
            labels = labels_in(si)

        # A recap (or its written confirmation) restates terms: no new proposal, and the
        # facts it mentions are not reminders; a recap asked for confirmation is a request.
        # A recap only the statistical component saw does not outweigh an offer the rules
        # found (« so I can offer £200 on Friday and £200 on the 30th »).
        rule_recap = any(
            h.label in ("summary", "written_confirmation")
            and h.sentence == si
            and h.source != "model"
            for h in hits
        )
        if "proposal" in labels and not rule_recap:
            hits[:] = [
                h
                for h in hits
                if not (h.label == "summary" and h.sentence == si and h.source == "model")
            ]
            labels = labels_in(si)
        # Stating the facts without the debtor's agreement is no recap, whatever the
        # statistical component guesses (« It's invoice INV-30417, £2,340, due on 30 October »).
        if (
            "summary" in labels
            and "fact_reminder" in labels
            and not context_agrees
            and all(h.source == "model" for h in hits if h.label == "summary" and h.sentence == si)
        ):
            drop("summary", si)
            labels = labels_in(si)
        if labels & {"summary", "written_confirmation"}:
            drop("proposal", si)
        if "summary" in labels:
            drop("fact_reminder", si)
            # A recap asked for confirmation (« je note donc 950 vendredi par virement,
            # c'est bien ça ? ») is both; a single term noted back is only the request.
            if "commitment_request" in labels and len(terms) < 3:
                drop("summary", si)
        labels = labels_in(si)

        # After the debtor agreed, restating two terms or more is a recap.
        if (
            context_agrees
            and not sent.question
            and len({e.kind for e in terms}) >= 2
            and not labels & {"proposal", "commitment_request", "firmness", "summary"}
        ):
            hits.append(_Hit("summary", a, b, 0.6, si, False))
            labels = labels_in(si)

        # A wrap-up sentence (« donc 950 vendredi par virement », "so we said $300 on the
        # 1st and $300 on the 15th, right?") restating two terms or more is a recap; a
        # check at its end (« …, c'est bien ça ? ») asks the debtor to confirm it.
        tagged = (len(terms) >= 2 or "summary" in labels) and (
            lex.cue("recap_tag").search(q_plain or sentence_text(si).rstrip(" .!")) is not None
        )
        if (
            len(terms) >= 2
            and "summary" not in labels
            and not labels & {"firmness", "consequence"}
            and not any(h.label == "proposal" and h.sentence == si and h.conf >= 0.8 for h in hits)
            and (not sent.question or tagged)
            and (
                lex.cue("recap_start").match(sentence_text(si, masked).lstrip())
                or (
                    lex.cue("recap_weak").match(sentence_text(si, masked).lstrip())
                    and (context_agrees or wrapping_up)
                )
            )
        ):
            drop("proposal", si)
            drop("reformulation", si)
            drop("fact_reminder", si)
            drop("closed_question", si)
            hits.append(_Hit("summary", a, b, 0.6, si, False))
            if tagged:  # acts.md rule 2: asking to confirm the agreement
                add("commitment_request", si, q_starts[si])
            labels = labels_in(si)

        elif "summary" in labels and tagged:
            add("commitment_request", si, q_starts[si])
            labels = labels_in(si)

        # Rules 1, 2, 5: a question owned by another act is not also open/closed.
        if labels & set(_QUESTION_OWNERS):
            # Generic question labels go; an explicit open question (« pourquoi… »,
            # « qu'est-ce qui vous a empêché… ») stays beside a commitment request.
            strong_owner = bool(labels & _STRONG_OWNERS)
            hits[:] = [
                h
                for h in hits
                if not (
                    h.sentence == si
                    and h.label in ("open_question", "closed_question")
                    and (h.source == "rule" or strong_owner or h.label == "closed_question")
                )
            ]
        elif (
            sent.question
            and not labels & {"open_question", "closed_question"}
            and not lex.cue("no_label_question").search(q_plain)
            and (len(_WORD.findall(q_plain)) >= 3 or lex.cue("open_form").search(q_plain))
        ):
            # An interrogative earlier in the same sentence (« C'était quel jour, et vous
            # avez eu un reçu ? ») makes the whole question open.
            wh = lex.cue("open_form").search(q_plain) is not None or (
                lex.cue("open_inner").search(sentence_text(si)) is not None
            )
            if not wh and _restates(sentence_text(si), context):
                # A yes/no question that repeats the debtor's own words checks what they
                # said (« Vous trouvez l'augmentation injustifiée, c'est pour ça… ? »).
                hits.append(_Hit("reformulation", a, b, 0.6, si, True, "restatement"))
            else:
                label = "open_question" if wh else "closed_question"
                hits.append(_Hit(label, q_starts[si], b, 0.6, si, True, "question form"))
        labels = labels_in(si)
        if "open_question" in labels and "closed_question" in labels:
            drop("closed_question", si)

        # Rule 6: posing as a bailiff or an authority is not an identification.
        if "abusive_threat" in labels and lex.cue("authority").search(sentence_text(si)):
            drop("identification", si)

    # Rule 5: with aggression in the turn, empathy words and restatements are sarcasm,
    # and questions are rhetorical.
    if aggressive:
        restating = {h.sentence for h in hits if h.label == "reformulation"}
        drop("empathy")
        drop("reformulation")
        hits[:] = [
            h
            for h in hits
            if not (h.label == "fact_reminder" and h.sentence in restating)
            and not (
                h.label in ("open_question", "closed_question")
                and h.source in ("rule", "question form")
            )
        ]
    # A yes/no question that only sets up a threat (« Vous avez des enfants ? Pensez à
    # eux… », "Are you a teacher? …") asks nothing: it belongs to the threat.
    threat_sentences = {h.sentence for h in hits if h.label == "abusive_threat"}
    if threat_sentences:
        hits[:] = [
            h
            for h in hits
            if not (
                h.label == "closed_question"
                and h.source == "question form"
                and (h.sentence in threat_sentences or h.sentence + 1 in threat_sentences)
            )
        ]
    return hits


def _disclosure_threats(hits: list[_Hit], lex: Lexicon, plain: _View) -> None:
    """Threats to tell someone around the debtor, and restated fears that are not threats.

    acts.md counts telling the employer, the family or the debtor's circle as an
    ``abusive_threat``. Any person or circle around the debtor (``disclosure_party``) with
    a verb of telling before it or of learning after it, in one sentence, is one, unless
    negated (« je ne vais pas appeler votre employeur », but « … pour l'instant » keeps
    it). The other way round, restating the debtor's fear or a rumour and denying it
    (« vous craignez que votre employeur… ça ne se fera pas ») is no threat, whatever
    words it repeats.
    """
    text = plain.text
    party, verb, teller, learns = (
        lex.cue("disclosure_party"),
        lex.cue("disclosure_verb"),
        lex.cue("disclosure_teller"),
        lex.cue("disclosure_learns"),
    )
    for_now = lex.cue("for_now").search(text) is not None
    for si, sent in enumerate(plain.sentences):
        body = text[sent.start : sent.end]
        if lex.cue("fear_restated").search(body):
            hits[:] = [h for h in hits if not (h.label == "abusive_threat" and h.sentence == si)]
            continue
        if any(h.label == "abusive_threat" and h.sentence == si for h in hits):
            continue
        for m in party.finditer(text, sent.start, sent.end):
            told = None
            for v in verb.finditer(text, max(sent.start, m.start() - 45), m.start()):
                told = v
            if (
                told is not None
                and (
                    not teller.search(text, sent.start, told.start())
                    # « je vous appelle pour la cotisation de votre fils »: the listener is told.
                    or text[max(sent.start, told.start() - 5) : told.start()].endswith(
                        ("vous ", "t'")
                    )
                )
            ):
                told = None
            # « on dit à nos salariés d'attendre que vos clients paient »: the person told is
            # ours; the debtor's circle only comes in the clause after « que ».
            if told is not None and _SUBORDINATE.search(text, told.end(), m.start()):
                told = None
            if told is None:
                told = learns.search(text, m.end(), min(sent.end, m.end() + 60))
            if told is None:
                continue
            if _negated(plain, min(told.start(), m.start()), lex) and not for_now:
                continue
            a, b = plain.mapped.span(min(told.start(), m.start()), max(told.end(), m.end()))
            hits.append(_Hit("abusive_threat", a, b, 0.8, si, sent.question, "disclosure"))
            break


_SUBORDINATE = re.compile(r"\b(?:que|qu'|that)\b")
_CONTENT_WORD = re.compile(r"[a-z0-9]{4,}")
#: Words too common in collection calls to show that a line repeats the debtor's.
_COMMON = frozenset(
    {
        "vous",
        "votre",
        "vos",
        "nous",
        "notre",
        "nos",
        "avec",
        "pour",
        "dans",
        "cette",
        "sont",
        "etait",
        "avez",
        "avait",
        "fait",
        "faire",
        "bien",
        "tout",
        "tous",
        "plus",
        "moins",
        "mais",
        "donc",
        "alors",
        "comme",
        "quand",
        "depuis",
        "encore",
        "juste",
        "your",
        "with",
        "that",
        "this",
        "have",
        "been",
        "were",
        "what",
        "they",
        "there",
        "about",
        "just",
        "from",
    }
)


def _restates(sentence: str, context: str | None) -> bool:
    """Whether ``sentence`` repeats enough of the debtor's previous line to restate it."""
    if not context:
        return False
    ctx = _plain_text(context)
    ctx_stems = {w[:5] for w in _CONTENT_WORD.findall(ctx) if w not in _COMMON}
    own = [w[:5] for w in _CONTENT_WORD.findall(sentence) if w not in _COMMON]
    if not own:
        return False
    shared = sum(1 for w in own if w in ctx_stems)
    return shared >= 2 and shared / len(own) >= 0.4


def _best_acts(hits: Sequence[_Hit], text: str) -> tuple[Act, ...]:
    best: dict[str, _Hit] = {}
    for hit in hits:
        cur = best.get(hit.label)
        if cur is None or hit.conf > cur.conf or (hit.conf == cur.conf and hit.start < cur.start):
            best[hit.label] = hit
    ordered = sorted(best.values(), key=lambda h: (h.start, h.label))
    return tuple(
        Act(h.label, Span(h.start, h.end, text[h.start : h.end]), round(h.conf, 2)) for h in ordered
    )


def _wording(view: _View, lex: Lexicon, text: str) -> tuple[WordingFlag, ...]:
    flags: list[tuple[int, int, WordingFlag]] = []
    for rule in lex.wording:
        for m in rule.regex.finditer(view.text):
            if rule.negation and _negated(view, m.start(), lex):
                continue
            start, end = view.mapped.span(m.start(), m.end())
            if any(f.polarity == rule.polarity and start < b and a < end for a, b, f in flags):
                continue
            flag = WordingFlag(
                rule.key, rule.polarity, Span(start, end, text[start:end]), rule.advice
            )
            flags.append((start, end, flag))
    return tuple(f for _, _, f in sorted(flags, key=lambda x: (x[0], x[1])))


def _register(text: str, lex: Lexicon) -> Register:
    tu = lex.cue("register_tu").search(text) is not None
    vous = lex.cue("register_vous").search(text) is not None
    if tu and vous:
        return "mixed"
    if tu:
        return "tu"
    if vous:
        return "vous"
    return "unknown"
