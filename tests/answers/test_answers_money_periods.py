"""Issue 25: earnings typed with a pay period, as a range, or with an ambiguous currency word.

Each row: what a trainee types, the cohort's country (``None``: none set), and what must be
stored: amount as typed (a range's midpoint), currency, pay period, and the monthly equivalent
(``None`` until the days or hours worked in a usual week are known).
"""

from __future__ import annotations

import pytest

from bot.answers import parse_answer
from bot.answers.pay_period import monthly_equivalent
from tests.answers.helpers import question

EARNINGS = question("money", min=0, max=100000000, unit="per_month")
W = 52 / 12  # weeks per month

# (text, country, amount, currency, period, monthly)
ENGLISH = [
    ("1500 KES a day", None, 1500, "KES", "day", None),
    ("KSh 700/day", None, 700, "KES", "day", None),
    ("I get 900 shillings daily", "KE", 900, "KES", "day", None),
    ("900 shillings daily", "UG", 900, "UGX", "day", None),
    ("about 600 bob per day", None, 600, "KES", "day", None),
    ("₦4,000 per day", None, 4000, "NGN", "day", None),
    ("3k naira every day", None, 3000, "NGN", "day", None),
    ("5 thousand naira by the day", None, 5000, "NGN", "day", None),
    ("250 cedis a week", None, 250, "GHS", "week", round(250 * W, 2)),
    ("GH₵ 300 weekly", None, 300, "GHS", "week", round(300 * W, 2)),
    ("twelve thousand shillings per week", "TZ", 12000, "TZS", "week", round(12000 * W, 2)),
    ("8000/week", "KE", 8000, "KES", "week", round(8000 * W, 2)),
    ("8000 per wk", "NG", 8000, "NGN", "week", round(8000 * W, 2)),
    ("$40 a week", None, 40, "USD", "week", round(40 * W, 2)),
    ("10k every two weeks", "KE", 10000, "KES", "fortnight", round(10000 * 26 / 12, 2)),
    ("R 2500 fortnightly", "ZA", 2500, "ZAR", "fortnight", round(2500 * 26 / 12, 2)),
    ("4000 rand biweekly", None, 4000, "ZAR", "fortnight", round(4000 * 26 / 12, 2)),
    ("20000 shillings a month", "KE", 20000, "KES", "month", 20000),
    ("35,000 per month", "KE", 35000, "KES", "month", 35000),
    ("monthly 45k", "GH", 45000, "GHS", "month", 45000),
    ("60k/month", "NG", 60000, "NGN", "month", 60000),
    ("1.2 million shillings a year", "UG", 1200000, "UGX", "year", 100000),
    ("$6000 per year", None, 6000, "USD", "year", 500),
    ("240k annually", "KE", 240000, "KES", "year", 20000),
    ("$3 an hour", None, 3, "USD", "hour", None),
    ("150 shillings per hour", "KE", 150, "KES", "hour", None),
    ("200 KES/hr", None, 200, "KES", "hour", None),
    ("2500 a day, 6 days a week", "KE", 2500, "KES", "day", round(2500 * 6 * W, 2)),
    ("1000 naira daily, 5 days per week", None, 1000, "NGN", "day", round(1000 * 5 * W, 2)),
    ("between 20000 and 30000 shillings", "KE", 25000, "KES", "month", 25000),
    ("20-30k", "KE", 25000, "KES", "month", 25000),
    ("from 100 to 200 cedis a week", None, 150, "GHS", "week", round(150 * W, 2)),
    ("between 40 and 60 thousand naira per month", None, 50000, "NGN", "month", 50000),
    ("somewhere between $100 and $300", None, 200, "USD", "month", 200),
    ("roughly 55 thousand shillings", "KE", 55000, "KES", "month", 55000),
    ("70 thousand shillings", "UG", 70000, "UGX", "month", 70000),
    ("twenty thousand", "KE", 20000, "KES", "month", 20000),
    ("15000", "GH", 15000, "GHS", "month", 15000),
    ("800 pesos a day", "PH", 800, "PHP", "day", None),
    ("5 grand a month", "US", 5000, "USD", "month", 5000),
    ("$250 per week", "SN", 250, "USD", "week", round(250 * W, 2)),
    ("nothing at the moment", None, 0, None, "month", 0),
]
FRENCH = [
    ("3000 FCFA par jour", None, 3000, "XOF", "day", None),
    ("2 500 francs le jour", "SN", 2500, "XOF", "day", None),
    ("deux mille francs par jour", "CM", 2000, "XAF", "day", None),
    ("4000 F/jour", "CI", 4000, "XOF", "day", None),
    ("1500 chaque jour", "BF", 1500, "XOF", "day", None),
    ("5000 la journée", "ML", 5000, "XOF", "day", None),
    ("6 000 F CFA journalier", None, 6000, "XOF", "day", None),
    ("10 000 par jour", "GN", 10000, "GNF", "day", None),
    ("15000 francs par semaine", "SN", 15000, "XOF", "week", round(15000 * W, 2)),
    ("vingt mille par semaine", "CM", 20000, "XAF", "week", round(20000 * W, 2)),
    ("12 000 FCFA hebdomadaire", None, 12000, "XOF", "week", round(12000 * W, 2)),
    ("8000/semaine", "TG", 8000, "XOF", "week", round(8000 * W, 2)),
    ("25 000 toutes les semaines", "BJ", 25000, "XOF", "week", round(25000 * W, 2)),
    ("30 000 F tous les quinze jours", "SN", 30000, "XOF", "fortnight", 65000),
    ("40 000 par quinzaine", "CI", 40000, "XOF", "fortnight", round(40000 * 26 / 12, 2)),
    ("100 000 FCFA par mois", None, 100000, "XOF", "month", 100000),
    ("75 000 mensuel", "SN", 75000, "XOF", "month", 75000),
    ("cent vingt mille francs chaque mois", "GA", 120000, "XAF", "month", 120000),
    ("90 000 F/mois", "NE", 90000, "XOF", "month", 90000),
    ("1 200 000 FCFA par an", None, 1200000, "XOF", "year", 100000),
    ("600 000 francs annuel", "CM", 600000, "XAF", "year", 50000),
    ("1000 francs de l'heure", "SN", 1000, "XOF", "hour", None),
    ("500 F par heure", "CI", 500, "XOF", "hour", None),
    ("15 € de l'heure", None, 15, "EUR", "hour", None),
    ("3000 par jour, 6 jours par semaine", "SN", 3000, "XOF", "day", round(3000 * 6 * W, 2)),
    ("2000 F le jour, 5 jours sur la semaine", "CI", 2000, "XOF", "day", round(2000 * 5 * W, 2)),
    ("entre 50 000 et 80 000 FCFA", None, 65000, "XOF", "month", 65000),
    ("de 40 000 à 60 000 francs par mois", "SN", 50000, "XOF", "month", 50000),
    ("entre 50 et 70 mille", "CM", 60000, "XAF", "month", 60000),
    ("50 000 - 70 000 F", "BF", 60000, "XOF", "month", 60000),
    ("entre 2000 et 3000 par jour", "SN", 2500, "XOF", "day", None),
    ("environ 60 000 FCFA", None, 60000, "XOF", "month", 60000),
    ("à peu près 45 000", "SN", 45000, "XOF", "month", 45000),
    ("150 mille", "CI", 150000, "XOF", "month", 150000),
    ("80 000 francs guinéens par jour", None, 80000, "GNF", "day", None),
    ("200 000 GNF par semaine", None, 200000, "GNF", "week", round(200000 * W, 2)),
    ("5000 frw par jour", None, 5000, "RWF", "day", None),
    ("50 000 shillings par mois", "KE", 50000, "KES", "month", 50000),
    ("100 dollars par semaine", None, 100, "USD", "week", round(100 * W, 2)),
    ("30 000 dirhams par an", None, 30000, "MAD", "year", 2500),
    ("1,5 million par an", "SN", 1500000, "XOF", "year", 125000),
    ("rien pour le moment", None, 0, None, "month", 0),
]
SPANISH = [
    ("20.000 pesos diarios", "CO", 20000, "COP", "day", None),
    ("50 mil pesos al día", "CO", 50000, "COP", "day", None),
    ("40 lucas diarias", "CO", 40000, "COP", "day", None),
    ("300 pesos por día", "MX", 300, "MXN", "day", None),
    ("$ 60.000 el día", "CO", 60000, "COP", "day", None),
    ("treinta mil por jornada", "CO", 30000, "COP", "day", None),
    ("80 soles diarios", None, 80, "PEN", "day", None),
    ("1500 pesos por semana", "MX", 1500, "MXN", "week", round(1500 * W, 2)),
    ("200 mil semanales", "CO", 200000, "COP", "week", round(200000 * W, 2)),
    ("150 lucas a la semana", "CO", 150000, "COP", "week", round(150000 * W, 2)),
    ("2000 cada semana", "MX", 2000, "MXN", "week", round(2000 * W, 2)),
    ("300 soles a la semana", None, 300, "PEN", "week", 1300),
    ("5000 pesos quincenales", "MX", 5000, "MXN", "fortnight", round(5000 * 26 / 12, 2)),
    ("600 mil por quincena", "CO", 600000, "COP", "fortnight", 1300000),
    ("700 mil cada quince días", "CO", 700000, "COP", "fortnight", round(700000 * 26 / 12, 2)),
    ("1.300.000 pesos al mes", "CO", 1300000, "COP", "month", 1300000),
    ("un palo mensual", "CO", 1000000, "COP", "month", 1000000),
    ("2 palos al mes", "CO", 2000000, "COP", "month", 2000000),
    ("medio palo", "CO", 500000, "COP", "month", 500000),
    ("8000 pesos mensuales", "MX", 8000, "MXN", "month", 8000),
    ("1200 soles al mes", None, 1200, "PEN", "month", 1200),
    ("3000 quetzales por mes", None, 3000, "GTQ", "month", 3000),
    ("24 millones al año", "CO", 24000000, "COP", "year", 2000000),
    ("120 mil pesos anuales", "MX", 120000, "MXN", "year", 10000),
    ("10 mil pesos la hora", "CO", 10000, "COP", "hour", None),
    ("50 pesos por hora", "MX", 50, "MXN", "hour", None),
    ("8 dólares por hora", None, 8, "USD", "hour", None),
    ("40 mil al día, 6 días a la semana", "CO", 40000, "COP", "day", round(40000 * 6 * W, 2)),
    ("300 pesos diarios, 5 días por semana", "MX", 300, "MXN", "day", round(300 * 5 * W, 2)),
    ("entre 1 millón y 1.500.000 pesos", "CO", 1250000, "COP", "month", 1250000),
    ("entre 800 y 1200 mil", "CO", 1000000, "COP", "month", 1000000),
    ("de 5000 a 7000 pesos al mes", "MX", 6000, "MXN", "month", 6000),
    ("entre 100 y 200 soles a la semana", None, 150, "PEN", "week", 650),
    ("30.000 - 50.000 diarios", "CO", 40000, "COP", "day", None),
    ("unos 900 mil", "CO", 900000, "COP", "month", 900000),
    ("más o menos 6000", "MX", 6000, "MXN", "month", 6000),
    ("un millón de pesos", "CO", 1000000, "COP", "month", 1000000),
    ("850.000", "CO", 850000, "COP", "month", 850000),
    ("500 pesos al día", "PH", 500, "PHP", "day", None),
    ("4000 pesos al mes", "AR", 4000, "ARS", "month", 4000),
    ("100 euros a la semana", None, 100, "EUR", "week", round(100 * W, 2)),
    ("50 mil chelines al mes", "KE", 50000, "KES", "month", 50000),
    ("nada por ahora", None, 0, None, "month", 0),
]


def _rows(language: str, table: list[tuple]) -> list:
    return [pytest.param(language, *row, id=f"{language}:{row[0]}") for row in table]


@pytest.mark.parametrize(
    ("language", "text", "country", "amount", "currency", "period", "monthly"),
    _rows("en", ENGLISH) + _rows("fr", FRENCH) + _rows("es", SPANISH),
)
def test_amount_currency_period_and_monthly(
    language, text, country, amount, currency, period, monthly
):
    result = parse_answer(EARNINGS, text, language, country=country)
    assert result.ok or result.confirm, result  # a range is proposed for confirmation
    value = result.value
    assert (value["amount"], value["currency"], value["period"]) == (amount, currency, period)
    assert value["monthly"] == (None if monthly is None else pytest.approx(monthly, abs=0.01))


def test_each_language_has_at_least_40_phrasings():
    assert min(len(ENGLISH), len(FRENCH), len(SPANISH)) >= 40


@pytest.mark.parametrize(
    ("language", "text", "follow_up"),
    [
        ("en", "900 a day", "days_per_week"),
        ("en", "4000 a week", "days_per_week"),
        ("en", "$5 per hour", "hours_per_week"),
        ("en", "30000 a month", None),
        ("en", "2500 a day, 6 days a week", None),
        ("fr", "2000 par jour", "days_per_week"),
        ("fr", "10 000 par semaine", "days_per_week"),
        ("fr", "800 de l'heure", "hours_per_week"),
        ("fr", "60 000 par an", None),
        ("es", "30 mil diarios", "days_per_week"),
        ("es", "200 mil a la semana", "days_per_week"),
        ("es", "8 mil la hora, 40 horas a la semana", None),
    ],
)
def test_a_daily_weekly_or_hourly_amount_asks_for_the_time_worked(language, text, follow_up):
    result = parse_answer(EARNINGS, text, language, country="SN")
    assert result.ok, result
    assert result.value["follow_up"] == follow_up


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "30000 shillings"),
        ("en", "around 40k"),
        ("en", "700 a day"),
        ("fr", "50 000 par mois"),
        ("fr", "cinquante mille"),
        ("es", "30 mil pesos"),
        ("es", "600 al día"),
    ],
)
def test_an_amount_without_a_known_currency_is_not_accepted(language, text):
    result = parse_answer(EARNINGS, text, language, country=None)
    assert not result.ok
    assert result.error == "no_currency"


@pytest.mark.parametrize(
    ("text", "country", "currency"),
    [
        ("30 mil pesos", "CO", "COP"),
        ("30 mil pesos", "MX", "MXN"),
        ("40000 shillings", "KE", "KES"),
        ("40000 shillings", "UG", "UGX"),
        ("$ 50.000", "CO", "COP"),
        ("$50", "KE", "USD"),
        ("5000 francs", "CM", "XAF"),
        ("5000 francs", "GN", "GNF"),
    ],
)
def test_the_cohort_country_decides_ambiguous_currency_words(text, country, currency):
    result = parse_answer(EARNINGS, text, "es", country=country)
    assert result.ok, result
    assert result.value["currency"] == currency


def test_a_currency_word_of_another_country_is_asked_not_replaced():
    result = parse_answer(EARNINGS, "30 mil pesos", "es", country="KE")
    assert result.error == "no_currency"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "sometimes 300, sometimes 700"),
        ("en", "it depends, 3000 or 8000"),
        ("en", "it varies"),
        ("fr", "parfois 20 000, parfois 60 000"),
        ("fr", "ça dépend des mois"),
        ("fr", "2000 par jour ou 10 000 par semaine"),
        ("es", "a veces 100 mil, a veces 300 mil"),
        ("es", "depende del mes"),
        ("es", "varía mucho"),
    ],
)
def test_an_irregular_income_asks_for_a_usual_month(language, text):
    result = parse_answer(EARNINGS, text, language, country="CO")
    assert result.error == "irregular_amount", result


@pytest.mark.parametrize(
    ("language", "text", "low", "high"),
    [
        ("en", "between 10000 and 14000", 10000, 14000),
        ("fr", "entre 90 000 et 110 000", 90000, 110000),
        ("es", "de 1 a 2 millones", 1000000, 2000000),
    ],
)
def test_a_range_is_offered_back_as_its_midpoint(language, text, low, high):
    result = parse_answer(EARNINGS, text, language, country="KE")
    assert not result.ok and result.confirm, result  # not stored before the trainee says yes
    assert result.value["range"] == [low, high]
    assert result.value["amount"] == (low + high) / 2


def test_monthly_rule_needs_the_time_worked_for_daily_and_hourly_pay():
    assert monthly_equivalent(1000, "day") is None
    assert monthly_equivalent(1000, "day", days_per_week=6) == 26000
    assert monthly_equivalent(100, "hour", hours_per_week=30) == 13000
    assert monthly_equivalent(1200, "year") == 100
    assert monthly_equivalent(600, "week") == 2600
