"""``parse_answer``: route a typed chat message to the parser for the question's answer type."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Callable, Iterable, Mapping

from bot.answers.choices import parse_choice
from bot.answers.dates import parse_month
from bot.answers.durations import parse_duration
from bot.answers.money import parse_money
from bot.answers.normalize import fold, language_of, words
from bot.answers.numbers import parse_integer, parse_rating
from bot.answers.pay_period import PERIODS
from bot.answers.repairs import age_as_birth_year, implied_yes, is_birth_year
from bot.answers.result import ParseResult, accept, reject
from bot.answers.scales import parse_frequency
from bot.answers.text import parse_text
from bot.answers.understand import understand_choice
from bot.answers.yes_no import parse_yes_no
from bot.questionnaire.model import Question

logger = logging.getLogger(__name__)

_Parser = Callable[[Question, str, str, "date | None", "str | None"], ParseResult]


def _currency(question: Question) -> str | None:
    """The question's ISO currency (``unit: XOF`` or ``extra: {currency: XOF}``), if any."""
    unit = question.extra.get("currency") or question.unit
    return unit.upper() if isinstance(unit, str) and re.fullmatch(r"[A-Za-z]{3}", unit) else None


def _period(question: Question) -> str:
    """The pay period a money question asks for (``unit: per_week``…); per month by default."""
    unit = str(question.unit or "")
    return unit[4:] if unit.startswith("per_") and unit[4:] in PERIODS else "month"


def _choice(question: Question, text: str, language: str) -> ParseResult:
    """A label, number or payload first; else a free description read by the classifier."""
    result = parse_frequency(question.choices, text) or parse_choice(
        question.choices, text, language
    )
    if result.ok or result.error != "not_a_choice" or result.details:
        return result  # read, or an option number out of range ("7" of 5)
    return understand_choice(question.choices, text)


def _integer(
    question: Question, text: str, language: str, today: date | None, country: str | None
) -> ParseResult:
    """A whole number; an age typed to a year-of-birth question is offered back as a year."""
    result = parse_integer(text, language, question.min, question.max)
    if not result.ok and is_birth_year(question):
        return age_as_birth_year(question, text, language, today) or result
    return result


def _yes_no(
    question: Question, text: str, language: str, labels: Mapping[str, Iterable[str]] | None
) -> ParseResult:
    """Yes or no; "deux ans" / "since 2019" to a question about having worked implies yes.
    ``labels`` (``yes``/``no`` → the buttons' titles) are read too: a language added by
    translation sheet has no word list of its own, so "Sim" is read as its button says."""
    result = parse_yes_no(text, language)
    said = words(fold(text))
    if not result.ok and labels and said and not result.details:
        for value in ("yes", "no"):
            if any(said == words(fold(label)) for label in labels.get(value, ())):
                return accept(value)
    if not result.ok and question.extra.get("x_implied_yes") and not result.details:
        return implied_yes(text, language) or result
    return result


_PARSERS: dict[str, _Parser] = {
    "choice": lambda q, t, lang, today, country: _choice(q, t, lang),
    "integer": _integer,
    "rating": lambda q, t, lang, today, country: parse_rating(
        t, lang, 1 if q.min is None else q.min, 5 if q.max is None else q.max
    ),
    "money": lambda q, t, lang, today, country: parse_money(
        t, lang, q.min, q.max, _currency(q), country=country, period=_period(q)
    ),
    "month": lambda q, t, lang, today, country: parse_month(t, lang, today),
    "duration": lambda q, t, lang, today, country: parse_duration(t, lang, q.min, q.max),
    "text": lambda q, t, lang, today, country: parse_text(t),
}
_UNREADABLE = {
    "choice": "not_a_choice",
    "yes_no": "not_yes_no",
    "integer": "not_a_number",
    "rating": "not_a_number",
    "money": "not_an_amount",
    "month": "not_a_date",
    "duration": "not_a_duration",
    "text": "no_text",
}


def parse_answer(
    question: Question,
    text: str,
    language: str,
    today: date | None = None,
    country: str | None = None,
    *,
    yes_no_labels: Mapping[str, Iterable[str]] | None = None,
) -> ParseResult:
    """Turn the trainee's message into the typed, validated value for ``question``.

    ``language`` (``en``/``fr``/``es``, or an added language's code) picks number and
    month words; ``today`` anchors month answers (defaults to the current date); ``country``
    (ISO 3166 of the trainee's cohort) gives money answers their currency when the text names
    none or an ambiguous one.  Never raises on any text; an unknown ``question.type`` is a
    programming error (``ValueError``).
    """
    if question.type not in _UNREADABLE:  # every answer type, yes_no included
        raise ValueError(f"question {question.code}: no parser for answer type {question.type!r}")
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        if question.type == "yes_no":
            return _yes_no(question, text, language_of(language), yes_no_labels)
        return _PARSERS[question.type](question, text, language_of(language), today, country)
    except Exception:  # a parser bug must not break the conversation: ask again instead
        logger.exception("answer parser failed for question %s", question.code)
        return reject(_UNREADABLE[question.type])
