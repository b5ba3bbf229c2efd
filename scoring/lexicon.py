"""Lexicons of the utterance analyzer, and the text normalisation they match against.

The analyzer is rule-based: every act label, cue and wording flag is a regular expression
kept in ``scoring/lexicons/<lang>.yaml`` (the format is documented at the top of
``fr.yaml``). Trainers extend those files with their own, passed as ``lexicon_paths``;
nothing in the code names a phrase. Patterns are matched against a *normalised* copy of
the utterance (lower case, no accents, straight apostrophes, single spaces, hyphens
between letters as spaces, doubled letters collapsed to tolerate common typos); a
:class:`MappedText` keeps, for every normalised character, the original range it came
from, so that spans always point into the text the trainee typed or said.

Speed: each pattern knows literal substrings one of which every match contains (its
*triggers*, derived from the parsed regex); a plain ``in`` test on them decides which of
the several hundred patterns are worth running on an utterance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# The regex parser of the standard library (``sre_parse`` before Python 3.11), used to
# find the literals every match of a pattern contains.
from re import _constants as _sre_constants  # type: ignore[attr-defined]
from re import _parser as _sre_parser  # type: ignore[attr-defined]
from typing import Any, Literal

import yaml

from scoring.labels import LABEL_SET

LEXICON_DIR = Path(__file__).with_name("lexicons")

#: Entity kinds that a pattern may name as a placeholder (``{amount}``…).
PLACEHOLDERS = ("amount", "date", "means", "invoice", "instalments")

QuestionMode = Literal["any", "only", "never"]


class LexiconError(ValueError):
    """A lexicon file that cannot be used, with the file and entry at fault."""


# --------------------------------------------------------------------------- text


@dataclass(frozen=True, slots=True)
class MappedText:
    """A derived text whose every character knows the original range it stands for."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def identity(cls, text: str) -> MappedText:
        idx = tuple(range(len(text)))
        return cls(text, idx, tuple(i + 1 for i in idx))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` that the derived ``[start, end)`` stands for."""
        if not self.text:
            return 0, 0
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.ends[-1]
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def index_at(self, orig: int) -> int:
        """The first derived index whose original range ends after ``orig``."""
        for i, end in enumerate(self.ends):
            if end > orig:
                return i
        return len(self.text)


class _Builder:
    """Accumulates derived characters with their original ranges."""

    __slots__ = ("chars", "ends", "starts")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, chars: str, start: int, end: int) -> None:
        for ch in chars:
            self.chars.append(ch)
            self.starts.append(start)
            self.ends.append(end)

    def build(self) -> MappedText:
        return MappedText("".join(self.chars), tuple(self.starts), tuple(self.ends))


def replace_spans(src: MappedText, repl: Sequence[tuple[int, int, str]]) -> MappedText:
    """Replace the derived ranges ``[a, b)`` by strings (sorted, non-overlapping)."""
    out = _Builder()
    pos = 0
    for a, b, new in sorted(repl):
        if a < pos:
            continue
        for i in range(pos, a):
            out.add(src.text[i], src.starts[i], src.ends[i])
        start, end = src.span(a, b)
        out.add(new, start, end)
        pos = b
    for i in range(pos, len(src.text)):
        out.add(src.text[i], src.starts[i], src.ends[i])
    return out.build()


_APOSTROPHES = dict.fromkeys("’‘`´ʼʻ′", "'")
_QUOTES = dict.fromkeys("«»“”„‟", '"')
_SPECIAL = {"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss", "…": "...", "\u2013": "-"}
_SPACES = frozenset(" \t\r\n\u00a0\u202f\u2009\u2007\u200b")


def _fold_char(ch: str) -> str:
    """Accent-free, apostrophe- and quote-normalised form of one character."""
    if ch in _APOSTROPHES:
        return "'"
    if ch in _QUOTES:
        return '"'
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch in _SPACES:
        return " "
    if ord(ch) < 128:
        return ch
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)) or ch


def normalise(src: MappedText, *, lower: bool = True, fuzzy: bool = True) -> MappedText:
    """Fold accents, apostrophes, quotes and spaces; optionally lower-case and de-typo.

    ``fuzzy`` also turns hyphens between letters into spaces (« avez-vous » = « avez vous »)
    and collapses doubled letters (« apeller » = « appeler »), the same way as patterns are
    compiled, so both sides agree.
    """
    folded = _fold_same_length(src.text, lower)
    if folded is None:
        return _normalise_slow(src, lower=lower, fuzzy=fuzzy)
    if fuzzy:
        folded = _HYPHEN_IN_WORD.sub(" ", folded)
    drops: list[tuple[int, int]] = [(m.start(), m.end()) for m in _EXTRA_SPACES.finditer(folded)]
    extend: dict[int, int] = {}
    if fuzzy:
        for m in _DOUBLED.finditer(folded):
            drops.append((m.start() + 1, m.end()))
            extend[m.start()] = m.end() - 1
    if not drops:
        return MappedText(folded, src.starts, src.ends)
    drops.sort()
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = list(src.ends)
    for keep_at, last in extend.items():
        ends[keep_at] = src.ends[last]
    out_ends: list[int] = []
    pos = 0
    for a, b in drops:
        if a > pos:
            chars.append(folded[pos:a])
            starts.extend(src.starts[pos:a])
            out_ends.extend(ends[pos:a])
        pos = max(pos, b)
    if pos < len(folded):
        chars.append(folded[pos:])
        starts.extend(src.starts[pos:])
        out_ends.extend(ends[pos:])
    return MappedText("".join(chars), tuple(starts), tuple(out_ends))


_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_EXTRA_SPACES = re.compile(r"^ +| +$|(?<= ) +")
_DOUBLED = re.compile(r"([^\W\d_])\1+", re.IGNORECASE)
_ASCII_TABLE = str.maketrans({"`": "'", "\t": " ", "\r": " ", "\n": " "})
_FOLD_CACHE: dict[str, str] = {}


def _build_latin_table() -> dict[int, str]:
    table: dict[int, str] = {ord(k): v for k, v in (("`", "'"), ("\t", " "), ("\r", " "))}
    table[ord("\n")] = " "
    for code in range(0xA0, 0x250):
        table[code] = _fold_char(chr(code))
    for ch in "’‘´ʼʻ′«»“”„‟…\u2013\u00a0\u202f\u2009\u2007\u200b":
        table[ord(ch)] = _fold_char(ch)
    return table


_LATIN_TABLE = _build_latin_table()
_LATIN_MAX = max(_LATIN_TABLE)


def _fold_same_length(text: str, lower: bool) -> str | None:
    """The folded text when every character folds to exactly one (else ``None``)."""
    if text.isascii():
        out = text.translate(_ASCII_TABLE)
    elif ord(max(text)) <= _LATIN_MAX and all(
        ord(c) < 0x250 or ord(c) in _LATIN_TABLE for c in text if ord(c) > 0x24F
    ):
        out = text.translate(_LATIN_TABLE)
        if len(out) != len(text):
            return None
    else:
        parts: list[str] = []
        for ch in text:
            folded = _FOLD_CACHE.get(ch)
            if folded is None:
                folded = _FOLD_CACHE[ch] = _fold_char(ch)
            if len(folded) != 1:
                return None
            parts.append(folded)
        out = "".join(parts)
    if lower:
        low = out.lower()
        return low if len(low) == len(out) else None
    return out


def _normalise_slow(src: MappedText, *, lower: bool, fuzzy: bool) -> MappedText:
    """Character by character (characters that fold to several, e.g. « œ » → « oe »)."""
    out = _Builder()
    text = src.text
    n = len(text)
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        if lower:
            folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
        if folded == " ":
            if not out.chars or out.chars[-1] == " ":
                continue
        elif (
            fuzzy
            and ch == "-"
            and 0 < i < n - 1
            and text[i - 1].isalpha()
            and text[i + 1].isalpha()
        ):
            folded = " "
            if out.chars and out.chars[-1] == " ":
                continue
        for c in folded:
            if fuzzy and c.isalpha() and out.chars and out.chars[-1].lower() == c.lower():
                # Collapse a doubled letter, but extend the previous char's range.
                out.ends[-1] = src.ends[i]
                continue
            out.add(c, src.starts[i], src.ends[i])
    while out.chars and out.chars[-1] == " ":
        out.chars.pop()
        out.starts.pop()
        out.ends.pop()
    return out.build()


def fold_text(text: str, *, fuzzy: bool = True) -> str:
    """The normalised form of a plain string (used to compile patterns)."""
    return normalise(MappedText.identity(text), fuzzy=fuzzy).text


_DOUBLE_IN_PATTERN = re.compile(r"(?<!\\)([a-z])\1+")


def fold_pattern(pattern: str) -> str:
    """Normalise a regex the way texts are normalised, keeping its escapes intact."""
    chars = [_fold_char(c) for c in pattern]
    # Hyphen between letters → space, as in the text (``avez-vous``), outside [classes].
    in_class = False
    escaped = False
    for i, ch in enumerate(chars):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif (
            ch == "-"
            and not in_class
            and 0 < i < len(chars) - 1
            and chars[i - 1].isalpha()
            and chars[i + 1].isalpha()
        ):
            chars[i] = " "
    return _DOUBLE_IN_PATTERN.sub(r"\1", "".join(chars))


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class Pattern:
    """One compiled act pattern and the filters that apply to its matches."""

    label: str
    regex: re.Pattern[str]
    conf: float
    negation: bool
    reported: bool
    question: QuestionMode
    masked: bool
    unless: re.Pattern[str] | None
    requires: re.Pattern[str] | None
    cased: bool
    source: str
    #: Substrings one of which every match contains (``None``: no such set is known);
    #: a plain ``in`` test on them skips the regex for most utterances.
    triggers: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class WordingRule:
    """An expression to avoid or to prefer, with the advice shown to the trainee."""

    key: str
    polarity: Literal["avoid", "prefer"]
    regex: re.Pattern[str]
    advice: str
    negation: bool


ViewName = Literal["plain", "masked", "cased"]


def _view_of(pattern: Pattern) -> ViewName:
    return "masked" if pattern.masked else "cased" if pattern.cased else "plain"


# --------------------------------------------------------------------------- triggers


_MIN_TRIGGER = 3
#: view → first three characters of a trigger → (trigger, pattern indices) pairs.
TriggerBuckets = dict[ViewName, dict[str, tuple[tuple[str, tuple[int, ...]], ...]]]


def _trigger_buckets(patterns: Sequence[Pattern]) -> TriggerBuckets:
    """Each pattern's triggers, per view, bucketed by their first three characters.

    The case-preserving view is tested on the lower-case text (a superset), so its
    triggers are stored lower-cased.
    """
    index: dict[ViewName, dict[str, list[int]]] = {}
    for i, pattern in enumerate(patterns):
        view = _view_of(pattern)
        for trigger in pattern.triggers or ():
            key = trigger.lower() if view == "cased" else trigger
            indices = index.setdefault(view, {}).setdefault(key, [])
            if i not in indices:
                indices.append(i)
    out: TriggerBuckets = {}
    for view, by_trigger in index.items():
        grouped: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        for trigger, indices in by_trigger.items():
            grouped.setdefault(trigger[:_MIN_TRIGGER], []).append((trigger, tuple(indices)))
        out[view] = {gram: tuple(pairs) for gram, pairs in grouped.items()}
    return out


def required_substrings(pattern: str) -> tuple[str, ...] | None:
    """Literal substrings one of which every match of ``pattern`` must contain.

    Derived from the parsed regex (literal runs, alternations, repeats of at least one);
    ``None`` when no useful set exists (e.g. a pattern made of character classes only).
    Patterns with inline flags or case-insensitivity are not analysed.
    """
    try:
        parsed = _sre_parser.parse(pattern)
    except Exception:  # pragma: no cover - the pattern compiled already
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = _required(parsed)
    if not found or min(len(s) for s in found) < _MIN_TRIGGER:
        return None
    return tuple(sorted(found))


def _score(found: set[str]) -> tuple[int, int]:
    return min(len(s) for s in found), -len(found)


def _required(items: Any) -> set[str] | None:
    """A set of literals one of which the node sequence ``items`` always contains."""
    consts = _sre_constants
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if candidate and (best is None or _score(candidate) > _score(best)):
            best = candidate

    for op, av in items:
        if op is consts.LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider({"".join(run)})
            run = []
        if op is consts.SUBPATTERN:
            consider(_required(av[-1]))
        elif op is consts.BRANCH:
            alternatives = [_required(alt) for alt in av[1]]
            if all(alternatives):
                consider(set().union(*(a for a in alternatives if a)))
        elif op in (consts.MAX_REPEAT, consts.MIN_REPEAT) and av[0] >= 1:
            consider(_required(av[2]))
    if run:
        consider({"".join(run)})
    return best


_NEVER = re.compile(r"(?!x)x")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the analyzer matches for one language, compiled."""

    lang: str
    patterns: tuple[Pattern, ...]
    wording: tuple[WordingRule, ...]
    cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    #: Indices of the patterns without triggers (always tried).
    untriggered: tuple[int, ...] = ()
    trigger_buckets: TriggerBuckets = field(default_factory=dict)
    #: Typed shorthand → its full form (« jne » → « je ne », "u" → "you"), on whole words.
    shorthand: dict[str, str] = field(default_factory=dict)
    shorthand_re: re.Pattern[str] = _NEVER

    def expand(self, mapped: MappedText) -> MappedText:
        """``mapped`` (normalised) with typed shorthand spelt out, offsets kept."""
        if not self.shorthand:
            return mapped
        repl = [
            (m.start(), m.end(), self.shorthand[m.group().lower()])
            for m in self.shorthand_re.finditer(mapped.text)
        ]
        return replace_spans(mapped, repl) if repl else mapped

    def candidates(self, texts: dict[ViewName, str]) -> list[int]:
        """Indices of the patterns that may match, given the text of each view.

        Triggers are bucketed by their first three characters; at each position of the
        text only the bucket of the trigram there is tried, with a prefix test.
        """
        active = set(self.untriggered)
        for view, buckets in self.trigger_buckets.items():
            text = texts[view]
            get = buckets.get
            startswith = text.startswith
            for i in range(len(text) - _MIN_TRIGGER + 1):
                bucket = get(text[i : i + _MIN_TRIGGER])
                if bucket:
                    for trigger, indices in bucket:
                        if startswith(trigger, i):
                            active.update(indices)
        return sorted(active)

    def cue(self, name: str) -> re.Pattern[str]:
        """A named cue (``negation``, ``reported``…); a never-matching one if absent."""
        return self.cues.get(name, _NEVER)


_PLACEHOLDER_RE = re.compile(r"\\?\{(" + "|".join((*PLACEHOLDERS, "term")) + r")\\?\}")
#: ``{term}``: any entity that is a term of payment.
_TERM_TOKENS = "(?:" + "|".join(f"_{k}_" for k in ("amount", "date", "means", "instalments")) + ")"


def placeholder_token(kind: str) -> str:
    """The word that stands for an entity of ``kind`` in the masked view (``_amount_``).

    A word, so that ``\\b`` works around it in patterns; it cannot occur in a normalised
    utterance (no underscores there).
    """
    return f"_{kind}_"


def _placeholders(pattern: str) -> str:
    return _PLACEHOLDER_RE.sub(
        lambda m: _TERM_TOKENS if m.group(1) == "term" else placeholder_token(m.group(1)),
        pattern,
    )


def _lower_regex(pattern: str) -> str:
    """``pattern`` in lower case, escapes (``\\W``, ``\\D``, ``\\S``…) left intact.

    Texts are lower-cased before matching, so patterns are too and compiled without
    ``re.IGNORECASE`` (about twice as fast with ``re``).
    """
    out: list[str] = []
    escaped = False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = not escaped and ch == "\\"
    return "".join(out)


def _compile(pattern: str, where: str, *, cased: bool = False) -> tuple[re.Pattern[str], bool]:
    folded = fold_pattern(pattern)
    if not cased:
        folded = _lower_regex(folded)
    masked = bool(_PLACEHOLDER_RE.search(folded))
    folded = _placeholders(folded)
    try:
        return re.compile(folded), masked
    except re.error as exc:
        raise LexiconError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


def _as_list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise LexiconError(f"{where}: expected a list, got {type(value).__name__}")


def _join(patterns: Iterable[str], where: str) -> re.Pattern[str]:
    parts = [_placeholders(_lower_regex(fold_pattern(p))) for p in patterns]
    if not parts:
        return _NEVER
    try:
        return re.compile("|".join(f"(?:{p})" for p in parts))
    except re.error as exc:
        raise LexiconError(f"{where}: bad cue pattern: {exc}") from exc


_PATTERN_KEYS = frozenset(
    {"re", "conf", "negation", "reported", "question", "unless", "requires", "cased"}
)


def _pattern(label: str, item: Any, where: str) -> Pattern:
    if isinstance(item, str):
        item = {"re": item}
    if not isinstance(item, dict) or not isinstance(item.get("re"), str):
        raise LexiconError(f"{where}: a pattern is a string or a mapping with 're'")
    unknown = set(item) - _PATTERN_KEYS
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    cased = bool(item.get("cased", False))
    regex, masked = _compile(item["re"], where, cased=cased)
    if cased and masked:
        raise LexiconError(f"{where}: a cased pattern cannot use placeholders")
    question = item.get("question", "any")
    if question not in ("any", "only", "never"):
        raise LexiconError(f"{where}: question must be any, only or never")
    unless, requires = item.get("unless"), item.get("requires")
    return Pattern(
        label=label,
        regex=regex,
        conf=float(item.get("conf", 0.8)),
        negation=bool(item.get("negation", True)),
        reported=bool(item.get("reported", True)),
        question=question,
        masked=masked,
        unless=_compile(unless, where)[0] if isinstance(unless, str) else None,
        requires=_compile(requires, where)[0] if isinstance(requires, str) else None,
        cased=cased,
        source=item["re"],
        triggers=required_substrings(regex.pattern),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: the top level must be a mapping")
    return data


@lru_cache(maxsize=32)
def load_lexicon(lang: str, extra: tuple[Path, ...] = ()) -> Lexicon:
    """The built-in lexicon of ``lang`` extended by ``extra`` files, compiled once."""
    builtin = LEXICON_DIR / f"{lang}.yaml"
    if not builtin.exists():
        raise LexiconError(f"no lexicon for language {lang!r}")
    patterns: list[Pattern] = []
    cue_sources: dict[str, list[str]] = {}
    wording: dict[str, dict[str, Any]] = {}
    shorthand: dict[str, str] = {}
    for path in (builtin, *extra):
        data = _read(path)
        file_lang = data.get("lang", lang)
        if file_lang != lang:
            continue
        acts = data.get("acts") or {}
        if not isinstance(acts, dict):
            raise LexiconError(f"{path}: 'acts' must map labels to pattern lists")
        for label, items in acts.items():
            if label not in LABEL_SET:
                raise LexiconError(f"{path}: unknown act label {label!r}")
            for n, item in enumerate(_as_list(items, f"{path}: acts.{label}")):
                patterns.append(_pattern(label, item, f"{path}: acts.{label}[{n}]"))
        cues = data.get("cues") or {}
        if not isinstance(cues, dict):
            raise LexiconError(f"{path}: 'cues' must map names to pattern lists")
        for name, items in cues.items():
            cue_sources.setdefault(name, []).extend(
                str(p) for p in _as_list(items, f"{path}: cues.{name}")
            )
        short = data.get("shorthand") or {}
        if not isinstance(short, dict):
            raise LexiconError(f"{path}: 'shorthand' must map typed forms to full forms")
        for typed, full in short.items():
            key = normalise(MappedText.identity(str(typed))).text
            if not key or " " in key:
                raise LexiconError(f"{path}: shorthand {typed!r} must be one word")
            shorthand[key] = normalise(MappedText.identity(str(full)), fuzzy=False).text
        for polarity in ("avoid", "prefer"):
            entries = (data.get("wording") or {}).get(polarity) or {}
            if not isinstance(entries, dict):
                raise LexiconError(f"{path}: wording.{polarity} must map keys to entries")
            for key, entry in entries.items():
                if not isinstance(entry, dict):
                    raise LexiconError(f"{path}: wording.{polarity}.{key} must be a mapping")
                merged = wording.setdefault(key, {"polarity": polarity, "re": []})
                merged["re"].extend(str(p) for p in _as_list(entry.get("re"), str(path)))
                if "advice" in entry:
                    merged["advice"] = str(entry["advice"])
                if "negation" in entry:
                    merged["negation"] = bool(entry["negation"])
    rules = tuple(
        WordingRule(
            key=key,
            polarity=entry["polarity"],
            regex=_join(entry["re"], f"wording.{key}"),
            advice=entry.get("advice", ""),
            negation=entry.get("negation", False),
        )
        for key, entry in wording.items()
        if entry["re"]
    )
    return Lexicon(
        lang=lang,
        patterns=tuple(patterns),
        wording=rules,
        cues={name: _join(items, f"cues.{name}") for name, items in cue_sources.items()},
        trigger_buckets=_trigger_buckets(patterns),
        untriggered=tuple(i for i, p in enumerate(patterns) if p.triggers is None),
        shorthand=shorthand,
        shorthand_re=re.compile(
            r"(?<![\w'])(?:"
            + "|".join(re.escape(k) for k in sorted(shorthand, key=len, reverse=True))
            + r")(?![\w'])",
            re.IGNORECASE,
        )
        if shorthand
        else _NEVER,
    )


def clear_cache() -> None:
    """Forget compiled lexicons (after editing a lexicon file in a running process)."""
    load_lexicon.cache_clear()
