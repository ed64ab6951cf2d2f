"""Integers and ratings from digits and number words in English, French and Spanish."""

from __future__ import annotations

import pytest

from bot.answers import parse_answer
from tests.answers.helpers import question

COUNT = question("integer", min=0, max=100)
YEAR = question("integer", min=1940, max=2015)
ANY_INT = question("integer")
RATING = question("rating", min=1, max=5)
SCALE_10 = question("rating", min=0, max=10)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "30", 30),
        ("en", "twenty five", 25),
        ("fr", "vingt-cinq", 25),
        ("es", "veintidós", 22),
        ("es", "veintidos", 22),
        ("en", "about 30", 30),
        ("en", "30 hours", 30),
        ("fr", "environ trente heures", 30),
        ("es", "unos 30", 30),
        ("es", "treinta y cinco horas", 35),
        ("fr", "quatre-vingt-dix-neuf", 99),
        ("en", "  42.  ", 42),
        ("en", "37.5", 38),
        ("en", "none", 0),
        ("fr", "aucun", 0),
        ("es", "ninguno", 0),
        ("en", "zero", 0),
        ("fr", "zéro", 0),
        ("es", "cero", 0),
        ("en", "３０", 30),
        ("fr", "٣٠", 30),
        ("en", "I have 2 kids", 2),
        ("en", "30 (thirty)", 30),
    ],
)
def test_counts(language, text, expected):
    result = parse_answer(COUNT, text, language)
    assert result.ok, result
    assert result.value == expected and isinstance(result.value, int)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "2001", 2001),
        ("en", "2,001", 2001),
        ("en", "nineteen ninety nine", 1999),
        ("en", "two thousand and one", 2001),
        ("fr", "deux mille un", 2001),
        ("fr", "mille neuf cent quatre-vingt-dix-neuf", 1999),
        ("es", "mil novecientos noventa y nueve", 1999),
        ("es", "dos mil uno", 2001),
    ],
)
def test_years(language, text, expected):
    assert parse_answer(YEAR, text, language).value == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "1 500", 1500),
        ("en", "1,500", 1500),
        ("es", "1.500", 1500),
        ("en", "-5", -5),
        ("fr", "2 mille", 2000),
        ("es", "dos mil", 2000),
    ],
)
def test_unbounded_integers(language, text, expected):
    assert parse_answer(ANY_INT, text, language).value == expected


@pytest.mark.parametrize(
    ("language", "text", "error"),
    [
        ("en", "", "empty"),
        ("fr", "   ", "empty"),
        ("en", "abc", "not_a_number"),
        ("fr", "je ne sais pas", "not_a_number"),
        ("es", "no sé", "not_a_number"),
        ("en", "25 or 26", "not_a_number"),
        ("fr", "entre 20 et 30", "not_a_number"),
        ("en", "150", "out_of_range"),
        ("es", "ciento cincuenta", "out_of_range"),
        ("en", "-1", "out_of_range"),
        ("en", "7" * 1001, "too_long"),
    ],
)
def test_integer_rejections(language, text, error):
    result = parse_answer(COUNT, text, language)
    assert not result.ok and result.error == error


def test_out_of_range_gives_bounds():
    result = parse_answer(YEAR, "1850", "en")
    assert result.error == "out_of_range"
    assert dict(result.details) == {"min": 1940, "max": 2015}


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "4", 4),
        ("en", "5/5", 5),
        ("en", "4 out of 5", 4),
        ("fr", "4 sur 5", 4),
        ("es", "4 de 5", 4),
        ("fr", "cinq", 5),
        ("en", "three", 3),
        ("es", "cinco estrellas", 5),
        ("en", "★★★☆☆", 3),
        ("en", "⭐⭐⭐⭐", 4),
        ("en", "very satisfied", 5),
        ("fr", "très satisfait", 5),
        ("es", "muy satisfecha", 5),
        ("en", "satisfied", 4),
        ("fr", "plutôt satisfaite", 4),
        ("en", "neutral", 3),
        ("fr", "moyennement satisfait", 3),
        ("es", "regular", 3),
        ("en", "not satisfied", 2),
        ("fr", "insatisfait", 2),
        ("es", "insatisfecho", 2),
        ("en", "very dissatisfied", 1),
        ("fr", "pas du tout satisfait", 1),
        ("es", "muy insatisfecho", 1),
    ],
)
def test_ratings(language, text, expected):
    result = parse_answer(RATING, text, language)
    assert result.ok, result
    assert result.value == expected and isinstance(result.value, int)


@pytest.mark.parametrize(
    ("language", "text", "error"),
    [
        ("en", "0", "out_of_range"),
        ("fr", "six", "out_of_range"),
        ("es", "siete", "out_of_range"),
        ("en", "3.5", "not_a_number"),
        ("en", "banana", "not_a_number"),
        ("fr", "bonjour", "not_a_number"),
        ("es", "hola", "not_a_number"),
        ("en", "", "empty"),
    ],
)
def test_rating_rejections(language, text, error):
    result = parse_answer(RATING, text, language)
    assert not result.ok and result.error == error


def test_rating_words_follow_the_scale():
    assert parse_answer(SCALE_10, "very satisfied", "en").value == 10
    assert parse_answer(SCALE_10, "muy insatisfecho", "es").value == 0
    assert parse_answer(SCALE_10, "10/10", "en").value == 10


def test_rating_without_bounds_defaults_to_one_to_five():
    assert parse_answer(question("rating"), "5", "en").value == 5
    assert parse_answer(question("rating"), "6", "en").error == "out_of_range"
