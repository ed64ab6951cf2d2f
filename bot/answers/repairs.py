"""Sensible repairs of answers that do not fit the question but say something clear (issue 16).

- An age typed to a year-of-birth question ("j'ai 19 ans", "19") is offered back as a year:
  "19 years old, so born in 2007 — is that right?". Questions opt in with
  ``x_kind: birth_year`` in the questionnaire.
- A duration, a year or "since ..." typed to a yes/no question about having worked ("deux ans",
  "since 2019", "desde 2020") implies yes: it is offered for confirmation instead of being
  rejected. Questions opt in with ``x_implied_yes: true``.

Both return ``propose(...)`` (see ``bot/answers/result.py``): nothing is stored before the
trainee says yes.
"""

from __future__ import annotations

import re
from datetime import date

from bot.answers.durations import parse_duration
from bot.answers.normalize import fold, words
from bot.answers.numbers import single_number
from bot.answers.result import ParseResult, propose
from bot.questionnaire.model import Question

BIRTH_YEAR = "birth_year"
"""The ``x_kind`` of a year-of-birth question."""
AGES = (10, 100)
"""Numbers read as an age (inclusive) when they are not a valid year of birth."""

_YEAR_RE = re.compile(r"\b(19[4-9]\d|20[0-4]\d)\b")
_SINCE = frozenset({"since", "depuis", "desde", "pendant", "durante"})
_WORKED = frozenset(
    {
        "worked",
        "working",
        "work",
        "job",
        "travaille",
        "travaillais",
        "boulot",
        "emploi",
        "trabaje",
        "trabajo",
        "trabajaba",
        "trabajado",
        "empleo",
    }
)


def is_birth_year(question: Question) -> bool:
    """True for a question that asks the year of birth (``x_kind: birth_year``)."""
    return question.extra.get("x_kind") == BIRTH_YEAR


def age_as_birth_year(
    question: Question, text: str, language: str, today: date | None
) -> ParseResult | None:
    """``propose(year)`` when ``text`` is an age ("19", "j'ai 19 ans") rather than a year."""
    number = single_number(text, language)
    if number is None or not float(number).is_integer() or not AGES[0] <= number <= AGES[1]:
        return None
    year = (today or date.today()).year - int(number)
    if (question.min is not None and year < question.min) or (
        question.max is not None and year > question.max
    ):
        return None
    return propose(year, age=int(number))


def implied_yes(text: str, language: str) -> ParseResult | None:
    """``propose("yes")`` when the text gives a duration, a year or "since ..." of work."""
    tokens = set(words(fold(text)))
    duration = parse_duration(text, language, 0, 1200)
    if (
        (duration.ok and duration.value > 0)
        or _YEAR_RE.search(text)
        or tokens & _SINCE
        or (tokens & _WORKED and not tokens & {"no", "not", "never", "pas", "jamais", "nunca"})
    ):
        return propose("yes", implied=True)
    return None
