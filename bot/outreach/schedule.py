"""When waves and reminders are due: pure functions over dates and settings.

The wave calendar (which waves a cohort has and when each is due) is
:mod:`bot.questionnaire.waves`; ``wave_dates`` and ``current_wave`` are re-exported here.
Only the *latest* due wave is contacted: once the next wave is due, an unanswered earlier one
is superseded (the survey engine asks the latest due wave too).
Reminders are attempts 1, 2, ... sent ``settings.reminder_days`` days after attempt 0 was sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.questionnaire.waves import current_wave, wave_dates

__all__ = ["current_wave", "max_attempts", "reminder_due", "wave_dates"]


def max_attempts(reminder_days: tuple[int, ...]) -> int:
    """How many messages one trainee may get for one wave (first contact + reminders)."""
    return 1 + len(reminder_days)


def reminder_due(first_sent: datetime, attempt: int, reminder_days: tuple[int, ...]) -> datetime:
    """When reminder ``attempt`` (1-based) is due, counted from when attempt 0 was sent."""
    if not 1 <= attempt <= len(reminder_days):
        raise ValueError(f"attempt {attempt} is not a reminder (max {len(reminder_days)})")
    return first_sent + timedelta(days=reminder_days[attempt - 1])
