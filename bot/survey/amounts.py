"""Money answers in the conversation: how an amount is read back, and the monthly equivalent
completed once the days (or hours) worked in a usual week are known. Pure functions.

"Noted: 5 000 XOF par jour, environ 5 jours par semaine (environ 108 333 XOF par mois)."
"""

from __future__ import annotations

from typing import Any, Mapping

from babel.numbers import format_decimal

from bot.answers.pay_period import monthly_equivalent
from bot.i18n import t
from bot.questionnaire.model import Question, Questionnaire

TIME_WORKED_FOR = "x_time_worked_for"
"""Questionnaire key of a days/hours question naming the money question it completes."""


def format_amount(amount: float, language: str) -> str:
    """``5,000`` / ``5 000`` / ``5.000``: grouped as the trainee's language writes numbers."""
    places = "#,##0" if float(amount).is_integer() else "#,##0.##"
    return format_decimal(round(amount, 2), format=places, locale=language).replace("\u202f", " ")


def _with_currency(amount: float, currency: str | None, language: str) -> str:
    number = format_amount(amount, language)
    return f"{number} {currency}" if currency else number


def describe_amount(question: Question, value: Any, language: str) -> str:
    """An amount as read back to the trainee: amount, currency, period, time worked, and the
    monthly equivalent when it differs from what was typed."""
    if not isinstance(value, Mapping) or "amount" not in value:
        return str(value)
    currency = value.get("currency")
    text = _with_currency(float(value["amount"]), currency, language)
    period = value.get("period") or "month"
    text += " " + t(f"money_per_{period}", language)
    bounds = value.get("range")
    if bounds:
        low, high = (format_amount(float(b), language) for b in bounds)
        text = t("money_range", language, amount=text, low=low, high=high)
    if value.get("days_per_week"):
        text += t("money_days", language, n=value["days_per_week"])
    if value.get("hours_per_week"):
        text += t("money_hours", language, n=value["hours_per_week"])
    monthly = value.get("monthly")
    if period != "month" and monthly is not None and value["amount"]:
        rounded = _with_currency(round(monthly), currency, language)
        text += t("money_monthly", language, amount=rounded)
    return text


def time_worked_question(
    questionnaire: Questionnaire, money_code: str, unit: str | None
) -> Question | None:
    """The question asking the days/hours (``unit``) that complete answer ``money_code``."""
    for question in questionnaire.questions:
        if question.extra.get(TIME_WORKED_FOR) == money_code and question.unit == unit:
            return question
    return None


def with_time_worked(value: Mapping[str, Any], unit: str, count: float) -> dict[str, Any]:
    """The money value with the days or hours per week added and its monthly equivalent."""
    updated = dict(value)
    updated[unit] = count
    updated["monthly"] = monthly_equivalent(
        float(updated["amount"]),
        str(updated.get("period") or "month"),
        days_per_week=updated.get("days_per_week"),
        hours_per_week=updated.get("hours_per_week"),
    )
    return updated


def completed_money_answer(
    questionnaire: Questionnaire, question: Question, value: Any, answers: Mapping[str, Any]
) -> tuple[Question, dict[str, Any]] | None:
    """After storing ``value`` for ``question``: the money answer that it completes and its new
    value, or ``None``. ``answers`` are this wave's current answers (code → StoredAnswer).

    A days/hours answer completes the money answer it follows; a money answer typed again
    (after "go back") is completed by the days/hours already given.
    """
    money_code = question.extra.get(TIME_WORKED_FOR)
    if money_code and question.unit and isinstance(value, (int, float)):
        stored = answers.get(money_code)
        money = getattr(stored, "value", None)
        if isinstance(money, Mapping) and money.get("follow_up") == question.unit:
            return questionnaire.question(money_code), with_time_worked(money, question.unit, value)
        return None
    if question.type == "money" and isinstance(value, Mapping) and value.get("follow_up"):
        unit = str(value["follow_up"])
        asked = time_worked_question(questionnaire, question.code, unit)
        stored = answers.get(asked.code) if asked else None
        count = getattr(stored, "value", None)
        if isinstance(count, (int, float)) and getattr(stored, "status", "") == "answered":
            return question, with_time_worked(value, unit, count)
    return None
