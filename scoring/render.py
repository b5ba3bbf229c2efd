"""The score card as plain text for the terminal, in French or English.

Breaches first (a blocking one is why a call failed), then each criterion with its
score, what earned credit, quoted « … » with the turn, what was missing and one advice;
then the DESC answers to each resistance, the 4C timeline and the metrics. Labels are
translated here; the advice stays in the language the card was produced in.
"""

from __future__ import annotations

from scoring.card import CardCriterion, ScoreCard
from scoring.frameworks.base import Missing

_T: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Fiche d'évaluation",
        "overall": "Note globale",
        "pass": "RÉUSSI",
        "fail": "ÉCHEC",
        "pass_mark": "seuil",
        "rubric": "Grille",
        "breaches": "Manquements",
        "blocking": "bloquant",
        "non_blocking": "non bloquant",
        "criteria": "Critères",
        "weight": "poids",
        "na": "sans objet",
        "turn": "tour",
        "turns": "tours",
        "missing": "Manque",
        "advice": "Conseil",
        "desc": "DESC face aux résistances",
        "phases": "Déroulé 4C",
        "metrics": "Indicateurs",
        "none": "aucun",
        "order_ok": "ordre respecté",
        "order_ko": "ordre non respecté",
        "also": "renouvelée au tour",
        "talk_share": "Temps de parole",
        "questions": "Questions",
        "open": "ouvertes",
        "closed": "fermées",
        "monologue": "Plus long monologue",
        "words": "mots",
        "turn_count": "Tours",
        "outcome": "Issue",
        "penalty": "pénalité",
        "points": "pts",
        "absent": "jamais fait",
        "no_breach": "Aucun manquement.",
    },
    "en": {
        "title": "Score card",
        "overall": "Overall",
        "pass": "PASS",
        "fail": "FAIL",
        "pass_mark": "pass mark",
        "rubric": "Rubric",
        "breaches": "Breaches",
        "blocking": "blocking",
        "non_blocking": "non-blocking",
        "criteria": "Criteria",
        "weight": "weight",
        "na": "not applicable",
        "turn": "turn",
        "turns": "turns",
        "missing": "Missing",
        "advice": "Advice",
        "desc": "DESC on resistance",
        "phases": "4C timeline",
        "metrics": "Metrics",
        "none": "none",
        "order_ok": "order kept",
        "order_ko": "order not kept",
        "also": "renewed at turn",
        "talk_share": "Talk share",
        "questions": "Questions",
        "open": "open",
        "closed": "closed",
        "monologue": "Longest monologue",
        "words": "words",
        "turn_count": "Turns",
        "outcome": "Outcome",
        "penalty": "penalty",
        "points": "pts",
        "absent": "never done",
        "no_breach": "No breach.",
    },
}

CRITERIA: dict[str, dict[str, str]] = {
    "fr": {
        "engage": "Engager (contact)",
        "discover": "Découvrir (comprendre)",
        "propose": "Proposer (convaincre)",
        "conclude": "Conclure",
        "desc": "DESC face aux objections",
        "balance": "Souplesse – fermeté",
        "promise": "Promesse de paiement",
        "facts": "Exactitude des faits",
        "compliance": "Conformité",
        "wording": "Expressions et registre",
    },
    "en": {
        "engage": "Engage (contact)",
        "discover": "Discover (understand)",
        "propose": "Propose (convince)",
        "conclude": "Conclude",
        "desc": "DESC on objections",
        "balance": "Flexibility – firmness",
        "promise": "Payment promise",
        "facts": "Accuracy of facts",
        "compliance": "Compliance",
        "wording": "Wording and register",
    },
}

BREACHES: dict[str, dict[str, str]] = {
    "fr": {
        "abusive_threat": "Menace abusive",
        "wrong_amount": "Montant erroné",
        "no_identification": "Pas de présentation",
        "no_verification": "Interlocuteur non vérifié",
        "third_party_disclosure": "Dette révélée à un tiers",
        "aggressive": "Agressivité",
        "pressure_to_borrow": "Incitation à emprunter",
    },
    "en": {
        "abusive_threat": "Abusive threat",
        "wrong_amount": "Wrong amount",
        "no_identification": "No identification",
        "no_verification": "Interlocutor not verified",
        "third_party_disclosure": "Debt disclosed to a third party",
        "aggressive": "Aggressive",
        "pressure_to_borrow": "Pressure to borrow",
    },
}

#: What each missing item means; ``{value}``-style fields come from ``Missing.data``.
MISSING: dict[str, dict[str, str]] = {
    "fr": {
        "greeting": "salutation",
        "identification": "présentation (nom et entreprise)",
        "verify_interlocutor": "vérification de l'interlocuteur",
        "purpose": "objet de l'appel",
        "engage_first": "la dette est abordée avant la présentation ou l'objet de l'appel",
        "open_question": "question ouverte",
        "reformulation": "reformulation",
        "empathy": "empathie",
        "discover_first": "proposition faite avant d'avoir cherché à comprendre",
        "fact_reminder": "rappel des faits",
        "proposal": "proposition concrète",
        "commitment_request": "demande d'engagement",
        "terms_or_impact": "rappel des conditions ou de l'impact",
        "summary": "récapitulatif de l'accord",
        "written_confirmation": "confirmation écrite",
        "closing": "prise de congé",
        "conclude_last": "l'appel ne se termine pas sur une conclusion",
        "D": "D — décrire les faits ({label})",
        "E": "E — exprimer l'impact ({label})",
        "S": "S — suggérer une solution ({label})",
        "C": "C — conséquences ({label})",
        "order": "ordre DESC non respecté (vu : {found})",
        "listening": "écoute (empathie, reformulation, questions ouvertes) : {count} tour(s)",
        "firmness": "fermeté (fermeté, conséquences, demande d'engagement) : {count} tour(s)",
        "balanced": "déséquilibre écoute {listening} / fermeté {firmness}",
        "concession_amount": "acompte de {value} sous le minimum de {limit}",
        "concession_instalments": "{value} échéances, au-delà du maximum de {limit}",
        "concession_date": "date {value} après la limite du {limit}",
        "concession_penalties": "renonciation aux pénalités sans mandat",
        "concession_indemnity": "renonciation à l'indemnité forfaitaire sans mandat",
        "amount": "montant de la promesse",
        "date": "date de paiement",
        "means": "moyen de paiement",
        "within_margins": "accord hors des marges ({item} {value}, limite {limit})",
        "outcome": "issue de l'appel : {outcome}",
        "debt_amount_stated": "montant dû jamais énoncé",
        "invoice_stated": "référence de facture jamais citée",
        "accuracy": "montant erroné : {value} (attendu {expected})",
        "wrong_invoice": "numéro de facture erroné : {value} (fiche : {expected})",
        "wrong_date": "date erronée : {value}",
        "avoid": "expression à éviter ({key})",
        "register": "registre : {register}",
        "wrong_amount": "montant erroné : {value} (attendu {expected})",
    },
    "en": {
        "greeting": "greeting",
        "identification": "identification (name and company)",
        "verify_interlocutor": "check of the interlocutor",
        "purpose": "purpose of the call",
        "engage_first": "the debt came before the introduction or the purpose",
        "open_question": "open question",
        "reformulation": "restatement",
        "empathy": "empathy",
        "discover_first": "offer made before trying to understand",
        "fact_reminder": "statement of the facts",
        "proposal": "concrete offer",
        "commitment_request": "request for a commitment",
        "terms_or_impact": "terms or impact",
        "summary": "recap of the agreement",
        "written_confirmation": "written confirmation",
        "closing": "leave-taking",
        "conclude_last": "the call does not end on a conclusion",
        "D": "D — describe the facts ({label})",
        "E": "E — express the impact ({label})",
        "S": "S — suggest a solution ({label})",
        "C": "C — consequences ({label})",
        "order": "DESC order not kept (seen: {found})",
        "listening": "listening (empathy, restatement, open questions): {count} turn(s)",
        "firmness": "firmness (firmness, consequences, commitment requests): {count} turn(s)",
        "balanced": "imbalance listening {listening} / firmness {firmness}",
        "concession_amount": "first payment {value} below the minimum {limit}",
        "concession_instalments": "{value} instalments, beyond the maximum {limit}",
        "concession_date": "date {value} after the limit {limit}",
        "concession_penalties": "penalties waived without authority",
        "concession_indemnity": "fixed indemnity waived without authority",
        "amount": "amount of the promise",
        "date": "payment date",
        "means": "means of payment",
        "within_margins": "agreement outside the margins ({item} {value}, limit {limit})",
        "outcome": "outcome of the call: {outcome}",
        "debt_amount_stated": "amount due never stated",
        "invoice_stated": "invoice reference never quoted",
        "accuracy": "wrong amount: {value} (expected {expected})",
        "wrong_invoice": "wrong invoice number: {value} (card: {expected})",
        "wrong_date": "wrong date: {value}",
        "avoid": "expression to avoid ({key})",
        "register": "register: {register}",
        "wrong_amount": "wrong amount: {value} (expected {expected})",
    },
}

PHASES = {
    "fr": {
        "engage": "Engager",
        "discover": "Découvrir",
        "propose": "Proposer",
        "conclude": "Conclure",
    },
    "en": {
        "engage": "Engage",
        "discover": "Discover",
        "propose": "Propose",
        "conclude": "Conclude",
    },
}

OUTCOMES = {
    "fr": {
        "promise": "promesse",
        "partial_promise": "promesse partielle",
        "refusal": "refus",
        "dispute_logged": "litige enregistré",
        "callback": "rappel convenu",
        "hang_up": "raccroché",
        "escalation": "escalade",
        "abandoned": "abandonné",
    },
    "en": {
        "promise": "promise",
        "partial_promise": "partial promise",
        "refusal": "refusal",
        "dispute_logged": "dispute logged",
        "callback": "call-back agreed",
        "hang_up": "hung up",
        "escalation": "escalation",
        "abandoned": "abandoned",
    },
}

METRIC_NOTES = {
    "fr": {
        "max_talk_share": "Vous avez beaucoup parlé : laissez plus de place au débiteur.",
        "max_monologue_words": "Un monologue trop long : découpez, posez une question.",
        "min_open_questions": "Peu de questions ouvertes : cherchez davantage à comprendre.",
    },
    "en": {
        "max_talk_share": "You did most of the talking: give the debtor more room.",
        "max_monologue_words": "A long monologue: break it up and ask a question.",
        "min_open_questions": "Few open questions: try harder to understand.",
    },
}


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def _num(x: float, lang: str) -> str:
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def _turn(n: int | None, t: dict[str, str]) -> str:
    return f"({t['turn']} {n})" if n is not None else f"({t['absent']})"


def describe_missing(m: Missing, lang: str) -> str:
    """One missing item in words, with the values it carries."""
    table = MISSING.get(lang, MISSING["fr"])
    template = table.get(m.key) or BREACHES.get(lang, BREACHES["fr"]).get(m.key) or m.key
    data = dict(m.data)
    if "outcome" in data:
        data["outcome"] = OUTCOMES.get(lang, {}).get(data["outcome"], data["outcome"])
    return template.format_map(_Safe(data))


def render_card(card: ScoreCard, lang: str = "fr") -> str:
    """A readable plain-text card; ``lang`` chooses the labels (``fr`` or ``en``)."""
    lang = lang if lang in _T else "fr"
    t = _T[lang]
    lines: list[str] = []
    verdict = t["pass"] if card.passed else t["fail"]
    lines.append(f"Relance — {t['title']}")
    lines.append(
        f"{t['overall']} : {_num(card.overall, lang)} / 100 — {verdict} "
        f"({t['pass_mark']} {_num(card.pass_mark, lang)})"
        if lang == "fr"
        else f"{t['overall']}: {_num(card.overall, lang)} / 100 — {verdict} "
        f"({t['pass_mark']} {_num(card.pass_mark, lang)})"
    )
    sep = " : " if lang == "fr" else ": "
    lines.append(
        f"{t['rubric']}{sep}{card.rubric_id} v{card.rubric_version} ({card.rubric_hash[:19]}…)"
    )
    if card.outcome:
        lines.append(f"{t['outcome']}{sep}{OUTCOMES[lang].get(card.outcome, card.outcome)}")
    lines.append("")

    lines.append(t["breaches"])
    if not card.breaches:
        lines.append(f"  {t['no_breach']}")
    for b in card.breaches:
        name = BREACHES[lang].get(b.code, b.code)
        kind = t["blocking"] if b.blocking else t["non_blocking"]
        quote = f" «{b.quote}»" if b.quote else ""
        cost = f" −{_num(b.penalty, lang)} {t['points']}" if b.penalty else ""
        lines.append(
            f"  ✗ {name} ({kind}){cost} — {t['turn']} {b.turn}{quote}"
            if b.turn is not None
            else f"  ✗ {name} ({kind}){cost}"
        )
        if b.advice:
            lines.append(f"    → {b.advice}")
    lines.append("")

    lines.append(t["criteria"])
    for c in card.criteria:
        lines.extend(_criterion(c, lang))
    lines.append("")

    lines.append(t["desc"])
    if not card.desc_timeline:
        lines.append(f"  {t['none']}")
    for ep in card.desc_timeline:
        steps = " · ".join(
            f"{s.step} {t['turn']} {s.turn}" if s.turn is not None else f"{s.step} —"
            for s in ep.steps
        )
        order = ""
        if len(ep.found) >= 2:
            order = " — " + (t["order_ok"] if ep.order_respected else t["order_ko"])
        also = f" ({t['also']} {', '.join(map(str, ep.also))})" if ep.also else ""
        lines.append(f"  {t['turn'].capitalize()} {ep.turn} «{ep.quote}»{also}")
        lines.append(f"    {steps}{order}")
    lines.append("")

    lines.append(t["phases"])
    for span in card.phase_timeline:
        turns = ", ".join(map(str, span.turns)) if span.turns else "—"
        lines.append(f"  {PHASES[lang].get(span.phase, span.phase)}{sep}{t['turns']} {turns}")
    lines.append("")

    m = card.metrics
    lines.append(t["metrics"])
    share = f"{round(m.talk_share * 100)} %" if lang == "fr" else f"{round(m.talk_share * 100)}%"
    lines.append(f"  {t['talk_share']}{sep}{share}")
    lines.append(
        f"  {t['questions']}{sep}{m.questions} ({t['open']} {m.open_questions}, "
        f"{t['closed']} {m.closed_questions})"
    )
    at = (
        f" ({t['turn']} {m.longest_monologue_turn})" if m.longest_monologue_turn is not None else ""
    )
    lines.append(f"  {t['monologue']}{sep}{m.longest_monologue_words} {t['words']}{at}")
    lines.append(f"  {t['turn_count']}{sep}{m.turns}")
    for note in m.notes:
        lines.append(f"  ! {METRIC_NOTES[lang].get(note, note)}")
    return "\n".join(lines) + "\n"


def _criterion(c: CardCriterion, lang: str) -> list[str]:
    t = _T[lang]
    sep = " : " if lang == "fr" else ": "
    title = CRITERIA[lang].get(c.id, c.title or c.id)
    weight = (
        f"{t['weight']} {round(c.weight * 100)} %"
        if lang == "fr"
        else f"{t['weight']} {round(c.weight * 100)}%"
    )
    score = f"{_num(c.score, lang)}/100" if c.applicable else t["na"]
    out = [f"  {title} — {score} ({weight})"]
    for e in c.evidence[:4]:
        out.append(f"    ✓ «{e.quote}» {_turn(e.turn, t)}")
    quoted: set[tuple[int | None, str]] = set()
    for m in c.missing:
        quote = ""
        if m.quote and m.turn is not None and (m.turn, m.quote) not in quoted:
            quoted.add((m.turn, m.quote))
            quote = f" «{m.quote}»"
        where = f" {_turn(m.turn, t)}" if m.turn is not None else ""
        lost = f" −{_num(m.lost * 100, lang)} {t['points']}"
        out.append(f"    – {describe_missing(m, lang)}{quote}{where}{lost}")
    if c.advice:
        out.append(f"    → {t['advice']}{sep}{c.advice}")
    return out
