"""Polite re-ask hints, in the trainee's language, for answers the parsers could not read."""

from __future__ import annotations

from bot.answers import ParseResult
from bot.i18n import t
from bot.questionnaire.model import Question
from bot.survey.amounts import format_amount

_EXAMPLES = {"integer": "25", "rating": "4", "duration": "3", "money": "150000"}


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def example_for(question: Question) -> str:
    """A number to show as an example: one inside the question's bounds (a year for a year)."""
    example = _EXAMPLES.get(question.type, "3")
    low, high = question.min, question.max
    if low is not None and high is not None and not low <= float(example) <= high:
        return _number(int((low + high) // 2))
    return example


def hint_for(question: Question, parsed: ParseResult, language: str, failures: int = 0) -> str:
    """The hint for a failed parse: what was wrong and how to answer.

    ``failures`` counts the earlier failed tries at this question: from the second failed try
    on, a choice question lists its options with numbers ("reply 1–5"), and a question that may
    be skipped says so.
    """
    if failures < 1:
        return _hint(question, parsed, language)
    if question.type == "choice" and question.choices:
        options = "\n".join(
            f"{number}. {choice.label_in(language)}"
            for number, choice in enumerate(question.choices, start=1)
        )
        hint = t("fallback_numbered", language, n=len(question.choices), options=options)
    else:
        hint = _hint(question, parsed, language)
    if not question.required:
        hint = f"{hint}\n{t('fallback_skip', language)}"
    return hint


def _hint(question: Question, parsed: ParseResult, language: str) -> str:
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
        return t("hint_not_a_number", language, example=example_for(question))
    if error == "no_currency":
        amount = format_amount(float(parsed.details.get("amount") or 0), language)
        return t("hint_no_currency", language, amount=amount)
    if error in ("empty", "no_text"):
        return t(f"hint_{error}", language, help=question.help_in(language))
    key = f"hint_{error}"
    try:
        return t(key, language)
    except KeyError:
        return question.help_in(language)
