"""The wave calendar: wave ids, their order, when each is due and its fieldwork window.

The one place that knows what a wave is. A programme's waves are ``baseline`` (asked when a
trainee first writes), ``exit`` at the cohort's end date and ``followup_<N>`` N months later (one
per ``settings.followup_months``). Every other module asks this one; a test fails if a wave id
is spelled anywhere else in the code (``tests/project/test_waves.py``).

Fieldwork windows (the days in which an answer describes what the wave asks about):

- ``baseline`` ("before the training"): no opening day; the last day is the cohort's start
  date + ``grace_days``. A cohort without a start date falls back to its end date (by then the
  training has certainly begun); a cohort without either date has no window.
- ``exit``: opens on the cohort's end date; the last day is the day before the end date +
  ``window_months``.
- ``followup_<N>``: opens N months after the end date; the last day is the day before the
  opening day + ``window_months``. No end date: no window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

BASELINE = "baseline"
EXIT = "exit"
FOLLOWUP = "followup"
WAVE_KINDS: tuple[str, ...] = (BASELINE, EXIT, FOLLOWUP)
"""The kinds of wave a question may belong to (``wave:`` in the questionnaire file)."""

DEFAULT_FOLLOWUP_MONTHS: tuple[int, ...] = (6, 12)
DEFAULT_GRACE_DAYS = 30
DEFAULT_WINDOW_MONTHS = 3

_FOLLOWUP_ID = re.compile(rf"^{FOLLOWUP}_(\d+)$")


def followup_wave_id(months: int) -> str:
    """The wave id of the follow-up ``months`` after completion, e.g. ``followup_6``."""
    return f"{FOLLOWUP}_{int(months)}"


def followup_months_of(wave: str) -> int | None:
    """``followup_6`` → 6; None for a wave that is not a follow-up."""
    match = _FOLLOWUP_ID.match(wave)
    return int(match.group(1)) if match else None


def is_followup(wave: str) -> bool:
    """True for a follow-up wave id (``followup_<N>``)."""
    return followup_months_of(wave) is not None


def wave_kind(wave_id: str) -> str:
    """The wave kind of a wave id: ``followup_6`` → ``followup``; ``baseline`` → ``baseline``."""
    return FOLLOWUP if wave_id.startswith(FOLLOWUP) else wave_id


def wave_month(wave: str) -> int | None:
    """Months after the end of training at which ``wave`` opens (baseline: None)."""
    if wave == EXIT:
        return 0
    return followup_months_of(wave)


def all_waves(followup_months: Iterable[int] = DEFAULT_FOLLOWUP_MONTHS) -> list[str]:
    """Every wave id of a programme in survey order: baseline, exit, then the follow-ups."""
    return [BASELINE, EXIT] + [followup_wave_id(m) for m in sorted(set(followup_months))]


def wave_order(wave: str) -> tuple[int, int]:
    """Sort key putting waves in survey order (unknown ids last)."""
    if wave == BASELINE:
        return 0, 0
    if wave == EXIT:
        return 1, 0
    months = followup_months_of(wave)
    return (2, months) if months is not None else (3, 0)


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months later (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {day}")


def wave_dates(cohort_end: date, followup_months: tuple[int, ...]) -> list[tuple[str, date]]:
    """(wave, due date) of every outreach wave of a cohort ending ``cohort_end``, oldest first."""
    return [
        (wave, add_months(cohort_end, wave_month(wave) or 0))
        for wave in all_waves(followup_months)[1:]
    ]


def due_waves(cohort_end: date | None, today: date, followup_months: tuple[int, ...]) -> list[str]:
    """Waves whose date has come for a cohort ending ``cohort_end``, oldest first."""
    if cohort_end is None:
        return []
    return [wave for wave, day in wave_dates(cohort_end, followup_months) if day <= today]


def current_wave(
    cohort_end: date | None, today: date, followup_months: tuple[int, ...]
) -> tuple[str, date] | None:
    """The latest wave whose due date has come by ``today`` (None before the end date)."""
    if cohort_end is None:
        return None
    due = [(wave, day) for wave, day in wave_dates(cohort_end, followup_months) if day <= today]
    return due[-1] if due else None


@dataclass(frozen=True)
class FieldworkWindow:
    """First and last day (both inclusive) of a wave's fieldwork; ``None``: no limit."""

    opens: date | None
    last_day: date | None

    def contains(self, day: date) -> bool:
        """True when an answer given on ``day`` counts for the wave."""
        return (self.opens is None or day >= self.opens) and (
            self.last_day is None or day <= self.last_day
        )


def fieldwork_window(
    wave: str,
    cohort_start: date | None,
    cohort_end: date | None,
    grace_days: int = DEFAULT_GRACE_DAYS,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> FieldworkWindow:
    """The fieldwork window of ``wave`` for a cohort running ``cohort_start``–``cohort_end``."""
    if wave == BASELINE:
        anchor = cohort_start or cohort_end
        return FieldworkWindow(None, anchor + timedelta(days=grace_days) if anchor else None)
    months = wave_month(wave)
    if months is None or cohort_end is None:
        return FieldworkWindow(None, None)
    opens = add_months(cohort_end, months)
    return FieldworkWindow(opens, add_months(opens, window_months) - timedelta(days=1))
