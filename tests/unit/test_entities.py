"""Entities of a trainee utterance: amounts, dates, means, invoices, instalments."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring.analyze import analyze
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
        ("le dossier n° 8812", "fr", "8812"),
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
