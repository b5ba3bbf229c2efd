"""Semantic checks of a scenario that the schema cannot express.

Graph (start, unknown ``goto``, unreachable nodes, dead ends, cycles with no way out),
labels (only the act labels of acts.md), conditions (parsed and compiled here, once),
and authoring warnings (a line that recurs with a single variant sounds robotic).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from scoring.labels import LABEL_SET, PROFILES
from simulator.dialogue.conditions import CompiledCondition, ConditionError, compile_condition
from simulator.dialogue.loader import Problem
from simulator.dialogue.model import Effects, Line, Scenario
from simulator.dialogue.yamlsafe import LineMap

PathKey = tuple[str | int, ...]


@dataclass(slots=True)
class LintReport:
    problems: list[Problem] = field(default_factory=list)
    conditions: dict[str, CompiledCondition] = field(default_factory=dict)


def condition_key(path: PathKey) -> str:
    """The key under which the engine finds a compiled condition."""
    return "/".join(str(p) for p in path)


class _Linter:
    def __init__(self, scenario: Scenario, lines: LineMap, file: str, source: str) -> None:
        self.s = scenario
        self.lines = lines
        self.file = file
        self.source_lines = source.splitlines()
        self.report = LintReport()
        self.node_index = {n.id: i for i, n in enumerate(scenario.nodes)}
        self.flags_set: set[str] = set()

    # -- reporting -----------------------------------------------------------------
    def error(self, path: PathKey, message: str, hint: str = "", *, key: bool = False) -> None:
        self._add(path, message, hint, "error", key)

    def warn(self, path: PathKey, message: str, hint: str = "", *, key: bool = False) -> None:
        self._add(path, message, hint, "warning", key)

    def _add(self, path: PathKey, message: str, hint: str, severity: str, key: bool) -> None:
        mark = self.lines.keys.get(path) if key else None
        mark = mark or self.lines.value(path)
        self.report.problems.append(
            Problem(self.file, mark.line, mark.col, message, hint, severity)  # type: ignore[arg-type]
        )

    # -- walking the file ----------------------------------------------------------
    def conditions_with_paths(self) -> Iterator[tuple[PathKey, str]]:
        for i, it in enumerate(self.s.interrupts):
            yield ("interrupts", i, "when"), it.when
        for n, node in enumerate(self.s.nodes):
            for v, line in enumerate(node.say):
                if line.when:
                    yield ("nodes", n, "say", v, "when"), line.when
            for t, tr in enumerate(node.transitions):
                yield ("nodes", n, "transitions", t, "when"), tr.when
            if node.fallback:
                for v, line in enumerate(node.fallback.say):
                    if line.when:
                        yield ("nodes", n, "fallback", "say", v, "when"), line.when

    def effects_with_paths(self) -> Iterator[tuple[PathKey, Effects]]:
        for i, it in enumerate(self.s.interrupts):
            yield ("interrupts", i, "effects"), it.effects
        for n, node in enumerate(self.s.nodes):
            yield ("nodes", n, "effects"), node.effects
            for t, tr in enumerate(node.transitions):
                yield ("nodes", n, "transitions", t, "effects"), tr.effects

    # -- checks --------------------------------------------------------------------
    def run(self) -> LintReport:
        self.check_ids()
        for _, eff in self.effects_with_paths():
            self.flags_set.update(eff.set)
        self.check_conditions()
        self.check_labels()
        self.check_graph()
        self.check_variants()
        self.check_content()
        return self.report

    def check_ids(self) -> None:
        seen: dict[str, int] = {}
        for n, node in enumerate(self.s.nodes):
            if node.id in seen:
                self.error(
                    ("nodes", n, "id"),
                    f"duplicate node id '{node.id}' (also node #{seen[node.id] + 1})",
                    "node ids must be unique",
                )
            seen.setdefault(node.id, n)
            self._unique_lines(node.say, ("nodes", n, "say"))
            if node.fallback:
                self._unique_lines(node.fallback.say, ("nodes", n, "fallback", "say"))
                fb_ids = {line.id for line in node.fallback.say}
                for v, line in enumerate(node.say):
                    if line.id in fb_ids:
                        self.error(
                            ("nodes", n, "say", v, "id"),
                            f"variant id '{line.id}' is used both in say and fallback of '{node.id}'",
                            "give reprompt lines their own ids (e.g. r1, r2)",
                        )
        if self.s.start and self.s.start not in self.node_index:
            self.error(("start",), f"start node '{self.s.start}' does not exist")

    def _unique_lines(self, lines: list[Line], path: PathKey) -> None:
        seen: set[str] = set()
        for v, line in enumerate(lines):
            if line.id in seen:
                self.error((*path, v, "id"), f"duplicate variant id '{line.id}'")
            seen.add(line.id)

    def check_conditions(self) -> None:
        for path, source in self.conditions_with_paths():
            try:
                compiled = compile_condition(source)
            except ConditionError as exc:
                self._condition_error(path, source, exc)
                continue
            self.report.conditions[condition_key(path)] = compiled
            for ref in compiled.references:
                if ref.kind == "label" and ref.value not in LABEL_SET:
                    self._condition_error(
                        path,
                        source,
                        ConditionError(
                            f"unknown act label '{ref.value}'",
                            ref.col,
                            "labels are those of shared/spec/acts.md, e.g. empathy, proposal",
                        ),
                    )
                elif ref.kind == "node" and ref.value not in self.node_index:
                    self._condition_error(
                        path, source, ConditionError(f"unknown node '{ref.value}'", ref.col)
                    )
                elif ref.kind == "flag" and ref.value not in self.flags_set:
                    mark = self.lines.value(path)
                    self.report.problems.append(
                        Problem(
                            self.file,
                            mark.line,
                            mark.col + ref.col,
                            f"flag '{ref.value}' is never set by any effect",
                            "raise it with `effects: {set: [" + ref.value + "]}`",
                            "warning",
                        )
                    )

    def _condition_error(self, path: PathKey, source: str, exc: ConditionError) -> None:
        mark = self.lines.value(path)
        col = mark.col + exc.col
        if 0 < mark.line <= len(self.source_lines):
            text = self.source_lines[mark.line - 1]
            if mark.col - 1 < len(text) and text[mark.col - 1] in "'\"":
                col += 1
        self.report.problems.append(
            Problem(
                self.file,
                mark.line,
                col,
                f"condition {source!r}: {exc.message}",
                exc.hint,
            )
        )

    def check_labels(self) -> None:
        for label in self.s.persona.reactions:
            if label not in LABEL_SET:
                self.error(
                    ("persona", "reactions", label),
                    f"unknown act label '{label}' in reactions",
                    "labels are those of shared/spec/acts.md",
                    key=True,
                )
        for n, node in enumerate(self.s.nodes):
            for e, label in enumerate(node.expects):
                if label not in LABEL_SET:
                    self.error(
                        ("nodes", n, "expects", e),
                        f"unknown act label '{label}' in expects",
                        "labels are those of shared/spec/acts.md",
                    )
        if self.s.persona.profile not in PROFILES:
            self.warn(
                ("persona", "profile"),
                f"profile '{self.s.persona.profile}' is not a known profile",
                "known: " + ", ".join(PROFILES),
            )

    def edges(self) -> dict[str, list[tuple[str, PathKey]]]:
        out: dict[str, list[tuple[str, PathKey]]] = defaultdict(list)
        for n, node in enumerate(self.s.nodes):
            for t, tr in enumerate(node.transitions):
                out[node.id].append((tr.goto, ("nodes", n, "transitions", t, "goto")))
            if node.fallback and node.fallback.goto:
                out[node.id].append((node.fallback.goto, ("nodes", n, "fallback", "goto")))
        return out

    def check_graph(self) -> None:
        edges = self.edges()
        known = set(self.node_index)
        for src, targets in edges.items():
            for dst, path in targets:
                if dst not in known:
                    self.error(path, f"goto '{dst}': no such node (from '{src}')")
        for i, it in enumerate(self.s.interrupts):
            if it.goto not in known:
                self.error(("interrupts", i, "goto"), f"goto '{it.goto}': no such node")
        interrupt_targets = [it.goto for it in self.s.interrupts if it.goto in known]

        for n, node in enumerate(self.s.nodes):
            if node.is_end:
                if node.transitions or node.fallback:
                    self.warn(
                        ("nodes", n, "outcome"),
                        f"end node '{node.id}' has transitions or a fallback that never run",
                        "an end node finishes the call; remove them or remove `outcome`",
                    )
                continue
            if not node.transitions and not (node.fallback and node.fallback.goto):
                self.error(
                    ("nodes", n, "id"),
                    f"dead end: node '{node.id}' has no transition and no outcome",
                    "add transitions, a fallback with goto, or an `outcome`",
                )
            elif node.fallback is None:
                self.error(
                    ("nodes", n, "id"),
                    f"node '{node.id}' has no fallback for replies that match no transition",
                    "add a fallback with reprompt lines (and `after`/`goto`)",
                )

        start = self.s.start_id
        if start not in known:
            return
        # Reachability from the start (interrupts can fire from any non-end node).
        graph: dict[str, set[str]] = {
            n.id: {d for d, _ in edges.get(n.id, []) if d in known} for n in self.s.nodes
        }
        for node in self.s.nodes:
            if not node.is_end:
                graph[node.id].update(interrupt_targets)
        reached = _reach(graph, start)
        for n, node in enumerate(self.s.nodes):
            if node.id not in reached:
                self.error(
                    ("nodes", n, "id"),
                    f"node '{node.id}' cannot be reached from '{start}'",
                    "add a transition to it, or remove it",
                )
        ends = {n.id for n in self.s.nodes if n.is_end}
        if not ends:
            self.error(("nodes",), "no end node: no node has an `outcome`", "add end nodes")
            return
        reverse: dict[str, set[str]] = defaultdict(set)
        for src, dsts in graph.items():
            for dst in dsts:
                reverse[dst].add(src)
        can_end: set[str] = set()
        for end in ends:
            can_end |= _reach(reverse, end)
        if start not in can_end:
            self.error(("nodes",), f"no path from the start '{start}' to any ending")
        for n, node in enumerate(self.s.nodes):
            if node.id in reached and node.id not in can_end:
                self.error(
                    ("nodes", n, "id"),
                    f"node '{node.id}' is in a cycle with no way to end the call",
                    "add a transition or fallback goto towards an end node",
                )

    def check_variants(self) -> None:
        incoming: dict[str, int] = defaultdict(int)
        for targets in self.edges().values():
            for dst, _ in targets:
                incoming[dst] += 1
        for it in self.s.interrupts:
            incoming[it.goto] += 1
        for n, node in enumerate(self.s.nodes):
            if node.is_end:
                continue
            self_loop = any(tr.goto == node.id for tr in node.transitions)
            if len(node.say) == 1 and (incoming[node.id] >= 3 or self_loop):
                self.warn(
                    ("nodes", n, "say"),
                    f"node '{node.id}' is reached often but has a single line",
                    "add `say` variants so that replays differ",
                )
            if node.fallback and len(node.fallback.say) == 1 and node.fallback.after > 1:
                self.warn(
                    ("nodes", n, "fallback", "say"),
                    f"the fallback of '{node.id}' repeats a single line",
                    "add reprompt variants",
                )

    def check_content(self) -> None:
        s = self.s
        for i, inv in enumerate(s.account.invoices):
            if inv.due < inv.issued:
                self.error(
                    ("account", "invoices", i, "due"),
                    f"invoice {inv.number} is due before it was issued",
                )
            if inv.paid > inv.amount:
                self.error(
                    ("account", "invoices", i, "paid"),
                    f"invoice {inv.number}: paid is more than the amount",
                )
        if s.account.segment == "b2c" and s.brief.margins.waive_indemnity:
            self.warn(
                ("brief", "margins", "waive_indemnity"),
                "the 40 € recovery indemnity does not exist in B2C",
                "remove waive_indemnity for a consumer scenario (domain.md §1)",
            )
        m = s.brief.margins
        if s.call_date and m.latest_date and m.latest_date < s.call_date:
            self.warn(("brief", "margins", "latest_date"), "latest_date is before the call date")


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in graph.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def check(scenario: Scenario, lines: LineMap, file: str, source: str = "") -> LintReport:
    """Run every semantic check; the report holds problems and compiled conditions."""
    return _Linter(scenario, lines, file, source).run()
