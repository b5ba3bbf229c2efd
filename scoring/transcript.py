"""Typed reading of a ``relance/transcript@1`` record (docs/transcript.md).

The frameworks never look at raw JSON: they get a :class:`Transcript` whose turns are
frozen dataclasses. Errors carry the JSON line when the transcript comes from a file, so
a trainer who typed a call by hand sees ``call.json:42: turn 7: speaker must be …``
rather than a traceback. Parsing is lenient where it helps hand-typed calls (an act may
be a bare label, a span may be the quoted text) and strict on what the scorer relies on.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

from scoring.labels import ABANDONED, LABEL_SET, OUTCOMES
from scoring.types import Act, Entity, Lang, Register, Span, WordingFlag

FORMAT = "relance/transcript@1"

Speaker = Literal["trainee", "debtor"]
Segment = Literal["b2b", "b2c"]

_ENTITY_KINDS = ("amount", "date", "means", "invoice", "instalments")
_REGISTERS = ("vous", "tu", "mixed", "unknown")
_Path = tuple[str | int, ...]


class TranscriptParseError(ValueError):
    """A transcript that cannot be read; ``line`` is the JSON line when known."""

    def __init__(self, message: str, line: int | None = None, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.source = source

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class _Bad(Exception):
    """Internal: a structural problem at a JSON path."""

    def __init__(self, path: _Path, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class Mood:
    """The debtor's mood after a turn (0–10 each)."""

    anger: int
    trust: int
    patience: int

    def to_json(self) -> dict[str, int]:
        return {"anger": self.anger, "trust": self.trust, "patience": self.patience}


@dataclass(frozen=True, slots=True)
class Turn:
    """One line of the call.

    ``acts`` is ``None`` for a trainee turn that has not been analysed yet, and
    ``entities`` is ``None`` when the record gave none (debtor turns usually).
    """

    index: int
    speaker: Speaker
    text: str
    acts: tuple[Act, ...] | None = None
    entities: tuple[Entity, ...] | None = None
    wording: tuple[WordingFlag, ...] = ()
    register: Register = "unknown"
    tags: tuple[str, ...] = ()
    node: str | None = None
    variant: str | None = None
    mood: Mood | None = None
    at_ms: int | None = None
    engine_ms: float | None = None
    audio: str | None = None
    reprompt: bool = False

    @property
    def is_trainee(self) -> bool:
        return self.speaker == "trainee"

    @property
    def labels(self) -> frozenset[str]:
        """The act labels of the turn (empty for the debtor or an unanalysed turn)."""
        return frozenset(a.label for a in self.acts or ())

    def has(self, *labels: str) -> bool:
        """True when the turn carries any of ``labels``."""
        return any(a.label in labels for a in self.acts or ())

    def act(self, label: str) -> Act | None:
        """The first act with that label."""
        for a in self.acts or ():
            if a.label == label:
                return a
        return None

    def entities_of(self, kind: str) -> tuple[Entity, ...]:
        """The entities of one kind, in text order."""
        return tuple(e for e in self.entities or () if e.kind == kind)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "speaker": self.speaker, "text": self.text}
        if self.acts is not None:
            out["acts"] = [a.to_json() for a in self.acts]
        if self.entities is not None:
            out["entities"] = [e.to_json() for e in self.entities]
        if self.speaker == "trainee" or self.wording:
            out["wording"] = [w.to_json() for w in self.wording]
        if self.speaker == "trainee":
            out["register"] = self.register
        if self.speaker == "debtor" or self.tags:
            out["tags"] = list(self.tags)
        for key in ("node", "variant", "at_ms", "engine_ms", "audio"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.mood is not None:
            out["mood"] = self.mood.to_json()
        if self.reprompt:
            out["reprompt"] = True
        return out


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One invoice of the account card, as the fact checks need it."""

    number: str
    amount: float
    paid: float
    currency: str
    issued: dt.date | None
    due: dt.date | None
    status: str

    @property
    def outstanding(self) -> float:
        return round(self.amount - self.paid, 2)


@dataclass(frozen=True, slots=True)
class Margins:
    """The brief's margins of manoeuvre (``None``: no limit given)."""

    min_first_payment: float | None = None
    max_instalments: int | None = None
    latest_date: dt.date | None = None
    waive_penalties: bool = False
    waive_indemnity: bool = False


@dataclass(frozen=True, slots=True)
class Transcript:
    """A whole call. The dict fields are the raw account/brief/scenario: do not mutate."""

    turns: tuple[Turn, ...]
    lang: Lang = "fr"
    call_date: dt.date | None = None
    account: dict[str, Any] = field(default_factory=dict)
    brief: dict[str, Any] = field(default_factory=dict)
    segment: Segment | None = None
    outcome: str | None = None
    finished: bool | None = None
    scenario: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    node_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    invoices: tuple[InvoiceLine, ...] = ()
    margins: Margins | None = None
    reminder_dates: tuple[dt.date, ...] = ()
    source: str | None = None

    @property
    def trainee_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.speaker == "trainee")

    @property
    def debtor_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.speaker == "debtor")

    @property
    def total_outstanding(self) -> float | None:
        """What is still owed per the account card (``None`` without a card)."""
        if not self.invoices:
            return None
        return round(sum(i.outstanding for i in self.invoices if i.status != "paid"), 2)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": FORMAT, "lang": self.lang}
        if self.call_date is not None:
            out["call_date"] = self.call_date.isoformat()
        if self.scenario:
            out["scenario"] = self.scenario
        if self.seed is not None:
            out["seed"] = self.seed
        if self.account:
            out["account"] = self.account
        if self.brief:
            out["brief"] = self.brief
        if self.segment is not None:
            out["segment"] = self.segment
        if self.node_tags:
            out["node_tags"] = {k: list(v) for k, v in self.node_tags.items()}
        out["turns"] = [t.to_json() for t in self.turns]
        out["outcome"] = self.outcome
        if self.finished is not None:
            out["finished"] = self.finished
        return out


# --------------------------------------------------------------------------- reading


def load_transcript(path: str | Path) -> Transcript:
    """Read a transcript file; errors name the file and the JSON line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TranscriptParseError(f"cannot read the transcript: {exc}", None, str(p)) from None
    return transcript_from_text(text, source=str(p))


def transcript_from_text(text: str, source: str = "<transcript>") -> Transcript:
    """Parse transcript JSON text; errors carry the line of the problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptParseError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno, source
        ) from None
    try:
        return _parse(data, source)
    except _Bad as bad:
        raise TranscriptParseError(bad.message, locate_line(text, bad.path), source) from None


def parse_transcript(data: Mapping[str, Any], *, source: str | None = None) -> Transcript:
    """Build a :class:`Transcript` from an already decoded dict."""
    try:
        return _parse(data, source)
    except _Bad as bad:
        raise TranscriptParseError(bad.message, None, source) from None


def with_context(
    transcript: Transcript,
    *,
    account: Mapping[str, Any] | None = None,
    brief: Mapping[str, Any] | None = None,
    segment: str | None = None,
    node_tags: Mapping[str, Sequence[str]] | None = None,
) -> Transcript:
    """Fill what the transcript lacks (account, brief, segment, node tags) from a scenario.

    What the transcript already has wins; debtor turns without tags get their node's.
    """
    try:
        acc = dict(transcript.account) if transcript.account else dict(account or {})
        brf = dict(transcript.brief) if transcript.brief else dict(brief or {})
        seg = transcript.segment
        if seg is None and segment is not None:
            seg = _segment(segment, ("segment",))
        if seg is None and "segment" in acc:
            seg = _segment(acc["segment"], ("account", "segment"))
        tags = dict(transcript.node_tags)
        for node, node_tag_list in (node_tags or {}).items():
            tags.setdefault(str(node), _str_tuple(node_tag_list, ("node_tags", str(node))))
        invoices, reminders = _parse_account(acc)
        margins = _parse_margins(brf)
    except _Bad as bad:
        raise TranscriptParseError(bad.message, None, transcript.source) from None
    turns = tuple(_fill_tags(t, tags) for t in transcript.turns)
    return replace(
        transcript,
        account=acc,
        brief=brf,
        segment=seg,
        node_tags=tags,
        turns=turns,
        invoices=invoices,
        margins=margins,
        reminder_dates=reminders,
    )


def _fill_tags(turn: Turn, node_tags: Mapping[str, tuple[str, ...]]) -> Turn:
    if turn.speaker == "debtor" and not turn.tags and turn.node in node_tags:
        return replace(turn, tags=node_tags[turn.node or ""])
    return turn


def _parse(data: Any, source: str | None) -> Transcript:
    if not isinstance(data, Mapping):
        raise _Bad((), "a transcript must be a JSON object")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise _Bad(("format",), f"format must be {FORMAT!r}, got {fmt!r}")
    lang = data.get("lang", "fr")
    if lang not in ("fr", "en"):
        raise _Bad(("lang",), f"lang must be 'fr' or 'en', got {lang!r}")
    call_date = _date(data.get("call_date"), ("call_date",), optional=True)
    account = _mapping(data.get("account"), ("account",))
    brief = _mapping(data.get("brief"), ("brief",))
    scenario = _mapping(data.get("scenario"), ("scenario",))
    segment = data.get("segment")
    seg = _segment(segment, ("segment",)) if segment is not None else None
    if seg is None and "segment" in account:
        seg = _segment(account["segment"], ("account", "segment"))
    raw_tags = _mapping(data.get("node_tags"), ("node_tags",))
    node_tags = {str(k): _str_tuple(v, ("node_tags", str(k))) for k, v in raw_tags.items()}
    outcome = data.get("outcome")
    if outcome is not None and outcome not in (*OUTCOMES, ABANDONED):
        raise _Bad(("outcome",), f"unknown outcome {outcome!r}")
    finished = data.get("finished")
    if finished is not None and not isinstance(finished, bool):
        raise _Bad(("finished",), "finished must be true or false")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise _Bad(("seed",), "seed must be an integer")
    raw_turns = data.get("turns")
    if not isinstance(raw_turns, list):
        raise _Bad(("turns",) if "turns" in data else (), "turns must be a list of turns")
    turns = tuple(_parse_turn(raw, i) for i, raw in enumerate(raw_turns))
    invoices, reminders = _parse_account(account)
    transcript = Transcript(
        turns=turns,
        lang=cast(Lang, lang),
        call_date=call_date,
        account=dict(account),
        brief=dict(brief),
        segment=seg,
        outcome=cast("str | None", outcome),
        finished=finished,
        scenario=dict(scenario),
        seed=seed,
        node_tags=node_tags,
        invoices=invoices,
        margins=_parse_margins(brief),
        reminder_dates=reminders,
        source=source,
    )
    if node_tags:
        transcript = replace(transcript, turns=tuple(_fill_tags(t, node_tags) for t in turns))
    return transcript


def _parse_turn(raw: Any, i: int) -> Turn:
    where: _Path = ("turns", i)
    if not isinstance(raw, Mapping):
        raise _Bad(where, f"turn {i}: a turn must be an object")
    speaker = raw.get("speaker")
    if speaker not in ("trainee", "debtor"):
        raise _Bad(
            (*where, "speaker"), f"turn {i}: speaker must be 'trainee' or 'debtor', got {speaker!r}"
        )
    text = raw.get("text")
    if not isinstance(text, str):
        raise _Bad((*where, "text"), f"turn {i}: text must be a string")
    index = raw.get("index", i)
    if index != i or isinstance(index, bool):
        raise _Bad(
            (*where, "index"), f"turn {i}: index is {index!r}, expected {i} (turns in order)"
        )
    acts: tuple[Act, ...] | None = None
    if "acts" in raw and raw["acts"] is not None:
        acts = tuple(
            _parse_act(a, text, (*where, "acts", j), i)
            for j, a in enumerate(_list(raw, "acts", where))
        )
    entities: tuple[Entity, ...] | None = None
    if "entities" in raw and raw["entities"] is not None:
        entities = tuple(
            _parse_entity(e, text, (*where, "entities", j), i)
            for j, e in enumerate(_list(raw, "entities", where))
        )
    if speaker == "trainee" and acts is not None and entities is None:
        entities = ()
    wording = tuple(
        _parse_wording(w, text, (*where, "wording", j), i)
        for j, w in enumerate(_list(raw, "wording", where))
    )
    register = raw.get("register", "unknown")
    if register not in _REGISTERS:
        raise _Bad((*where, "register"), f"turn {i}: unknown register {register!r}")
    tags = _str_tuple(raw.get("tags", ()), (*where, "tags"))
    mood = None
    if isinstance(raw.get("mood"), Mapping):
        m = raw["mood"]
        try:
            mood = Mood(int(m.get("anger", 0)), int(m.get("trust", 0)), int(m.get("patience", 0)))
        except (TypeError, ValueError):
            raise _Bad((*where, "mood"), f"turn {i}: mood values must be integers") from None
    return Turn(
        index=i,
        speaker=speaker,
        text=text,
        acts=acts,
        entities=entities,
        wording=wording,
        register=register,
        tags=tags,
        node=_opt_str(raw.get("node")),
        variant=_opt_str(raw.get("variant")),
        mood=mood,
        at_ms=_opt_int(raw.get("at_ms")),
        engine_ms=_opt_float(raw.get("engine_ms")),
        audio=_opt_str(raw.get("audio")),
        reprompt=bool(raw.get("reprompt", False)),
    )


def _span(raw: Any, text: str, where: _Path, i: int) -> Span:
    """A span given as {start, end, text}, as the quoted text, or absent (whole line)."""
    if raw is None:
        return Span(0, len(text), text)
    if isinstance(raw, str):
        pos = text.find(raw)
        if pos < 0:
            raise _Bad(where, f"turn {i}: span {raw!r} is not in the turn's text")
        return Span(pos, pos + len(raw), raw)
    if isinstance(raw, Mapping):
        start, end = raw.get("start"), raw.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end:
            raise _Bad(where, f"turn {i}: a span needs integer start ≤ end")
        quoted = raw.get("text")
        if not isinstance(quoted, str):
            quoted = text[start:end]
        return Span(start, end, quoted)
    raise _Bad(where, f"turn {i}: a span must be an object or the quoted text")


def _parse_act(raw: Any, text: str, where: _Path, i: int) -> Act:
    if isinstance(raw, str):
        raw = {"label": raw}
    if not isinstance(raw, Mapping):
        raise _Bad(where, f"turn {i}: an act must be an object or a label")
    label = raw.get("label")
    if label not in LABEL_SET:
        raise _Bad((*where, "label"), f"turn {i}: unknown act label {label!r}")
    conf = raw.get("confidence", 1.0)
    if isinstance(conf, bool) or not isinstance(conf, int | float):
        raise _Bad((*where, "confidence"), f"turn {i}: confidence must be a number")
    return Act(str(label), _span(raw.get("span"), text, (*where, "span"), i), float(conf))


def _parse_entity(raw: Any, text: str, where: _Path, i: int) -> Entity:
    if not isinstance(raw, Mapping):
        raise _Bad(where, f"turn {i}: an entity must be an object")
    kind = raw.get("kind")
    if kind not in _ENTITY_KINDS:
        raise _Bad((*where, "kind"), f"turn {i}: unknown entity kind {kind!r}")
    value = raw.get("value")
    if kind in ("amount", "instalments"):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise _Bad((*where, "value"), f"turn {i}: an {kind} value must be a number")
        if kind == "instalments":
            value = int(value)
    elif not isinstance(value, str):
        raise _Bad((*where, "value"), f"turn {i}: a {kind} value must be a string")
    currency = raw.get("currency")
    return Entity(
        kind=kind,
        value=value,
        span=_span(raw.get("span"), text, (*where, "span"), i),
        currency=str(currency) if currency is not None else None,
    )


def _parse_wording(raw: Any, text: str, where: _Path, i: int) -> WordingFlag:
    if not isinstance(raw, Mapping):
        raise _Bad(where, f"turn {i}: a wording flag must be an object")
    key, polarity = raw.get("key"), raw.get("polarity")
    if not isinstance(key, str) or polarity not in ("avoid", "prefer"):
        raise _Bad(where, f"turn {i}: a wording flag needs a key and polarity avoid|prefer")
    return WordingFlag(
        key, polarity, _span(raw.get("span"), text, (*where, "span"), i), str(raw.get("advice", ""))
    )


# --------------------------------------------------------------------------- account card


def _parse_account(
    account: Mapping[str, Any],
) -> tuple[tuple[InvoiceLine, ...], tuple[dt.date, ...]]:
    raw = account.get("invoices") or []
    if not isinstance(raw, list):
        raise _Bad(("account", "invoices"), "account.invoices must be a list")
    invoices: list[InvoiceLine] = []
    for j, inv in enumerate(raw):
        where: _Path = ("account", "invoices", j)
        if not isinstance(inv, Mapping):
            raise _Bad(where, f"account.invoices[{j}] must be an object")
        amount = inv.get("amount")
        paid = inv.get("paid", 0.0)
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise _Bad((*where, "amount"), f"account.invoices[{j}].amount must be a number")
        if isinstance(paid, bool) or not isinstance(paid, int | float):
            raise _Bad((*where, "paid"), f"account.invoices[{j}].paid must be a number")
        invoices.append(
            InvoiceLine(
                number=str(inv.get("number", "")),
                amount=float(amount),
                paid=float(paid),
                currency=str(inv.get("currency", "EUR")),
                issued=_date(inv.get("issued"), (*where, "issued"), optional=True),
                due=_date(inv.get("due"), (*where, "due"), optional=True),
                status=str(inv.get("status", "overdue")),
            )
        )
    reminders: list[dt.date] = []
    for j, rem in enumerate(account.get("reminders") or []):
        if isinstance(rem, Mapping):
            d = _date(rem.get("date"), ("account", "reminders", j, "date"), optional=True)
            if d is not None:
                reminders.append(d)
    return tuple(invoices), tuple(reminders)


def _parse_margins(brief: Mapping[str, Any]) -> Margins | None:
    raw = brief.get("margins")
    if raw is None:
        return None
    where: _Path = ("brief", "margins")
    if not isinstance(raw, Mapping):
        raise _Bad(where, "brief.margins must be an object")
    mfp = raw.get("min_first_payment")
    if mfp is not None and (isinstance(mfp, bool) or not isinstance(mfp, int | float)):
        raise _Bad((*where, "min_first_payment"), "min_first_payment must be a number")
    mi = raw.get("max_instalments")
    if mi is not None and (isinstance(mi, bool) or not isinstance(mi, int)):
        raise _Bad((*where, "max_instalments"), "max_instalments must be an integer")
    return Margins(
        min_first_payment=float(mfp) if mfp is not None else None,
        max_instalments=mi,
        latest_date=_date(raw.get("latest_date"), (*where, "latest_date"), optional=True),
        waive_penalties=bool(raw.get("waive_penalties", False)),
        waive_indemnity=bool(raw.get("waive_indemnity", False)),
    )


# --------------------------------------------------------------------------- small readers


def _date(raw: Any, where: _Path, *, optional: bool) -> dt.date | None:
    if raw is None and optional:
        return None
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise _Bad(where, f"{'.'.join(map(str, where))}: expected an ISO date, got {raw!r}")


def _segment(raw: Any, where: _Path) -> Segment:
    if raw not in ("b2b", "b2c"):
        raise _Bad(where, f"segment must be 'b2b' or 'b2c', got {raw!r}")
    return cast(Segment, raw)


def _mapping(raw: Any, where: _Path) -> Mapping[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise _Bad(where, f"{'.'.join(map(str, where))} must be an object")
    return raw


def _list(raw: Mapping[str, Any], key: str, where: _Path) -> list[Any]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Bad((*where, key), f"turn {where[-1]}: {key} must be a list")
    return value


def _str_tuple(raw: Any, where: _Path) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple) or not all(isinstance(x, str) for x in raw):
        raise _Bad(where, f"{'.'.join(map(str, where))} must be a list of strings")
    return tuple(raw)


def _opt_str(raw: Any) -> str | None:
    return None if raw is None else str(raw)


def _opt_int(raw: Any) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


def _opt_float(raw: Any) -> float | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    return None


# --------------------------------------------------------------------------- JSON lines

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def locate_line(text: str, path: _Path) -> int | None:
    """The 1-based line where the value at ``path`` starts, or of its closest parent."""
    for cut in range(len(path), -1, -1):
        try:
            pos = _find(text, 0, path[:cut])
        except (ValueError, IndexError):
            pos = None
        if pos is not None:
            return text.count("\n", 0, pos) + 1
    return None


def _ws(text: str, pos: int) -> int:
    m = _WS.match(text, pos)
    return m.end() if m else pos


def _find(text: str, pos: int, path: _Path) -> int | None:
    pos = _ws(text, pos)
    if not path:
        return pos
    head, rest = path[0], path[1:]
    ch = text[pos]
    if ch == "{" and isinstance(head, str):
        pos += 1
        while True:
            pos = _ws(text, pos)
            if text[pos] == "}":
                return None
            key, pos = _DECODER.raw_decode(text, pos)
            pos = _ws(text, _ws(text, pos) + 1)  # past the colon
            if key == head:
                return _find(text, pos, rest)
            _, pos = _DECODER.raw_decode(text, pos)
            pos = _ws(text, pos)
            if text[pos] == ",":
                pos += 1
    if ch == "[" and isinstance(head, int):
        pos += 1
        i = 0
        while True:
            pos = _ws(text, pos)
            if text[pos] == "]":
                return None
            if i == head:
                return _find(text, pos, rest)
            _, pos = _DECODER.raw_decode(text, pos)
            i += 1
            pos = _ws(text, pos)
            if text[pos] == ",":
                pos += 1
    return None
