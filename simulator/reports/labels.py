"""The words of the reports, in French and English.

Criterion, breach, phase and outcome names and the missing-item phrases come from
:mod:`scoring.render` (the text card), so a report and ``relance show`` say the same
thing. What only the reports say — headers, the seal, the transcript — is here. Advice
and evidence quotes stay in the language the card was produced in.
"""

from __future__ import annotations

import datetime as dt

from scoring.card import ScoreCard
from scoring.frameworks.base import Missing
from scoring.render import BREACHES, CRITERIA, METRIC_NOTES, OUTCOMES, PHASES, describe_missing

LANGS: tuple[str, ...] = ("fr", "en")

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "app": "Relance",
        "title": "Rapport de session",
        "session": "Session",
        "trainee": "Stagiaire",
        "assessor": "Évaluateur",
        "scenario": "Scénario",
        "date": "Date",
        "call_date": "Date de l'appel",
        "duration": "Durée",
        "mode": "Mode",
        "status": "État",
        "outcome": "Issue",
        "rubric": "Grille",
        "language": "Langue",
        "seal": "Scellement",
        "seal_unsealed": "Non scellée",
        "seal_intact": "Scellée — intacte",
        "seal_altered": "ALTÉRÉE depuis le scellement",
        "sealed_by": "Scellée par {by} le {at}",
        "seal_hash": "Empreinte finale",
        "computed_hash": "Empreinte recalculée",
        "verify": "Vérification",
        "verify_ok": "l'empreinte recalculée correspond : rien n'a changé depuis le scellement",
        "verify_ko": "les données enregistrées ne correspondent plus au scellement",
        "verify_none": "sans objet : la session n'est pas scellée",
        "card": "Fiche d'évaluation",
        "overall": "Note globale",
        "overall_auto": "Note automatique",
        "overall_final": "Note après corrections de l'évaluateur",
        "pass": "RÉUSSI",
        "fail": "ÉCHEC",
        "pass_mark": "seuil",
        "penalties": "pénalités",
        "breaches": "Manquements",
        "blocking": "bloquant",
        "non_blocking": "non bloquant",
        "no_breach": "Aucun manquement.",
        "criteria": "Critères",
        "criterion": "Critère",
        "weight": "Poids",
        "automatic": "Automatique",
        "override": "Correction",
        "grade": "Niveau",
        "na": "sans objet",
        "evidence": "Preuves",
        "missing": "Manque",
        "advice": "Conseil",
        "turn": "tour",
        "turns": "tours",
        "timeline": "Déroulé 4C et DESC",
        "phases": "Déroulé 4C",
        "phase": "Phase",
        "labels_seen": "Actes",
        "desc": "DESC face aux résistances",
        "no_desc": "Aucune résistance du débiteur.",
        "order_ok": "ordre respecté",
        "order_ko": "ordre non respecté",
        "also": "renouvelée aux tours",
        "metrics": "Indicateurs",
        "talk_share": "Temps de parole du stagiaire",
        "questions": "Questions",
        "open": "ouvertes",
        "closed": "fermées",
        "monologue": "Plus long monologue",
        "words": "mots",
        "turn_count": "Tours",
        "transcript": "Transcription annotée",
        "debtor": "Débiteur",
        "trainee_turn": "Stagiaire",
        "acts": "Actes",
        "no_acts": "aucun acte reconnu",
        "not_analysed": "non analysé",
        "resistance": "résistance",
        "cited_by": "Cité par",
        "avoid": "à éviter",
        "prefer": "à privilégier",
        "register": "registre",
        "mood": "humeur",
        "anger": "colère",
        "trust": "confiance",
        "patience": "patience",
        "overrides": "Corrections de l'évaluateur",
        "no_overrides": "Aucune correction : les notes automatiques font foi.",
        "justification": "Justification",
        "by": "Par",
        "on": "Le",
        "no_card": "Pas de fiche d'évaluation : l'appel n'a pas été noté.",
        "bad_card": "La fiche enregistrée est illisible : {error}",
        "page": "Page {n} / {total}",
        "none": "—",
        "in_force": "en vigueur",
        "replaced": "remplacée",
        "yes": "oui",
        "no": "non",
        "scenario_hash": "Empreinte du scénario",
        "absent": "jamais fait",
    },
    "en": {
        "app": "Relance",
        "title": "Session report",
        "session": "Session",
        "trainee": "Trainee",
        "assessor": "Assessor",
        "scenario": "Scenario",
        "date": "Date",
        "call_date": "Call date",
        "duration": "Duration",
        "mode": "Mode",
        "status": "Status",
        "outcome": "Outcome",
        "rubric": "Rubric",
        "language": "Language",
        "seal": "Seal",
        "seal_unsealed": "Not sealed",
        "seal_intact": "Sealed — intact",
        "seal_altered": "ALTERED since sealing",
        "sealed_by": "Sealed by {by} on {at}",
        "seal_hash": "Final hash",
        "computed_hash": "Recomputed hash",
        "verify": "Verification",
        "verify_ok": "the recomputed hash matches: nothing changed since sealing",
        "verify_ko": "the stored data no longer match the seal",
        "verify_none": "not applicable: the session is not sealed",
        "card": "Score card",
        "overall": "Overall",
        "overall_auto": "Automatic score",
        "overall_final": "Score after the assessor's overrides",
        "pass": "PASS",
        "fail": "FAIL",
        "pass_mark": "pass mark",
        "penalties": "penalties",
        "breaches": "Breaches",
        "blocking": "blocking",
        "non_blocking": "non-blocking",
        "no_breach": "No breach.",
        "criteria": "Criteria",
        "criterion": "Criterion",
        "weight": "Weight",
        "automatic": "Automatic",
        "override": "Override",
        "grade": "Grade",
        "na": "not applicable",
        "evidence": "Evidence",
        "missing": "Missing",
        "advice": "Advice",
        "turn": "turn",
        "turns": "turns",
        "timeline": "4C and DESC timeline",
        "phases": "4C timeline",
        "phase": "Phase",
        "labels_seen": "Acts",
        "desc": "DESC on resistance",
        "no_desc": "No resistance from the debtor.",
        "order_ok": "order kept",
        "order_ko": "order not kept",
        "also": "renewed at turns",
        "metrics": "Metrics",
        "talk_share": "Trainee's talk share",
        "questions": "Questions",
        "open": "open",
        "closed": "closed",
        "monologue": "Longest monologue",
        "words": "words",
        "turn_count": "Turns",
        "transcript": "Annotated transcript",
        "debtor": "Debtor",
        "trainee_turn": "Trainee",
        "acts": "Acts",
        "no_acts": "no act recognised",
        "not_analysed": "not analysed",
        "resistance": "resistance",
        "cited_by": "Cited by",
        "avoid": "to avoid",
        "prefer": "preferred",
        "register": "register",
        "mood": "mood",
        "anger": "anger",
        "trust": "trust",
        "patience": "patience",
        "overrides": "Assessor overrides",
        "no_overrides": "No override: the automatic scores stand.",
        "justification": "Justification",
        "by": "By",
        "on": "On",
        "no_card": "No score card: the call was not scored.",
        "bad_card": "The stored score card cannot be read: {error}",
        "page": "Page {n} / {total}",
        "none": "—",
        "in_force": "in force",
        "replaced": "replaced",
        "yes": "yes",
        "no": "no",
        "scenario_hash": "Scenario hash",
        "absent": "never done",
    },
}

MODES: dict[str, dict[str, str]] = {
    "fr": {"practice": "entraînement", "assessment": "évaluation", "classroom": "classe"},
    "en": {"practice": "practice", "assessment": "assessment", "classroom": "classroom"},
}

STATUSES: dict[str, dict[str, str]] = {
    "fr": {
        "in_progress": "en cours",
        "interrupted": "interrompue",
        "finished": "terminée",
        "abandoned": "abandonnée",
    },
    "en": {
        "in_progress": "in progress",
        "interrupted": "interrupted",
        "finished": "finished",
        "abandoned": "abandoned",
    },
}

#: The act labels of acts.md, as a trainee reads them.
ACTS: dict[str, dict[str, str]] = {
    "fr": {
        "greeting": "salutation",
        "identification": "présentation",
        "verify_interlocutor": "vérification de l'interlocuteur",
        "purpose": "objet de l'appel",
        "open_question": "question ouverte",
        "closed_question": "question fermée",
        "reformulation": "reformulation",
        "empathy": "empathie",
        "fact_reminder": "rappel des faits",
        "terms_reminder": "rappel des conditions",
        "impact": "impact",
        "proposal": "proposition",
        "firmness": "fermeté",
        "consequence": "conséquence",
        "commitment_request": "demande d'engagement",
        "summary": "récapitulatif",
        "written_confirmation": "confirmation écrite",
        "closing": "prise de congé",
        "aggressive": "agressivité",
        "abusive_threat": "menace abusive",
    },
    "en": {
        "greeting": "greeting",
        "identification": "identification",
        "verify_interlocutor": "interlocutor check",
        "purpose": "purpose",
        "open_question": "open question",
        "closed_question": "closed question",
        "reformulation": "restatement",
        "empathy": "empathy",
        "fact_reminder": "facts",
        "terms_reminder": "terms",
        "impact": "impact",
        "proposal": "proposal",
        "firmness": "firmness",
        "consequence": "consequence",
        "commitment_request": "commitment request",
        "summary": "summary",
        "written_confirmation": "written confirmation",
        "closing": "leave-taking",
        "aggressive": "aggressive",
        "abusive_threat": "abusive threat",
    },
}

GRADES: dict[str, dict[str, str]] = {
    "fr": {"good": "bon", "fair": "moyen", "weak": "faible", "n/a": "sans objet"},
    "en": {"good": "good", "fair": "fair", "weak": "weak", "n/a": "n/a"},
}


class Words:
    """Every label of one language: ``w["overall"]``, ``w.criterion("desc")``…"""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else "fr"
        self._text = TEXT[self.lang]

    def __getitem__(self, key: str) -> str:
        return self._text.get(key, key)

    @property
    def sep(self) -> str:
        """The colon as each language writes it (« Note : 80 » / "Score: 80")."""
        return " : " if self.lang == "fr" else ": "

    def num(self, value: float) -> str:
        """A score: one decimal at most, the decimal comma in French."""
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if self.lang == "fr" else text

    def percent(self, share: float) -> str:
        return f"{round(share * 100)} %" if self.lang == "fr" else f"{round(share * 100)}%"

    def verdict(self, passed: bool) -> str:
        return self["pass"] if passed else self["fail"]

    def criterion(self, criterion_id: str, fallback: str = "") -> str:
        return CRITERIA[self.lang].get(criterion_id) or fallback or criterion_id

    def breach(self, code: str) -> str:
        return BREACHES[self.lang].get(code, code)

    def phase(self, phase: str) -> str:
        return PHASES[self.lang].get(phase, phase)

    def outcome(self, outcome: str | None) -> str:
        if outcome is None:
            return self["none"]
        return OUTCOMES[self.lang].get(outcome, outcome)

    def act(self, label: str) -> str:
        return ACTS[self.lang].get(label, label)

    def mode(self, mode: str) -> str:
        return MODES[self.lang].get(mode, mode)

    def status(self, status: str) -> str:
        return STATUSES[self.lang].get(status, status)

    def grade(self, grade: str) -> str:
        return GRADES[self.lang].get(grade, grade)

    def missing(self, item: Missing) -> str:
        return describe_missing(item, self.lang)

    def metric_note(self, note: str) -> str:
        return METRIC_NOTES[self.lang].get(note, note)

    def when(self, moment: dt.datetime | None) -> str:
        """A timestamp in UTC, the zone the store keeps ("2026-11-25 09:00 UTC")."""
        if moment is None:
            return self["none"]
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC)
        return f"{moment:%Y-%m-%d %H:%M} UTC"

    def duration(self, delta: dt.timedelta | None) -> str:
        if delta is None:
            return self["none"]
        seconds = max(0, round(delta.total_seconds()))
        minutes, secs = divmod(seconds, 60)
        return f"{minutes} min {secs:02d} s"

    def turn_ref(self, turn: int | None) -> str:
        return f"{self['turn']} {turn}" if turn is not None else self["absent"]

    def pass_line(self, card: ScoreCard, overall: float, passed: bool) -> str:
        """ "Overall: 78.5 / 100 — PASS (pass mark 60)"."""
        return (
            f"{self.num(overall)} / 100 — {self.verdict(passed)} "
            f"({self['pass_mark']} {self.num(card.pass_mark)})"
        )
