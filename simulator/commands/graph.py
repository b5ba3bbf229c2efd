"""``relance graph SCENARIO [--format dot|mermaid]``: the dialogue graph for authors.

Nodes (end nodes show their outcome, resistance nodes are marked), transitions labelled
with their conditions, fallbacks dashed, interrupts drawn from a virtual "any" node.
"""

from __future__ import annotations

import argparse
import sys

from simulator.dialogue.model import Scenario


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("graph", help="export a scenario's dialogue graph")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file or id")
    p.add_argument("--format", choices=["dot", "mermaid"], default="mermaid")
    p.set_defaults(func=run)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_dot(s: Scenario) -> str:
    def q(text: str) -> str:
        return '"' + text.replace('"', '\\"').replace("\n", "\\n") + '"'

    out = [f"digraph {q(s.id)} {{", "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"]
    for node in s.nodes:
        label = node.id
        attrs = []
        if node.outcome:
            label += f"\n[{node.outcome}]"
            attrs.append("shape=doubleoctagon")
        if "resistance" in node.tags:
            label += "\n(résistance/DESC)"
            attrs.append("style=filled, fillcolor=mistyrose")
        if "third_party" in node.tags:
            label += "\n(tiers/third party)"
            attrs.append("style=filled, fillcolor=lightyellow")
        if node.id == s.start_id:
            attrs.append("penwidth=2")
        out.append(f"  {q(node.id)} [label={q(label)}{', ' + ', '.join(attrs) if attrs else ''}];")
    for node in s.nodes:
        for tr in node.transitions:
            out.append(f"  {q(node.id)} -> {q(tr.goto)} [label={q(_short(tr.when))}];")
        if node.fallback and node.fallback.goto:
            fb = node.fallback
            out.append(
                f"  {q(node.id)} -> {q(str(fb.goto))} [style=dashed, label={q(f'fallback ×{fb.after}')}];"
            )
    if s.interrupts:
        out.append('  "*" [shape=circle, label="*"];')
        for it in s.interrupts:
            out.append(f'  "*" -> {q(it.goto)} [style=dotted, label={q(_short(it.when))}];')
    out.append("}")
    return "\n".join(out) + "\n"


def to_mermaid(s: Scenario) -> str:
    ids = {node.id: f"n{i}" for i, node in enumerate(s.nodes)}

    def text(value: str) -> str:
        return value.replace('"', "#quot;")

    out = ["flowchart LR"]
    for node in s.nodes:
        label = node.id
        if node.outcome:
            label += f"<br/>[{node.outcome}]"
        if "resistance" in node.tags:
            label += "<br/>(résistance/DESC)"
        if "third_party" in node.tags:
            label += "<br/>(tiers/third party)"
        shape = ('(["', '"])') if node.outcome else ('["', '"]')
        out.append(f"  {ids[node.id]}{shape[0]}{text(label)}{shape[1]}")
    for node in s.nodes:
        for tr in node.transitions:
            out.append(f'  {ids[node.id]} -->|"{text(_short(tr.when))}"| {ids[tr.goto]}')
        if node.fallback and node.fallback.goto:
            out.append(
                f'  {ids[node.id]} -.->|"fallback ×{node.fallback.after}"| {ids[node.fallback.goto]}'
            )
    if s.interrupts:
        out.append('  any(("*"))')
        for it in s.interrupts:
            out.append(f'  any -.->|"{text(_short(it.when))}"| {ids[it.goto]}')
    resist = [ids[n.id] for n in s.nodes if "resistance" in n.tags]
    if resist:
        out.append("  classDef resistance fill:#fde2e2,stroke:#c0392b")
        out.append(f"  class {','.join(resist)} resistance")
    out.append(f"  style {ids[s.start_id]} stroke-width:3px")
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    from simulator import library

    scenario = library.load_ref(args.scenario).scenario
    sys.stdout.write(to_dot(scenario) if args.format == "dot" else to_mermaid(scenario))
    return 0
