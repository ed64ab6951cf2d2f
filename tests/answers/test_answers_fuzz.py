"""The answer parsers never raise, whatever the trainee types."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answers import ERROR_KEYS, parse_answer
from bot.answers.choices import parse_choice
from bot.answers.dates import parse_month
from bot.answers.durations import parse_duration
from bot.answers.money import parse_money
from bot.answers.numbers import parse_integer, parse_rating
from bot.answers.text import parse_text
from bot.answers.yes_no import parse_yes_no
from tests.answers.helpers import ACTIVITY, SEX, question

QUESTIONS = [
    question("choice", choices=SEX),
    question("choice", choices=ACTIVITY),
    question("yes_no"),
    question("integer", min=0, max=100),
    question("rating", min=1, max=5),
    question("money", min=0, unit="XOF"),
    question("month"),
    question("duration", min=0, max=120),
    question("text"),
]
NASTY = [
    "'; DROP TABLE answers; --",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}} ${7*7} %s %n",
    "\x00\x01\x02\x1b[31m",
    "\ud800 lone surrogate",
    "🤷‍♀️🙈🙉🙊",
    "9" * 4000,
    "1," * 500,
    "a" * 4000,
    "mars " * 199,
    "1/1/1/1/1/1/1",
    "1e308 1e309 -1e400",
    "nan inf -inf",
    "½ ¼ ¾ ⅞ ²³",
    "٣٠ ൬ ໓ 𝟗",
    "0" * 999,
    "9" * 999,
    "-" * 999,
    "k" * 999,
    "9k" * 333,
    "1 000 " * 160,
    '/answer{"value": ' * 50,
]
WORDS = [
    "un ",
    "mil ",
    "cent ",
    "y ",
    "medio ",
    "mois ",
    "an ",
    "half ",
    "k",
    "1",
    "0",
    " ",
    "/",
    ",",
    ".",
    "francs ",
    "mars ",
    "no ",
    "oui ",
    "ago ",
    "il y a ",
    "hace ",
    "-",
]
TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.text(alphabet="0123456789 ,.-/$€kmKM", max_size=80),
    st.lists(st.sampled_from(WORDS), max_size=12).map("".join),
    st.sampled_from(NASTY),
)
FAST = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
TODAY = date(2025, 6, 15)


@FAST
@given(
    text=TEXTS,
    language=st.sampled_from(["en", "fr", "es", "xx", ""]),
    index=st.integers(0, len(QUESTIONS) - 1),
)
def test_parse_answer_never_raises(text, language, index):
    result = parse_answer(QUESTIONS[index], text, language, today=TODAY)
    assert result.ok or result.error in ERROR_KEYS


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_nasty_strings_on_every_parser_directly(text, language):
    # Called without parse_answer's safety net, so a parser bug would show here.
    results = [
        parse_choice(SEX, text, language),
        parse_yes_no(text, language),
        parse_integer(text, language, 0, 100),
        parse_rating(text, language, 1, 5),
        parse_money(text, language, 0, None, "XOF"),
        parse_month(text, language, TODAY),
        parse_duration(text, language, 0, 120),
        parse_text(text),
    ]
    assert all(r.ok or r.error in ERROR_KEYS for r in results)


@FAST
@given(text=TEXTS, language=st.sampled_from(["en", "fr", "es"]))
def test_parsers_directly_never_raise(text, language):
    parse_choice(ACTIVITY, text, language)
    parse_yes_no(text, language)
    parse_integer(text, language, None, None)
    parse_rating(text, language, 0, 10)
    parse_money(text, language, None, None, None)
    parse_month(text, language, TODAY)
    parse_duration(text, language, None, None)
    parse_text(text)


@FAST
@given(text=st.text(max_size=40), language=st.sampled_from(["en", "fr", "es"]))
def test_accepted_values_have_the_promised_types(text, language):
    for q in QUESTIONS:
        result = parse_answer(q, text, language, today=TODAY)
        if not result.ok:
            continue
        if q.type in ("integer", "rating"):
            assert type(result.value) is int
            assert q.min <= result.value <= q.max
        elif q.type == "duration":
            assert isinstance(result.value, (int, float)) and 0 <= result.value <= 120
        elif q.type == "money":
            assert {"amount", "currency", "period", "monthly", "follow_up"} <= set(result.value)
            assert result.value["currency"] is not None or result.value["amount"] == 0
            assert isinstance(result.value["amount"], float) and result.value["amount"] >= 0
        elif q.type == "month":
            assert len(result.value) == 7 and result.value <= "2025-06"
        elif q.type == "choice":
            assert result.value in q.choice_codes
        elif q.type == "yes_no":
            assert result.value in ("yes", "no")
        else:
            assert isinstance(result.value, str) and 0 < len(result.value) <= 300


def test_unknown_answer_type_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_answer(question("colour"), "red", "en")
