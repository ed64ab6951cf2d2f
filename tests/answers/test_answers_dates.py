"""Month answers relative to a fixed today, never in the future."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers import parse_answer
from tests.answers.helpers import question

MONTH = question("month")
TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "since March", "2025-03"),
        ("en", "March 2024", "2024-03"),
        ("en", "December", "2024-12"),
        ("en", "June", "2025-06"),
        ("en", "last June", "2024-06"),
        ("en", "03/2025", "2025-03"),
        ("en", "2024-11", "2024-11"),
        ("en", "03/15/2024", "2024-03"),
        ("en", "03/25", "2025-03"),
        ("en", "last month", "2025-05"),
        ("en", "this month", "2025-06"),
        ("en", "3 months ago", "2025-03"),
        ("en", "a year ago", "2024-06"),
        ("en", "two weeks ago", "2025-06"),
        ("en", "yesterday", "2025-06"),
        ("en", "I started working in May 2023", "2023-05"),
        ("en", "sept 2024", "2024-09"),
        ("fr", "depuis mars 2025", "2025-03"),
        ("fr", "mars", "2025-03"),
        ("fr", "décembre", "2024-12"),
        ("fr", "mars dernier", "2025-03"),
        ("fr", "03/2025", "2025-03"),
        ("fr", "15/03/2024", "2024-03"),
        ("fr", "il y a 3 mois", "2025-03"),
        ("fr", "depuis sept mois", "2024-11"),
        ("fr", "le mois dernier", "2025-05"),
        ("fr", "ce mois-ci", "2025-06"),
        ("fr", "il y a un an", "2024-06"),
        ("fr", "en mars de l'année dernière", "2024-03"),
        ("fr", "janvier deux mille vingt-quatre", "2024-01"),
        ("fr", "hier", "2025-06"),
        ("es", "desde enero", "2025-01"),
        ("es", "en marzo de 2024", "2024-03"),
        ("es", "diciembre", "2024-12"),
        ("es", "hace tres meses", "2025-03"),
        ("es", "hace un año", "2024-06"),
        ("es", "el mes pasado", "2025-05"),
        ("es", "este mes", "2025-06"),
        ("es", "marzo del año pasado", "2024-03"),
        ("es", "setiembre 2024", "2024-09"),
        ("es", "ayer", "2025-06"),
    ],
)
def test_months(language, text, expected):
    result = parse_answer(MONTH, text, language, today=TODAY)
    assert result.ok, result
    assert result.value == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "December 2025"),
        ("en", "next month"),
        ("en", "in 3 months"),
        ("fr", "juillet 2025"),
        ("fr", "le mois prochain"),
        ("fr", "dans deux mois"),
        ("es", "el próximo mes"),
        ("es", "agosto de 2030"),
        ("es", "dentro de dos meses"),
    ],
)
def test_future_months_are_refused(language, text):
    result = parse_answer(MONTH, text, language, today=TODAY)
    assert result.error == "not_a_date" and result.details.get("future")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "hello"),
        ("en", "March or April"),
        ("en", "13/2024"),
        ("en", "1940-01"),
        ("fr", "bonjour"),
        ("fr", "je ne sais pas"),
        ("es", "no me acuerdo"),
        ("es", "hola"),
    ],
)
def test_not_dates(language, text):
    assert parse_answer(MONTH, text, language, today=TODAY).error == "not_a_date"


@pytest.mark.parametrize(
    ("language", "text"), [("en", "2024"), ("fr", "l'année dernière"), ("es", "en 2023")]
)
def test_a_year_alone_asks_for_the_month(language, text):
    result = parse_answer(MONTH, text, language, today=TODAY)
    assert result.error == "not_a_date" and result.details.get("need_month")


def test_month_defaults_to_the_real_today():
    result = parse_answer(MONTH, "last month", "en")
    assert result.ok and len(result.value) == 7


def test_empty_and_too_long():
    assert parse_answer(MONTH, " ", "en", today=TODAY).error == "empty"
    assert parse_answer(MONTH, "mars " * 300, "fr", today=TODAY).error == "too_long"
