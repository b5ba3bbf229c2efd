"""The restricted condition language: what authors may write, and what is refused."""

from __future__ import annotations

import pytest

from simulator.dialogue.conditions import ConditionError, EvalContext, compile_condition


def ctx(**kw: object) -> EvalContext:
    return EvalContext(**kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("has('empathy')", ctx(acts=frozenset({"empathy"})), True),
        ("has('empathy', 'reformulation')", ctx(acts=frozenset({"reformulation"})), True),
        ("has_all('empathy', 'proposal')", ctx(acts=frozenset({"empathy"})), False),
        (
            "'proposal' in acts and amount >= 400",
            ctx(acts=frozenset({"proposal"}), amount=450.0),
            True,
        ),
        ("amount >= 400", ctx(amount=None), False),  # a missing amount never satisfies a bound
        ("amount < 400", ctx(amount=None), False),
        ("days <= 7 and means == 'transfer'", ctx(days=3, means="transfer"), True),
        ("anger >= 8 or patience <= 0", ctx(anger=2, patience=0), True),
        ("not flag('x') and visits('a') == 2", ctx(visit_counts={"a": 2}), True),
        ("count('empathy') >= 2", ctx(label_counts={"empathy": 2}), True),
        ("mentions('Comptable')", ctx(text="C'est le nouveau comptable ?"), True),
        ("mentions('cheque')", ctx(text="Le chèque est parti."), True),
        ("mentions('art')", ctx(text="Le départ"), False),  # whole words only
        ("means in ['cheque', 'card']", ctx(means="card"), True),
        ("anger + 2 > 9", ctx(anger=8), True),
        ("offer_ok and not offer_complete", ctx(offer_ok=True), True),
        ("0 < anger < 5", ctx(anger=3), True),
        ("True", ctx(), True),
    ],
)
def test_conditions_evaluate(source: str, context: EvalContext, expected: bool) -> None:
    assert compile_condition(source)(context) is expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("__import__('os').system('id')", "only the condition functions"),
        ("__import__('os')", "unknown function '__import__'"),
        ("acts.__class__", "attribute access"),
        ("acts[0]", "indexing"),
        ("(lambda: 1)()", "only the condition functions"),
        ("lambda: 1", "lambdas"),
        ("[x for x in acts]", "comprehensions"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("has(label='empathy')", "keyword"),
        ("has(acts)", "quoted names"),
        ("'" + "a" * 500 + "'", "longer than"),
        ("amount > 99999999999", "number larger"),
        ("anger >= ", "syntax error"),
        ("angr >= 3", "unknown name 'angr'"),
        ("has", "is a function"),
        ("anger * 2 > 3", "only '+' and '-'"),
        ("anger if True else 1", "not allowed"),
        ("f'{anger}'", "not allowed"),
        ("{'a': 1}", "not allowed"),
    ],
)
def test_hostile_or_broken_conditions_are_refused(source: str, message: str) -> None:
    with pytest.raises(ConditionError) as info:
        compile_condition(source)
    assert message in info.value.message


def test_error_column_points_at_the_offending_part() -> None:
    with pytest.raises(ConditionError) as info:
        compile_condition("has('empathy') and foo > 1")
    assert info.value.col == len("has('empathy') and ")


def test_references_are_reported_for_the_linter() -> None:
    compiled = compile_condition("has('empathy') and visits('n1') > 0 and 'proposal' in acts")
    kinds = {(r.kind, r.value) for r in compiled.references}
    assert kinds == {("label", "empathy"), ("node", "n1"), ("label", "proposal")}
