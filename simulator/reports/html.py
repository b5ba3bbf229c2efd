"""The session report as one self-contained HTML page.

Everything is in the file: the CSS is inline, there is no script, no image, no font and
no link outside the page (every ``href`` is a ``#fragment``), so it can be mailed, filed
or opened offline years later and look the same. Every piece of recorded text — names,
titles, what was said, justifications — is escaped.

Layout: the header (who, what, when, the seal and its verification), the score card
(verdict, breaches first, each criterion with its evidence and advice), the 4C/DESC
timeline and metrics, the annotated transcript (acts per trainee turn; each turn carries
the anchor ``#turn-N`` the card links to, and links back to what cites it), then the
assessor's overrides beside the automatic scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from scoring.card import CardBreach
from scoring.labels import LABEL_PHASE
from simulator.reports.model import CriterionView, SessionReport, anchor, turn_labels
from simulator.store.model import TurnRecord

CSS = """
:root { --ink:#1d232b; --muted:#5b6573; --line:#d8dde3; --ok:#1e7d3a; --ko:#b3261e;
  --warn:#9a6700; --engage:#2b6cb0; --discover:#2f855a; --propose:#b7791f;
  --conclude:#6b46c1; --negative:#b3261e; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
  max-width: 60rem; margin: 0 auto; padding: 1.5rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--line); padding-bottom: .3rem;
  margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.4rem; }
h4 { font-size: 1rem; margin: 0 0 .4rem; }
a { color: var(--engage); }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .85em;
  overflow-wrap: anywhere; }
q { quotes: "«\\00a0" "\\00a0»" "“" "”"; font-style: italic; }
.app { color: var(--muted); margin: 0; letter-spacing: .05em; text-transform: uppercase; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
  gap: .3rem 1.2rem; margin: 0; }
.facts div { display: flex; gap: .5rem; }
.facts dt { color: var(--muted); min-width: 7rem; }
.facts dd { margin: 0; font-weight: 600; }
.seal { margin-top: 1rem; padding: .7rem 1rem; border-radius: 6px; border: 1px solid var(--line);
  background: #f6f8fa; }
.seal p { margin: .2rem 0; }
.seal-intact { border-color: var(--ok); background: #eef8f1; }
.seal-altered { border: 3px solid var(--ko); background: #fdecea; }
.seal-altered .seal-state { color: var(--ko); font-size: 1.15rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.verdict { font-size: 1.25rem; font-weight: 700; margin: .4rem 0; }
.verdict.pass { color: var(--ok); } .verdict.fail { color: var(--ko); }
.verdict.secondary { font-size: 1rem; font-weight: 600; color: var(--muted); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 3px; font-size: .8rem;
  font-weight: 700; color: #fff; background: var(--muted); vertical-align: middle; }
.badge.pass { background: var(--ok); } .badge.fail, .badge.blocking { background: var(--ko); }
.badge.non-blocking { background: var(--warn); }
.breaches li { margin-bottom: .6rem; }
.breach.blocking { border-left: 4px solid var(--ko); padding-left: .6rem; }
.breach.non-blocking { border-left: 4px solid var(--warn); padding-left: .6rem; }
.advice { margin: .3rem 0 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f1f3f5; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.overridden td { background: #fff8e1; }
.criterion { border: 1px solid var(--line); border-radius: 6px; padding: .7rem 1rem;
  margin: .8rem 0; break-inside: avoid; }
.criterion ul { margin: .3rem 0; padding-left: 1.2rem; }
.criterion .evidence li::marker { content: "✓ "; color: var(--ok); }
.criterion .missing li::marker { content: "– "; color: var(--ko); }
.override-note { background: #fff8e1; border-left: 4px solid var(--warn); padding: .3rem .6rem; }
.muted { color: var(--muted); }
.grid td { text-align: center; min-width: 1.8rem; padding: .2rem; }
.grid td.on a { display: block; color: #fff; text-decoration: none; font-weight: 700; }
.grid tr.engage td.on { background: var(--engage); }
.grid tr.discover td.on { background: var(--discover); }
.grid tr.propose td.on { background: var(--propose); }
.grid tr.conclude td.on { background: var(--conclude); }
.grid th[scope=row] { white-space: nowrap; }
.grid td.small { text-align: left; }
td code { white-space: nowrap; }
.transcript { list-style: none; padding: 0; }
.turn { margin: .6rem 0; padding: .5rem .8rem; border-radius: 8px; max-width: 85%;
  break-inside: avoid; }
.turn.debtor { background: #f1f3f5; border: 1px solid var(--line); margin-right: auto; }
.turn.trainee { background: #e8f0fb; border: 1px solid #b9cfee; margin-left: auto; }
.turn.cited { box-shadow: 0 0 0 2px #9fb7d9; }
.turn.breach-turn { border: 2px solid var(--ko); }
.turn:target { outline: 3px solid var(--warn); }
.who { font-size: .8rem; font-weight: 700; color: var(--muted); text-transform: uppercase; }
.turn .text { margin: .25rem 0; }
.acts { list-style: none; padding: 0; margin: .3rem 0 0; display: flex; flex-wrap: wrap;
  gap: .3rem; }
.act { font-size: .78rem; padding: .05rem .45rem; border-radius: 10px; color: #fff;
  background: var(--muted); }
.act.engage { background: var(--engage); } .act.discover { background: var(--discover); }
.act.propose { background: var(--propose); } .act.conclude { background: var(--conclude); }
.act.negative { background: var(--negative); }
.tag { font-size: .78rem; font-weight: 700; color: var(--warn); }
.small { font-size: .82rem; color: var(--muted); margin: .2rem 0 0; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: .6rem;
  font-size: .8rem; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
}
"""


def e(value: object) -> str:
    """Escape recorded text for HTML (quotes too, so it is safe in attributes)."""
    return escape(str(value), quote=True)


def _link(kind: str, key: object, text: str) -> str:
    return f'<a href="#{anchor(kind, key)}">{text}</a>'


def _turn_link(report: SessionReport, turn: int | None) -> str:
    w = report.words
    if turn is None:
        return f'<span class="muted">({e(w["absent"])})</span>'
    label = e(w.turn_ref(turn))
    if turn in report.turn_indexes:
        return _link("turn", turn, label)
    return label


def _quote(text: str) -> str:
    return f"<q>{e(text)}</q>" if text else ""


def render_html(report: SessionReport) -> str:
    """The whole report as an HTML document (a ``str``; write it as UTF-8)."""
    w = report.words
    s = report.session
    title = f"{w['app']} — {w['title']} {s.id} — {s.trainee}"
    body = [
        _header(report),
        _nav(report),
        _card(report),
        _timeline(report),
        _transcript(report),
        _overrides(report),
        _footer(report),
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(w.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Relance">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


# -- header ---------------------------------------------------------------------------


def _fact(label: str, value: str) -> str:
    return f"<div><dt>{e(label)}</dt><dd>{value}</dd></div>"


def _header(report: SessionReport) -> str:
    w = report.words
    s = report.session
    rubric = f"{e(s.rubric_id)} v{e(s.rubric_version)}" if s.rubric_id else e(w["none"])
    facts = [
        _fact(w["trainee"], e(s.trainee)),
        _fact(w["assessor"], e(s.assessor) if s.assessor else e(w["none"])),
        _fact(w["scenario"], f"{e(s.scenario_title)} <code>{e(s.scenario_id)}</code>"),
        _fact(w["date"], e(w.when(s.started_at))),
        _fact(w["call_date"], e(s.call_date.isoformat())),
        _fact(w["duration"], e(w.duration(report.duration))),
        _fact(w["mode"], e(w.mode(s.mode))),
        _fact(w["status"], e(w.status(s.status))),
        _fact(w["outcome"], e(w.outcome(s.outcome))),
        _fact(w["session"], f"<code>{e(s.id)}</code>"),
        _fact(w["rubric"], rubric),
        _fact(w["language"], e(s.lang)),
    ]
    return (
        '<header class="report-header">\n'
        f'<p class="app">{e(w["app"])}</p>\n'
        f"<h1>{e(w['title'])} <code>{e(s.id)}</code></h1>\n"
        f'<dl class="facts">\n{chr(10).join(facts)}\n</dl>\n'
        f"{_seal(report)}\n</header>"
    )


def _seal(report: SessionReport) -> str:
    w = report.words
    s = report.session
    state = report.seal_state
    verify = report.verify
    lines = [
        f'<p class="seal-state"><strong>{e(w["seal"])}{e(w.sep)}'
        f"{e(w['seal_' + state])}</strong></p>"
    ]
    if s.seal is not None:
        lines.append(f"<p>{e(w['sealed_by'].format(by=s.seal.by, at=w.when(s.seal.at)))}</p>")
    seal_hash = verify.seal_hash or (s.seal.hash if s.seal else None)
    if seal_hash:
        lines.append(f"<p>{e(w['seal_hash'])}{e(w.sep)}<code>{e(seal_hash)}</code></p>")
    if state == "unsealed":
        lines.append(f"<p>{e(w['verify'])}{e(w.sep)}{e(w['verify_none'])}</p>")
    elif state == "intact":
        lines.append(f"<p>{e(w['verify'])}{e(w.sep)}{e(w['verify_ok'])}</p>")
    else:
        lines.append(f"<p><strong>{e(w['verify'])}{e(w.sep)}{e(w['verify_ko'])}</strong></p>")
        if report.problems:
            items = "".join(f"<li>{e(p)}</li>" for p in report.problems)
            lines.append(f'<ul class="problems">{items}</ul>')
        if verify.computed_hash:
            lines.append(
                f"<p>{e(w['computed_hash'])}{e(w.sep)}<code>{e(verify.computed_hash)}</code></p>"
            )
    return f'<div class="seal seal-{state}" id="seal">\n' + "\n".join(lines) + "\n</div>"


def _nav(report: SessionReport) -> str:
    w = report.words
    items = [
        ("card", w["card"]),
        ("timeline", w["timeline"]),
        ("transcript", w["transcript"]),
        ("overrides", w["overrides"]),
    ]
    links = "".join(f'<li><a href="#{key}">{e(text)}</a></li>' for key, text in items)
    return f"<nav><ul>{links}</ul></nav>"


# -- score card -------------------------------------------------------------------------


def _verdict(report: SessionReport, label: str, overall: float, passed: bool, cls: str) -> str:
    assert report.card is not None
    w = report.words
    state = "pass" if passed else "fail"
    return (
        f'<p class="verdict {state}{cls}">{e(label)}{e(w.sep)}'
        f"{e(w.pass_line(report.card, overall, passed))}</p>"
    )


def _card(report: SessionReport) -> str:
    w = report.words
    out = [f'<section id="card">\n<h2>{e(w["card"])}</h2>']
    card = report.card
    if card is None:
        message = w["no_card"]
        if report.card_error:
            message = w["bad_card"].format(error=report.card_error)
        out.append(f'<p class="muted">{e(message)}</p>\n</section>')
        return "\n".join(out)
    if report.has_overrides and report.final_overall is not None:
        out.append(
            _verdict(
                report, w["overall_final"], report.final_overall, bool(report.final_passed), ""
            )
        )
        out.append(_verdict(report, w["overall_auto"], card.overall, card.passed, " secondary"))
    else:
        out.append(_verdict(report, w["overall"], card.overall, card.passed, ""))
    rubric = f"{card.rubric_id} v{card.rubric_version}"
    extra = f" · {w['penalties']} −{w.num(card.penalties)}" if card.penalties else ""
    out.append(
        f'<p class="small">{e(w["rubric"])}{e(w.sep)}{e(rubric)} '
        f"<code>{e(card.rubric_hash)}</code>{e(extra)}</p>"
    )

    out.append(f"<h3>{e(w['breaches'])}</h3>")
    if not card.breaches:
        out.append(f"<p>{e(w['no_breach'])}</p>")
    else:
        items = [_breach(report, n, b) for n, b in enumerate(card.breaches, start=1)]
        out.append('<ol class="breaches">\n' + "\n".join(items) + "\n</ol>")

    out.append(f"<h3>{e(w['criteria'])}</h3>")
    out.append(_criteria_table(report))
    out.extend(_criterion(report, c) for c in report.criteria)
    out.append(_metrics(report))
    out.append("</section>")
    return "\n".join(out)


def _breach(report: SessionReport, n: int, b: CardBreach) -> str:
    w = report.words
    kind = "blocking" if b.blocking else "non-blocking"
    kind_text = w["blocking"] if b.blocking else w["non_blocking"]
    cost = f" −{w.num(b.penalty)} pts" if b.penalty else ""
    parts = [
        f'<li class="breach {kind}" id="{anchor("breach", n)}">',
        f"<strong>{e(w.breach(b.code))}</strong> <code>{e(b.code)}</code> ",
        f'<span class="badge {kind}">{e(kind_text)}</span>{e(cost)} — ',
        _turn_link(report, b.turn),
        f" {_quote(b.quote)}" if b.quote else "",
    ]
    if b.criterion:
        parts.append(
            f' <span class="small">({_link("criterion", b.criterion, e(w.criterion(b.criterion)))})</span>'
        )
    if b.advice:
        parts.append(f'<p class="advice">→ {e(b.advice)}</p>')
    parts.append("</li>")
    return "".join(parts)


def _score(report: SessionReport, c: CriterionView, value: float) -> str:
    w = report.words
    if not c.applicable and not c.overridden:
        return e(w["na"])
    return e(f"{w.num(value)}/100")


def _criteria_table(report: SessionReport) -> str:
    w = report.words
    head = (
        f'<tr><th>{e(w["criterion"])}</th><th class="num">{e(w["weight"])}</th>'
        f'<th class="num">{e(w["automatic"])}</th><th class="num">{e(w["override"])}</th>'
        f"<th>{e(w['grade'])}</th></tr>"
    )
    rows = []
    for c in report.criteria:
        override = c.override
        cls = ' class="overridden"' if override else ""
        override_cell = e(f"{w.num(override.score)}/100") if override else e(w["none"])
        automatic = e(f"{w.num(c.automatic)}/100") if c.applicable else e(w["na"])
        rows.append(
            f"<tr{cls}><td>{_link('criterion', c.id, e(c.title))}</td>"
            f'<td class="num">{e(w.percent(c.weight))}</td>'
            f'<td class="num">{automatic}</td><td class="num">{override_cell}</td>'
            f"<td>{e(w.grade(c.grade))}</td></tr>"
        )
    return (
        f'<table class="criteria">\n<thead>{head}</thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )


def _criterion(report: SessionReport, c: CriterionView) -> str:
    w = report.words
    shown = c.final if c.overridden else c.automatic
    out = [
        f'<article class="criterion" id="{anchor("criterion", c.id)}">',
        f"<h4>{e(c.title)} — {_score(report, c, shown)} "
        f'<span class="muted">({e(w["weight"].lower())} {e(w.percent(c.weight))})</span></h4>',
    ]
    override = c.override
    if override is not None:
        out.append(
            f'<p class="override-note"><strong>{e(w["override"])}{e(w.sep)}'
            f"{e(w.num(override.score))}/100</strong> — {e(override.assessor)}{e(w.sep)}"
            f"{_quote(override.justification)} "
            f'<span class="muted">({e(w["automatic"].lower())} {_score(report, c, c.automatic)})</span></p>'
        )
    if c.evidence:
        out.append(f'<p class="small">{e(w["evidence"])}</p><ul class="evidence">')
        out.extend(
            f"<li>{_quote(ev.quote)} {_turn_link(report, ev.turn)}</li>" for ev in c.evidence
        )
        out.append("</ul>")
    if c.missing:
        out.append(f'<p class="small">{e(w["missing"])}</p><ul class="missing">')
        for m in c.missing:
            quote = f" {_quote(m.quote)}" if m.quote else ""
            where = f" {_turn_link(report, m.turn)}" if m.turn is not None else ""
            out.append(
                f"<li>{e(w.missing(m))}{quote}{where} "
                f'<span class="muted">−{e(w.num(m.lost * 100))} pts</span></li>'
            )
        out.append("</ul>")
    if c.advice:
        out.append(
            f'<p class="advice"><strong>{e(w["advice"])}{e(w.sep)}</strong>{e(c.advice)}</p>'
        )
    out.append("</article>")
    return "\n".join(out)


def _metrics(report: SessionReport) -> str:
    assert report.card is not None
    w = report.words
    m = report.card.metrics
    monologue = f"{m.longest_monologue_words} {w['words']}"
    at = (
        f" ({_turn_link(report, m.longest_monologue_turn)})"
        if m.longest_monologue_turn is not None
        else ""
    )
    rows = [
        (w["talk_share"], e(w.percent(m.talk_share))),
        (
            w["questions"],
            e(
                f"{m.questions} ({w['open']} {m.open_questions}, {w['closed']} {m.closed_questions})"
            ),
        ),
        (w["monologue"], e(monologue) + at),
        (w["turn_count"], e(m.turns)),
    ]
    body = "".join(f'<tr><th scope="row">{e(k)}</th><td>{v}</td></tr>' for k, v in rows)
    notes = "".join(f"<li>{e(w.metric_note(n))}</li>" for n in m.notes)
    return f'<h3>{e(w["metrics"])}</h3>\n<table class="metrics"><tbody>{body}</tbody></table>' + (
        f'\n<ul class="notes">{notes}</ul>' if notes else ""
    )


# -- timeline -------------------------------------------------------------------------


def _timeline(report: SessionReport) -> str:
    w = report.words
    out = [f'<section id="timeline">\n<h2>{e(w["timeline"])}</h2>']
    card = report.card
    if card is None:
        out.append(f'<p class="muted">{e(w["no_card"])}</p>\n</section>')
        return "\n".join(out)
    trainee_turns = [t.index for t in report.session.turns if t.speaker == "trainee"]
    spans = {span.phase: span for span in card.phase_timeline}
    out.append(f"<h3>{e(w['phases'])}</h3>")
    if trainee_turns and spans:
        head = "".join(f'<th class="num">{_turn_link_short(report, i)}</th>' for i in trainee_turns)
        rows = []
        for span in card.phase_timeline:
            cells = []
            for i in trainee_turns:
                if i in span.turns:
                    cells.append(f'<td class="on">{_link("turn", i, "●")}</td>')
                else:
                    cells.append("<td></td>")
            labels = ", ".join(w.act(label) for label in span.labels) or w["none"]
            rows.append(
                f'<tr class="{e(span.phase)}"><th scope="row">{e(w.phase(span.phase))}</th>'
                + "".join(cells)
                + f'<td class="small">{e(labels)}</td></tr>'
            )
        out.append(
            f'<table class="grid"><thead><tr><th>{e(w["phase"])}</th>{head}'
            f"<th>{e(w['labels_seen'])}</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    else:
        for span in card.phase_timeline:
            turns = ", ".join(_turn_link_short(report, t) for t in span.turns) or e(w["none"])
            out.append(f"<p>{e(w.phase(span.phase))}{e(w.sep)}{turns}</p>")

    out.append(f"<h3>{e(w['desc'])}</h3>")
    if not card.desc_timeline:
        out.append(f"<p>{e(w['no_desc'])}</p>")
    for ep in card.desc_timeline:
        steps = " · ".join(
            f"<strong>{e(st.step)}</strong> {_turn_link(report, st.turn)}"
            if st.turn is not None
            else f'<strong>{e(st.step)}</strong> <span class="muted">{e(w["none"])}</span>'
            for st in ep.steps
        )
        order = ""
        if len(ep.found) >= 2:
            order = " — " + e(w["order_ok"] if ep.order_respected else w["order_ko"])
        also = ""
        if ep.also:
            links = ", ".join(_turn_link_short(report, t) for t in ep.also)
            also = f' <span class="small">({e(w["also"])} {links})</span>'
        out.append(
            f'<div class="criterion"><p>{_turn_link(report, ep.turn)} {_quote(ep.quote)}{also}</p>'
            f"<p>{steps}{order}</p></div>"
        )
    out.append("</section>")
    return "\n".join(out)


def _turn_link_short(report: SessionReport, turn: int) -> str:
    return _link("turn", turn, e(turn)) if turn in report.turn_indexes else e(turn)


# -- transcript -------------------------------------------------------------------------


def _transcript(report: SessionReport) -> str:
    w = report.words
    out = [f'<section id="transcript">\n<h2>{e(w["transcript"])}</h2>', '<ol class="transcript">']
    out.extend(_turn(report, t) for t in report.session.turns)
    out.append("</ol>\n</section>")
    return "\n".join(out)


def _turn(report: SessionReport, turn: TurnRecord) -> str:
    w = report.words
    cites = report.citations.get(turn.index, ())
    classes = ["turn", turn.speaker]
    if cites:
        classes.append("cited")
    if any(kind == "breach" for kind, _ in cites):
        classes.append("breach-turn")
    who = w["debtor"] if turn.speaker == "debtor" else w["trainee_turn"]
    out = [
        f'<li class="{" ".join(classes)}" id="{anchor("turn", turn.index)}">',
        f'<div class="who">{e(who)} · {e(w["turn"])} {e(turn.index)}</div>',
        f'<p class="text">{e(turn.text)}</p>',
    ]
    if turn.speaker == "trainee":
        out.append(_acts(report, turn))
        flags = [
            f"{e(w['avoid'] if f.get('polarity') == 'avoid' else w['prefer'])}{e(w.sep)}"
            f"{_quote(str((f.get('span') or {}).get('text', f.get('key', ''))))}"
            for f in turn.wording or ()
        ]
        if flags:
            out.append(f'<p class="small">{" · ".join(flags)}</p>')
    else:
        extra = []
        if "resistance" in turn.tags:
            extra.append(f'<span class="tag">{e(w["resistance"])}</span>')
        if turn.mood:
            mood = ", ".join(
                f"{w[k]} {turn.mood[k]}" for k in ("anger", "trust", "patience") if k in turn.mood
            )
            if mood:
                extra.append(f"{e(w['mood'])}{e(w.sep)}{e(mood)}")
        if extra:
            out.append(f'<p class="small">{" · ".join(extra)}</p>')
    if cites:
        out.append(f'<p class="small">{e(w["cited_by"])}{e(w.sep)}{_cites(report, cites)}</p>')
    out.append("</li>")
    return "\n".join(out)


def _acts(report: SessionReport, turn: TurnRecord) -> str:
    w = report.words
    if turn.acts is None:
        return f'<p class="small">{e(w["acts"])}{e(w.sep)}{e(w["not_analysed"])}</p>'
    labels = turn_labels(turn)
    if not labels:
        return f'<p class="small">{e(w["acts"])}{e(w.sep)}{e(w["no_acts"])}</p>'
    chips = []
    for label in labels:
        cls = (LABEL_PHASE[label] or "negative") if label in LABEL_PHASE else "other"
        chips.append(f'<li class="act {e(cls)}" title="{e(label)}">{e(w.act(label))}</li>')
    return f'<ul class="acts" aria-label="{e(w["acts"])}">{"".join(chips)}</ul>'


def _cites(report: SessionReport, cites: Iterable[tuple[str, str]]) -> str:
    w = report.words
    links = []
    for kind, key in cites:
        if kind == "breach":
            breach = report.breaches[int(key) - 1]
            links.append(_link("breach", key, "✗ " + e(w.breach(breach.code))))
        else:
            title = next((c.title for c in report.criteria if c.id == key), key)
            mark = "✓ " if kind == "evidence" else "– "
            links.append(_link("criterion", key, mark + e(title)))
    return ", ".join(links)


# -- overrides ------------------------------------------------------------------------


def _overrides(report: SessionReport) -> str:
    w = report.words
    out = [f'<section id="overrides">\n<h2>{e(w["overrides"])}</h2>']
    overrides = report.session.overrides
    if not overrides:
        out.append(f"<p>{e(w['no_overrides'])}</p>\n</section>")
        return "\n".join(out)
    views = {c.id: c for c in report.criteria}
    head = (
        f'<tr><th>#</th><th>{e(w["criterion"])}</th><th class="num">{e(w["automatic"])}</th>'
        f'<th class="num">{e(w["override"])}</th><th>{e(w["justification"])}</th>'
        f"<th>{e(w['by'])}</th><th>{e(w['on'])}</th></tr>"
    )
    rows = []
    for o in overrides:
        view = views.get(o.criterion)
        name = _link("criterion", o.criterion, e(view.title)) if view else e(o.criterion)
        automatic = _score(report, view, view.automatic) if view else e(w["none"])
        in_force = view is not None and view.override == o
        state = w["in_force"] if in_force else w["replaced"]
        rows.append(
            f"<tr><td>{e(o.number)}</td><td>{name} <code>{e(o.criterion)}</code></td>"
            f'<td class="num">{automatic}</td>'
            f'<td class="num">{e(w.num(o.score))}/100 <span class="small">({e(state)})</span></td>'
            f"<td>{e(o.justification)}</td><td>{e(o.assessor)}</td>"
            f"<td>{e(w.when(o.created_at))}</td></tr>"
        )
    out.append(
        f'<table class="overrides"><thead>{head}</thead><tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table>\n</section>"
    )
    return "\n".join(out)


def _footer(report: SessionReport) -> str:
    w = report.words
    s = report.session
    return (
        f"<footer><p>{e(w['app'])} — {e(w['session'])} <code>{e(s.id)}</code> · "
        f"{e(w['scenario_hash'])}{e(w.sep)}<code>{e(s.scenario_hash)}</code>"
        + (f" · {e(w['rubric'])}{e(w.sep)}<code>{e(s.rubric_hash)}</code>" if s.rubric_hash else "")
        + "</p></footer>"
    )
