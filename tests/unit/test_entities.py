"""Entities of a trainee utterance: amounts, dates, means, invoices, instalments."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring.analyzer import analyze
from scoring.entities import extract
from scoring.types import Entity

#: A Wednesday.
CALL_DATE = dt.date(2025, 3, 12)


def _ents(text: str, lang: str = "fr", kind: str | None = None) -> list[Entity]:
    found = extract(text, lang, CALL_DATE)
    for ent in found:  # spans always point into the original text
        assert text[ent.span.start : ent.span.end] == ent.span.text
    return [e for e in found if kind is None or e.kind == kind]


def _one(text: str, kind: str, lang: str = "fr") -> Entity:
    found = _ents(text, lang, kind)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "lang", "value", "currency", "span"),
    [
        ("Je vous propose 1 200 € vendredi.", "fr", 1200.0, "EUR", "1 200 €"),
        ("Il reste 1200,50 € à régler.", "fr", 1200.5, "EUR", "1200,50 €"),
        ("Un virement de 1.200,50 € demain.", "fr", 1200.5, "EUR", "1.200,50 €"),
        ("Un virement de 1.200,50 demain.", "fr", 1200.5, "EUR", "1.200,50"),
        ("The balance is €1,200.", "en", 1200.0, "EUR", "€1,200"),
        ("Could you do £300 today?", "en", 300.0, "GBP", "£300"),
        ("Je peux vous faire 400 euros.", "fr", 400.0, "EUR", "400 euros"),
        (
            "La facture de mille deux cent cinquante euros.",
            "fr",
            1250.0,
            "EUR",
            "mille deux cent cinquante euros",
        ),
        ("Douze cents euros, ça vous va ?", "fr", 1200.0, "EUR", "Douze cents euros"),
        ("Twelve hundred pounds by Friday.", "en", 1200.0, "GBP", "Twelve hundred pounds"),
        ("two hundred quid", "en", 200.0, "GBP", "two hundred quid"),
        ("les 3 400 balles", "fr", 3400.0, "EUR", "3 400 balles"),
        ("$250 by card", "en", 250.0, "USD", "$250"),
    ],
)
def test_amounts(text: str, lang: str, value: float, currency: str, span: str) -> None:
    ent = _one(text, "amount", lang)
    assert ent.value == value
    assert ent.currency == currency
    assert ent.span.text == span


def test_amount_without_currency_uses_the_language_default() -> None:
    assert _one("un versement de 450 le 3", "amount").currency == "EUR"
    assert _one("a payment of 450 on the 3rd", "amount", "en").currency == "GBP"


def test_invoice_number_is_not_an_amount() -> None:
    found = _ents("Je vous appelle pour la facture 2041.")
    assert [e.kind for e in found] == ["invoice"]
    assert found[0].value == "2041"


def test_day_of_month_is_a_date_not_an_amount() -> None:
    found = _ents("Vous pouvez régler le 15 ?")
    assert [(e.kind, e.value) for e in found] == [("date", "2025-03-15")]


@pytest.mark.parametrize(
    ("text", "lang", "iso", "span"),
    [
        ("Vendredi, ça vous va ?", "fr", "2025-03-14", "Vendredi"),
        ("vendredi prochain", "fr", "2025-03-14", "vendredi prochain"),
        ("le 15", "fr", "2025-03-15", "le 15"),
        ("le 5", "fr", "2025-04-05", "le 5"),
        ("le 15 décembre", "fr", "2025-12-15", "le 15 décembre"),
        ("au 15/12", "fr", "2025-12-15", "15/12"),
        ("demain", "fr", "2025-03-13", "demain"),
        ("après-demain", "fr", "2025-03-14", "après-demain"),
        ("avant la fin du mois", "fr", "2025-03-31", "la fin du mois"),
        ("en fin de semaine", "fr", "2025-03-14", "en fin de semaine"),
        ("d'ici la semaine prochaine", "fr", "2025-03-21", "d'ici la semaine prochaine"),
        ("lundi en huit", "fr", "2025-03-24", "lundi en huit"),
        ("next Friday", "en", "2025-03-14", "next Friday"),
        ("by the end of the month", "en", "2025-03-31", "by the end of the month"),
        ("on the 3rd", "en", "2025-04-03", "on the 3rd"),
        ("tomorrow", "en", "2025-03-13", "tomorrow"),
        ("on 2 April", "en", "2025-04-02", "2 April"),
    ],
)
def test_dates_resolve_against_the_call_date(text: str, lang: str, iso: str, span: str) -> None:
    ent = _one(text, "date", lang)
    assert ent.value == iso
    assert span in ent.span.text


def test_past_dates_resolve_backwards() -> None:
    ent = _one("La facture est échue depuis le 15 avril.", "date")
    assert ent.value == "2024-04-15"


def test_default_call_date_is_today() -> None:
    ent = extract("demain", "fr")[0]
    assert ent.value == (dt.date.today() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("par virement", "fr", "transfer"),
        ("un chèque", "fr", "cheque"),
        ("par carte bancaire", "fr", "card"),
        ("un prélèvement automatique", "fr", "direct_debit"),
        ("en espèces", "fr", "cash"),
        ("by bank transfer", "en", "transfer"),
        ("by cheque", "en", "cheque"),
        ("by card over the phone", "en", "card"),
        ("by direct debit", "en", "direct_debit"),
        ("in cash", "en", "cash"),
    ],
)
def test_means(text: str, lang: str, code: str) -> None:
    assert _one(text, "means", lang).value == code


@pytest.mark.parametrize(
    ("text", "lang", "ref"),
    [
        ("la facture F-2041", "fr", "F-2041"),
        ("la FA2024-118", "fr", "FA2024-118"),
        ("au sujet de la facture 2041", "fr", "2041"),
        ("la facture n° 8812", "fr", "8812"),
        ("invoice 2041", "en", "2041"),
        ("invoice INV-4471", "en", "INV-4471"),
    ],
)
def test_invoices(text: str, lang: str, ref: str) -> None:
    assert _one(text, "invoice", lang).value == ref


@pytest.mark.parametrize(
    ("text", "lang", "n"),
    [
        ("on peut faire en trois fois", "fr", 3),
        ("3 mensualités de 200 €", "fr", 3),
        ("deux échéances", "fr", 2),
        ("en 4 fois sans frais", "fr", 4),
        ("in three instalments", "en", 3),
        ("three monthly payments of £400", "en", 3),
    ],
)
def test_instalments(text: str, lang: str, n: int) -> None:
    assert _one(text, "instalments", lang).value == n


def test_repetition_is_not_instalments() -> None:
    assert not _ents("Je vous ai relancé trois fois par mail.", kind="instalments")
    assert not _ents("trois fois le taux d'intérêt légal", kind="instalments")


def test_entities_are_in_text_order_with_original_spans() -> None:
    text = "Je récapitule : 700 € par virement le 8 avril, puis le solde le 8 mai."
    found = analyze(text, "fr", call_date=CALL_DATE).entities
    assert [e.kind for e in found] == ["amount", "means", "date", "date"]
    assert found[0].span == found[0].span.__class__(16, 21, "700 €")
    assert [e.value for e in found if e.kind == "date"] == ["2025-04-08", "2025-05-08"]


# --------------------------------------------------------------------------- regressions

#: A Wednesday, late in the year, so that autumn dates lie just behind it.
LATE_CALL = dt.date(2026, 11, 25)


def _dates(text: str, lang: str = "fr") -> list[str]:
    return [str(e.value) for e in extract(text, lang, LATE_CALL) if e.kind == "date"]


@pytest.mark.parametrize(
    ("text", "lang", "iso"),
    [
        ("Le chèque du 6 octobre est revenu impayé.", "fr", "2026-10-06"),
        ("Votre facture était échue le 3 novembre.", "fr", "2026-11-03"),
        ("Nous avons reçu votre courrier le 9 septembre.", "fr", "2026-09-09"),
        ("The second invoice was due on 4 October.", "en", "2026-10-04"),
        ("We posted the statement on the 3rd of November.", "en", "2026-11-03"),
    ],
)
def test_recalled_dates_resolve_to_the_last_occurrence(text: str, lang: str, iso: str) -> None:
    assert _dates(text, lang) == [iso]


@pytest.mark.parametrize(
    ("text", "lang", "iso"),
    [
        ("Je vous propose un virement le 10 novembre.", "fr", "2027-11-10"),
        ("Pouvez-vous régler d'ici le 3 ?", "fr", "2026-12-03"),
        ("Could you pay by 20 November?", "en", "2027-11-20"),
    ],
)
def test_commitment_dates_keep_the_next_occurrence(text: str, lang: str, iso: str) -> None:
    assert _dates(text, lang) == [iso]


def test_explicit_weekday_fixes_the_day_of_month() -> None:
    text = "Nous avons relancé le 12 octobre ; le solde arrive lundi 30 novembre."
    assert _dates(text) == ["2026-10-12", "2026-11-30"]
    assert _dates("Virement jeudi 3 décembre, comme convenu.") == ["2026-12-03"]
    assert _dates("Thursday the 3rd, then.", "en") == ["2026-12-03"]


def test_an_earlier_past_date_does_not_shift_later_ones() -> None:
    text = "Le virement du 16 octobre n'est jamais arrivé, réglez-le d'ici le 4 décembre."
    assert _dates(text) == ["2026-10-16", "2026-12-04"]


@pytest.mark.parametrize(
    "text",
    [
        "Il reste un avoir de 250 € à déduire.",
        "Il manque le bon de commande BC-9032 sur la facture.",
        "Votre dossier n° 77120 est transmis.",
        "The purchase order PO-55810 is missing.",
        "Your agreement number is LN-449021.",
    ],
)
def test_only_invoice_references_are_invoices(text: str) -> None:
    assert not [e for e in extract(text, "fr", LATE_CALL) if e.kind == "invoice"]


def test_invoice_codes_are_still_found() -> None:
    found = extract("Les factures FC-2026-044 et NTS-9931 restent dues.", "fr", LATE_CALL)
    assert [e.value for e in found if e.kind == "invoice"] == ["FC-2026-044", "NTS-9931"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le contrat court pendant 6 mois.", "fr"),
        ("Nous travaillons ensemble depuis dix-huit mois.", "fr"),
        ("The plan runs over nine months.", "en"),
        ("Nous avons eu deux prélèvements rejetés.", "fr"),
    ],
)
def test_durations_and_counts_are_not_instalments(text: str, lang: str) -> None:
    assert not [e for e in extract(text, lang, LATE_CALL) if e.kind == "instalments"]


def test_payments_phrasing_is_still_instalments() -> None:
    found = extract("On peut le faire en 6 mensualités.", "fr", LATE_CALL)
    assert [e.value for e in found if e.kind == "instalments"] == [6]


def test_cash_flow_is_not_the_means_cash() -> None:
    text = "This is hurting our cash-flow badly."
    assert not [e for e in extract(text, "en", LATE_CALL) if e.kind == "means"]
    assert [e.value for e in extract("Payable in cash.", "en", LATE_CALL)] == ["cash"]
