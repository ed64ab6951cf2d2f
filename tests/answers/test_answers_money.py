"""Money amounts with currencies: digits, words, separators, multipliers, symbols."""

from __future__ import annotations

import pytest

from bot.answers import parse_answer
from tests.answers.helpers import question

INCOME = question("money", min=0)
INCOME_XAF = question("money", min=0, unit="XAF")
INCOME_GNF = question("money", min=0, unit="GNF")


@pytest.mark.parametrize(
    ("language", "text", "amount", "currency"),
    [
        ("fr", "1 500 FCFA", 1500, "XOF"),
        ("fr", "150.000 CFA", 150000, "XOF"),
        ("fr", "50 000 F CFA par mois", 50000, "XOF"),
        ("fr", "75000 francs CFA", 75000, "XOF"),
        ("fr", "deux cent mille francs", 200000, "XOF"),
        ("fr", "1,5 millions", 1500000, None),
        ("fr", "2 000 000 GNF", 2000000, "GNF"),
        ("fr", "cent cinquante mille", 150000, None),
        ("fr", "50 €", 50, "EUR"),
        ("fr", "rien", 0, None),
        ("fr", "100 000 F", 100000, "XOF"),
        ("fr", "mille francs", 1000, "XOF"),
        ("en", "200 dollars", 200, "USD"),
        ("en", "$200", 200, "USD"),
        ("en", "US$ 40", 40, "USD"),
        ("en", "150k", 150000, None),
        ("en", "2.5m", 2500000, None),
        ("en", "1.5 million GNF", 1500000, "GNF"),
        ("en", "KSh5,000", 5000, "KES"),
        ("en", "5000 naira", 5000, "NGN"),
        ("en", "₦5000", 5000, "NGN"),
        ("en", "GH₵ 300", 300, "GHS"),
        ("en", "300 cedis", 300, "GHS"),
        ("en", "1000 birr", 1000, "ETB"),
        ("en", "€1.500,50", 1500.5, "EUR"),
        ("en", "nothing", 0, None),
        ("en", "0", 0, None),
        ("en", "no income", 0, None),
        ("en", "about 20,000 per month", 20000, None),
        ("es", "doscientos dólares", 200, "USD"),
        ("es", "300 dirhams", 300, "MAD"),
        ("es", "200 mil", 200000, None),
        ("es", "50 euros", 50, "EUR"),
        ("es", "nada", 0, None),
        ("es", "USD 80", 80, "USD"),
    ],
)
def test_amounts(language, text, amount, currency):
    result = parse_answer(INCOME, text, language)
    if currency is None and amount:
        # issue 25: an amount never goes in without its currency: the bot asks for it
        assert result.error == "no_currency" and result.details["amount"] == amount
        return
    assert result.ok, result
    assert (result.value["amount"], result.value["currency"]) == (amount, currency)
    assert isinstance(result.value["amount"], float)


def test_question_unit_decides_what_plain_francs_mean():
    assert parse_answer(INCOME_GNF, "500 000 francs", "fr").value["currency"] == "GNF"
    assert parse_answer(INCOME_XAF, "30 000 FCFA", "fr").value["currency"] == "XAF"
    assert parse_answer(INCOME, "500 000 francs", "fr").value["currency"] == "XOF"


@pytest.mark.parametrize(
    ("language", "text", "error"),
    [
        ("en", "", "empty"),
        ("en", "a lot", "not_an_amount"),
        ("fr", "beaucoup", "not_an_amount"),
        ("es", "mucho", "not_an_amount"),
        ("en", "200 dollars or 300 euros", "irregular_amount"),
        ("fr", "50 000", "no_currency"),
        ("en", "-200", "out_of_range"),
        ("en", "1" * 1001, "too_long"),
    ],
)
def test_money_rejections(language, text, error):
    result = parse_answer(INCOME, text, language)
    assert not result.ok and result.error == error


def test_money_maximum():
    capped = question("money", min=0, max=1_000_000)
    result = parse_answer(capped, "2 millions", "fr")
    assert result.error == "out_of_range" and dict(result.details) == {"min": 0, "max": 1000000}
