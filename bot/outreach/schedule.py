"""When waves and reminders are due: pure functions over dates and settings.

A cohort's waves are ``exit`` at its end date and ``followup_<N>`` N months later (one per
``settings.followup_months``).  Only the *latest* due wave is contacted: once the next wave is
due, an unanswered earlier one is superseded (the survey engine asks the latest due wave too).
Reminders are attempts 1, 2, ... sent ``settings.reminder_days`` days after attempt 0 was sent.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.questionnaire.loader import followup_wave_id
from bot.survey.engine import add_months


def wave_dates(cohort_end: date, followup_months: tuple[int, ...]) -> list[tuple[str, date]]:
    """(wave, due date) of every outreach wave of a cohort ending ``cohort_end``, oldest first."""
    waves = [("exit", cohort_end)]
    for months in sorted(set(followup_months)):
        waves.append((followup_wave_id(months), add_months(cohort_end, months)))
    return waves


def current_wave(
    cohort_end: date | None, today: date, followup_months: tuple[int, ...]
) -> tuple[str, date] | None:
    """The latest wave whose due date has come by ``today`` (None before the end date)."""
    if cohort_end is None:
        return None
    due = [(wave, day) for wave, day in wave_dates(cohort_end, followup_months) if day <= today]
    return due[-1] if due else None


def max_attempts(reminder_days: tuple[int, ...]) -> int:
    """How many messages one trainee may get for one wave (first contact + reminders)."""
    return 1 + len(reminder_days)


def reminder_due(first_sent: datetime, attempt: int, reminder_days: tuple[int, ...]) -> datetime:
    """When reminder ``attempt`` (1-based) is due, counted from when attempt 0 was sent."""
    if not 1 <= attempt <= len(reminder_days):
        raise ValueError(f"attempt {attempt} is not a reminder (max {len(reminder_days)})")
    return first_sent + timedelta(days=reminder_days[attempt - 1])
