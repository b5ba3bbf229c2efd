"""Restricted expression language for scenario conditions (``when:``).

Scenario files come from third parties, so a condition is never given to ``eval``.
It is parsed with :mod:`ast` in ``eval`` mode, every node is checked against a small
whitelist, and the tree is compiled into plain Python closures once, at load time: the
engine then evaluates a transition in a few hundred nanoseconds.

The language (documented in ``docs/scenario-format.md#conditions``)::

    has('empathy', 'reformulation') and not has('aggressive')
    'proposal' in acts and amount >= 400 and days <= 7
    anger >= 8 or patience <= 0
    visits('objection') >= 2 and flag('cheque_story')
    offer_ok and means == 'transfer'

Anything else — attribute access, subscripts, lambdas, comprehensions, calls to unknown
functions, ``__import__('os')``, literals longer than the limits — is rejected with the
column of the offending part.
"""

from __future__ import annotations

import ast
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

MAX_EXPRESSION = 500
MAX_STRING = 120
MAX_NUMBER = 10**9
MAX_COLLECTION = 32
MAX_DEPTH = 24


class ConditionError(ValueError):
    """A condition that does not parse or uses something outside the language."""

    def __init__(self, message: str, col: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.col = col
        self.hint = hint


@dataclass(slots=True)
class EvalContext:
    """Everything a condition may read while the engine processes one reply."""

    acts: frozenset[str] = frozenset()
    text: str = ""
    amount: float | None = None
    days: int | None = None
    means: str | None = None
    instalments: int | None = None
    anger: int = 0
    trust: int = 0
    patience: int = 0
    turn: int = 0
    fallbacks: int = 0
    revealed: bool = False
    offer_amount: float | None = None
    offer_days: int | None = None
    offer_means: str | None = None
    offer_instalments: int | None = None
    offer_ok: bool = False
    offer_complete: bool = False
    flags: frozenset[str] = frozenset()
    visit_counts: Mapping[str, int] = field(default_factory=dict)
    label_counts: Mapping[str, int] = field(default_factory=dict)
    _folded: str | None = None

    def folded_text(self) -> str:
        """Lower-case, accent-free text of the reply, computed once."""
        if self._folded is None:
            self._folded = " " + fold(self.text) + " "
        return self._folded


def fold(text: str) -> str:
    """Lower case without accents, punctuation turned into spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ch if ch.isalnum() else " ")
    return " ".join("".join(out).split())


#: name → (description, getter)
NAMES: Final[dict[str, tuple[str, Callable[[EvalContext], Any]]]] = {
    "acts": ("set of act labels of the reply", lambda c: c.acts),
    "amount": ("first amount stated in the reply, or None", lambda c: c.amount),
    "days": ("days from the call date to the first date in the reply, or None", lambda c: c.days),
    "means": (
        "means of payment in the reply (transfer, cheque, card, direct_debit, cash) or None",
        lambda c: c.means,
    ),
    "instalments": ("number of instalments stated in the reply, or None", lambda c: c.instalments),
    "anger": ("debtor's anger 0–10", lambda c: c.anger),
    "trust": ("debtor's trust 0–10", lambda c: c.trust),
    "patience": ("debtor's patience 0–10", lambda c: c.patience),
    "turn": ("number of trainee replies so far, this one included", lambda c: c.turn),
    "fallbacks": ("consecutive unmatched replies at this node", lambda c: c.fallbacks),
    "revealed": ("the hidden reason has been revealed", lambda c: c.revealed),
    "words": ("number of words in the reply", lambda c: len(c.text.split())),
    "offer_amount": ("amount on the table (latest stated in the call)", lambda c: c.offer_amount),
    "offer_days": ("days to the date on the table", lambda c: c.offer_days),
    "offer_means": ("means of payment on the table", lambda c: c.offer_means),
    "offer_instalments": ("instalments on the table", lambda c: c.offer_instalments),
    "offer_ok": ("the offer on the table is within the brief's margins", lambda c: c.offer_ok),
    "offer_complete": ("amount, date and means are all on the table", lambda c: c.offer_complete),
}
CONSTANTS: Final[dict[str, object]] = {"True": True, "False": False, "None": None}


def _fn_has(c: EvalContext, *labels: str) -> bool:
    return any(label in c.acts for label in labels)


def _fn_has_all(c: EvalContext, *labels: str) -> bool:
    return all(label in c.acts for label in labels)


def _fn_count(c: EvalContext, label: str) -> int:
    return c.label_counts.get(label, 0)


def _fn_flag(c: EvalContext, name: str) -> bool:
    return name in c.flags


def _fn_visits(c: EvalContext, node: str) -> int:
    return c.visit_counts.get(node, 0)


def _fn_mentions(c: EvalContext, *words: str) -> bool:
    text = c.folded_text()
    return any(f" {fold(w)} " in text for w in words)


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    impl: Callable[..., Any]
    min_args: int
    max_args: int
    arg_kind: str  # "label", "flag", "node", "word"
    description: str


FUNCTIONS: Final[dict[str, FunctionSpec]] = {
    "has": FunctionSpec(_fn_has, 1, 20, "label", "the reply carries any of these act labels"),
    "has_all": FunctionSpec(_fn_has_all, 1, 20, "label", "the reply carries all of these labels"),
    "count": FunctionSpec(_fn_count, 1, 1, "label", "trainee replies so far with this label"),
    "flag": FunctionSpec(_fn_flag, 1, 1, "flag", "a flag raised by an effect"),
    "visits": FunctionSpec(_fn_visits, 1, 1, "node", "times a node has been entered"),
    "mentions": FunctionSpec(
        _fn_mentions, 1, 20, "word", "the reply contains one of these words (no case, no accents)"
    ),
}


@dataclass(frozen=True, slots=True)
class Reference:
    """A name the condition refers to, for the linter (unknown labels, nodes, flags)."""

    kind: str  # "label", "flag", "node", "word"
    value: str
    col: int


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    """A checked condition: call it with an :class:`EvalContext`."""

    source: str
    references: tuple[Reference, ...]
    _fn: Callable[[EvalContext], Any]

    def __call__(self, ctx: EvalContext) -> bool:
        return bool(self._fn(ctx))


_Fn = Callable[[EvalContext], Any]


def _safe_compare(op: ast.cmpop, left: Any, right: Any) -> bool:
    """Comparisons that treat a missing value (None) as 'does not hold'."""
    if isinstance(op, ast.Eq):
        return bool(left == right)
    if isinstance(op, ast.NotEq):
        return bool(left != right)
    if isinstance(op, ast.In | ast.NotIn):
        try:
            found = left in right
        except TypeError:
            return False
        return found if isinstance(op, ast.In) else not found
    if left is None or right is None:
        return False
    try:
        if isinstance(op, ast.Lt):
            return bool(left < right)
        if isinstance(op, ast.LtE):
            return bool(left <= right)
        if isinstance(op, ast.Gt):
            return bool(left > right)
        if isinstance(op, ast.GtE):
            return bool(left >= right)
    except TypeError:
        return False
    raise AssertionError(op)  # pragma: no cover - filtered at compile time


_COMPARE_OPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)


class _Compiler:
    def __init__(self, source: str) -> None:
        self.source = source
        self.references: list[Reference] = []

    def fail(self, node: ast.AST, message: str, hint: str = "") -> ConditionError:
        return ConditionError(message, getattr(node, "col_offset", 0), hint)

    def compile(self, node: ast.AST, depth: int = 0) -> _Fn:
        if depth > MAX_DEPTH:
            raise self.fail(node, "expression nested too deeply", "split it into simpler tests")
        d = depth + 1
        if isinstance(node, ast.BoolOp):
            parts = [self.compile(v, d) for v in node.values]
            if isinstance(node.op, ast.And):
                return lambda c: all(p(c) for p in parts)
            return lambda c: any(p(c) for p in parts)
        if isinstance(node, ast.UnaryOp):
            operand = self.compile(node.operand, d)
            if isinstance(node.op, ast.Not):
                return lambda c: not operand(c)
            if isinstance(node.op, ast.USub):
                return lambda c: -operand(c)
            raise self.fail(node, "only 'not' and unary '-' are allowed")
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, ast.Add | ast.Sub):
                raise self.fail(node, "only '+' and '-' are allowed in arithmetic")
            left, right = self.compile(node.left, d), self.compile(node.right, d)
            add = isinstance(node.op, ast.Add)

            def arith(c: EvalContext) -> Any:
                a, b = left(c), right(c)
                if not isinstance(a, int | float) or not isinstance(b, int | float):
                    return None
                return a + b if add else a - b

            return arith
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if not isinstance(op, _COMPARE_OPS):
                    raise self.fail(node, "unsupported comparison", "use ==, !=, <, <=, >, >=, in")
            for op, comp in zip(node.ops, node.comparators, strict=False):
                left_node = node.left
                if (
                    isinstance(op, ast.In | ast.NotIn)
                    and isinstance(comp, ast.Name)
                    and comp.id == "acts"
                    and isinstance(left_node, ast.Constant)
                    and isinstance(left_node.value, str)
                ):
                    self.references.append(
                        Reference("label", left_node.value, left_node.col_offset)
                    )
            first = self.compile(node.left, d)
            rest = [
                (op, self.compile(comp, d))
                for op, comp in zip(node.ops, node.comparators, strict=False)
            ]

            def compare(c: EvalContext) -> bool:
                left = first(c)
                for op, fn in rest:
                    right = fn(c)
                    if not _safe_compare(op, left, right):
                        return False
                    left = right
                return True

            return compare
        if isinstance(node, ast.Name):
            if node.id in CONSTANTS:
                value = CONSTANTS[node.id]
                return lambda c: value
            if node.id in NAMES:
                return NAMES[node.id][1]
            if node.id in FUNCTIONS:
                raise self.fail(node, f"'{node.id}' is a function", f"call it: {node.id}(...)")
            raise self.fail(
                node,
                f"unknown name '{node.id}'",
                "known names: " + ", ".join(sorted(NAMES)),
            )
        if isinstance(node, ast.Constant):
            value = self.constant(node)
            return lambda c: value
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            if len(node.elts) > MAX_COLLECTION:
                raise self.fail(node, f"literal list longer than {MAX_COLLECTION} items")
            values = []
            for elt in node.elts:
                if not isinstance(elt, ast.Constant):
                    raise self.fail(elt, "lists may only hold literal values")
                values.append(self.constant(elt))
            frozen = tuple(values)
            return lambda c: frozen
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Attribute):
            raise self.fail(node, "attribute access is not allowed", "use has('label') or a name")
        if isinstance(node, ast.Subscript):
            raise self.fail(node, "indexing is not allowed")
        if isinstance(node, ast.Lambda):
            raise self.fail(node, "lambdas are not allowed")
        if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            raise self.fail(node, "comprehensions are not allowed")
        raise self.fail(node, f"'{type(node).__name__}' is not allowed in a condition")

    def constant(self, node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int | float):
            if abs(value) > MAX_NUMBER:
                raise self.fail(node, f"number larger than {MAX_NUMBER}")
            return value
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise self.fail(node, f"string longer than {MAX_STRING} characters")
            return value
        raise self.fail(node, f"literal of type {type(value).__name__} is not allowed")

    def call(self, node: ast.Call) -> _Fn:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only the condition functions may be called")
        name = node.func.id
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise self.fail(
                node,
                f"unknown function '{name}'",
                "known functions: " + ", ".join(sorted(FUNCTIONS)),
            )
        if node.keywords:
            raise self.fail(node, f"{name}() takes no keyword arguments")
        if not spec.min_args <= len(node.args) <= spec.max_args:
            expected = (
                str(spec.min_args)
                if spec.min_args == spec.max_args
                else f"{spec.min_args} to {spec.max_args}"
            )
            raise self.fail(node, f"{name}() takes {expected} argument(s), got {len(node.args)}")
        args: list[str] = []
        for arg in node.args:
            if not isinstance(arg, ast.Constant) or not isinstance(arg.value, str):
                raise self.fail(arg, f"{name}() takes quoted names, e.g. {name}('empathy')")
            value = self.constant(arg)
            args.append(value)
            self.references.append(Reference(spec.arg_kind, value, arg.col_offset))
        impl = spec.impl
        frozen_args = tuple(args)
        if spec.arg_kind == "word":
            frozen_args = tuple(fold(a) for a in args)
        return lambda c: impl(c, *frozen_args)


def compile_condition(source: str) -> CompiledCondition:
    """Parse and check ``source``; raise :class:`ConditionError` with a column on failure."""
    if len(source) > MAX_EXPRESSION:
        raise ConditionError(f"condition longer than {MAX_EXPRESSION} characters", 0)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        col = max((exc.offset or 1) - 1, 0)
        raise ConditionError(
            f"syntax error: {exc.msg}", col, "check quotes and parentheses"
        ) from None
    compiler = _Compiler(source)
    fn = compiler.compile(tree.body)
    return CompiledCondition(source, tuple(compiler.references), fn)
