"""Polite re-ask hints, in the trainee's language, for answers the parsers could not read."""

from __future__ import annotations

from bot.answers import ParseResult
from bot.i18n import t
from bot.questionnaire.model import Question

_EXAMPLES = {"integer": "25", "rating": "4", "duration": "3", "money": "150000"}


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def hint_for(question: Question, parsed: ParseResult, language: str) -> str:
    """The hint for a failed parse: what was wrong and how to answer."""
    error = parsed.error or "empty"
    if error == "out_of_range":
        low = parsed.details.get("min", question.min)
        high = parsed.details.get("max", question.max)
        return t("hint_out_of_range", language, min=_number(low), max=_number(high))
    if error == "not_a_choice":
        choices = ", ".join(c.label_in(language) for c in question.choices)
        return t("hint_not_a_choice", language, choices=choices)
    if error == "not_a_number" and question.type == "rating":
        return t("hint_rating_unclear", language, help=question.help_in(language))
    if error == "not_a_number":
        return t("hint_not_a_number", language, example=_EXAMPLES.get(question.type, "3"))
    if error in ("empty", "no_text"):
        return t(f"hint_{error}", language, help=question.help_in(language))
    key = f"hint_{error}"
    try:
        return t(key, language)
    except KeyError:
        return question.help_in(language)
