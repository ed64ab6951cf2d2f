"""Durations in months from numbers, units and "right away" in three languages."""

from __future__ import annotations

import pytest

from bot.answers import parse_answer
from tests.answers.helpers import question

DURATION = question("duration", min=0, max=120)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "3 months", 3),
        ("en", "1 year", 12),
        ("en", "a year and a half", 18),
        ("en", "one and a half years", 18),
        ("en", "1.5 years", 18),
        ("en", "1½ years", 18),
        ("en", "half a year", 6),
        ("en", "2 weeks", 0.5),
        ("en", "10 days", 0.3),
        ("en", "a month", 1),
        ("en", "1 year and 3 months", 15),
        ("en", "3 and a half months", 3.5),
        ("en", "about 4 months", 4),
        ("en", "It took me 2 months", 2),
        ("en", "right away", 0),
        ("en", "immediately", 0),
        ("en", "0", 0),
        ("en", "6", 6),
        ("fr", "trois mois", 3),
        ("fr", "un an et demi", 18),
        ("fr", "six mois et demi", 6.5),
        ("fr", "1 an 3 mois", 15),
        ("fr", "1,5 an", 18),
        ("fr", "deux ans", 24),
        ("fr", "une semaine", 0.2),
        ("fr", "une année", 12),
        ("fr", "une demi-année", 6),
        ("fr", "un an et une demi", 18),
        ("fr", "immédiatement", 0),
        ("fr", "tout de suite", 0),
        ("fr", "6", 6),
        ("es", "tres meses", 3),
        ("es", "un año y medio", 18),
        ("es", "año y medio", 18),
        ("es", "medio año", 6),
        ("es", "dos semanas", 0.5),
        ("es", "tres años", 36),
        ("es", "unos 3 meses", 3),
        ("es", "un mes", 1),
        ("es", "de inmediato", 0),
        ("es", "enseguida", 0),
        ("es", "6", 6),
    ],
)
def test_durations(language, text, expected):
    result = parse_answer(DURATION, text, language)
    assert result.ok, result
    assert result.value == expected


def test_whole_months_are_ints_and_parts_one_decimal():
    assert isinstance(parse_answer(DURATION, "2 years", "en").value, int)
    assert parse_answer(DURATION, "3 weeks", "en").value == 0.7


@pytest.mark.parametrize(
    ("language", "text", "error"),
    [
        ("en", "", "empty"),
        ("en", "never", "not_a_duration"),
        ("en", "hello", "not_a_duration"),
        ("en", "a few months", "not_a_duration"),
        ("fr", "quelques mois", "not_a_duration"),
        ("es", "unos meses", "not_a_duration"),
        ("en", "3 or 4 months", "not_a_duration"),
        ("en", "less than a month", "not_a_duration"),
        ("en", "20 years", "out_of_range"),
        ("fr", "jamais", "not_a_duration"),
        ("fr", "plus de deux ans", "not_a_duration"),
        ("fr", "3 4 mois", "not_a_duration"),
        ("es", "nunca", "not_a_duration"),
        ("es", "entre 2 y 3 meses", "not_a_duration"),
        ("es", "quince años", "out_of_range"),
        ("es", "x" * 1001, "too_long"),
    ],
)
def test_duration_rejections(language, text, error):
    result = parse_answer(DURATION, text, language)
    assert not result.ok and result.error == error
