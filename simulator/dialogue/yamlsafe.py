"""Safe YAML loading that remembers where every value came from.

Scenario files come from third parties. We compose the document with PyYAML's safe
composer (no Python tags), then build plain data ourselves so that we can:

* reject duplicate keys (PyYAML silently keeps the last one);
* reject ``!!python/...`` and any other unknown tag with the line of the tag;
* bound alias expansion (a "billion laughs" document is refused, not expanded);
* record the line and column of every mapping key and value, so that schema errors
  found later can point at ``file:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

#: Most nodes a document may expand to (aliases counted each time they are used).
MAX_NODES = 200_000
MAX_BYTES = 2_000_000

PathKey = tuple[str | int, ...]

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True, slots=True)
class Mark:
    """1-based line and column."""

    line: int
    col: int


class YamlProblem(Exception):
    """A document that cannot be turned into data safely."""

    def __init__(self, message: str, mark: Mark, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.hint = hint


@dataclass(slots=True)
class LineMap:
    """Where each value (and each mapping key) of the document starts."""

    values: dict[PathKey, Mark] = field(default_factory=dict)
    keys: dict[PathKey, Mark] = field(default_factory=dict)

    def find(self, path: PathKey) -> Mark:
        """The mark of ``path`` or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Mark(1, 1)

    def value(self, path: PathKey) -> Mark:
        """The mark of the value at ``path`` (or the nearest known one)."""
        if path in self.values:
            return self.values[path]
        return self.find(path)


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self) -> None:
        self.lines = LineMap()
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # only used to construct scalars

    def build(self, node: Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem(
                f"document expands to more than {MAX_NODES} values (alias bomb?)",
                _mark(node),
                "remove the anchors/aliases (&name / *name) that repeat large blocks",
            )
        self.lines.values.setdefault(path, _mark(node))
        if node.tag not in _SAFE_TAGS:
            raise YamlProblem(
                f"tag {node.tag!r} is not allowed",
                _mark(node),
                "scenario files may only contain plain text, numbers, lists and mappings",
            )
        if isinstance(node, ScalarNode):
            return self.constructor.construct_object(node, deep=True)
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlProblem(
                        "merge keys (<<) are not supported",
                        _mark(key_node),
                        "write the keys out in full",
                    )
                if not isinstance(key_node, ScalarNode):
                    raise YamlProblem("mapping keys must be plain text", _mark(key_node))
                key = self.build(key_node, (*path, "<key>"))
                if not isinstance(key, str | int | bool):
                    raise YamlProblem("mapping keys must be plain text", _mark(key_node))
                skey = str(key) if not isinstance(key, bool) else ("true" if key else "false")
                if skey in out:
                    first = self.lines.keys.get((*path, skey), Mark(0, 0))
                    raise YamlProblem(
                        f"duplicate key '{skey}' (first defined on line {first.line})",
                        _mark(key_node),
                        "remove or rename one of them",
                    )
                self.lines.keys[(*path, skey)] = _mark(key_node)
                out[skey] = self.build(value_node, (*path, skey))
            return out
        raise YamlProblem("unsupported YAML node", _mark(node))  # pragma: no cover


def _scanner_hint(problem: str) -> str:
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a ':' inside a text must be quoted: put the whole text between quotes"
    if "found character" in problem and "'@'" in problem:
        return "texts starting with @ or ` must be quoted"
    if "could not find expected ':'" in problem:
        return "check the indentation and that each key ends with ':'"
    if "found undefined alias" in problem:
        return "define the anchor (&name) before using *name"
    return "check the indentation and quoting around this line"


def loads(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document from ``text``; raise :class:`YamlProblem` on any issue."""
    if len(text.encode("utf-8", "ignore")) > MAX_BYTES:
        raise YamlProblem(f"file larger than {MAX_BYTES // 1_000_000} MB", Mark(1, 1))
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
            problem = str(exc.problem or exc.context or "invalid YAML")
            hint = _scanner_hint(problem)
            lines = text.splitlines()
            if 0 < where.line <= len(lines) and "\t" in lines[where.line - 1]:
                hint = "indent with spaces, not tabs"
            raise YamlProblem(f"YAML syntax error: {problem}", where, hint) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(f"YAML error: {exc}", Mark(1, 1)) from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlProblem("the file is empty", Mark(1, 1), "start from `relance new`")
    builder = _Builder()
    try:
        data = builder.build(node, ())
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        raise YamlProblem(f"invalid value: {exc.problem}", where) from None
    return data, builder.lines


def load_file(path: Path) -> tuple[Any, LineMap, bytes]:
    """Read and parse ``path``; also return its raw bytes (for the content hash)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            "the file is not valid UTF-8", Mark(line, 1), "save the file as UTF-8"
        ) from None
    data, lines = loads(text)
    return data, lines, raw
