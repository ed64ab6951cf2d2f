"""Fieldwork windows: the days in which an answer to a wave describes what the wave asks about.

One module for the rule, used by the outcome report and the anonymised export:

- ``baseline`` ("before the training"): no opening day; the last day is the cohort's start
  date + ``grace_days``. A cohort without a start date falls back to its end date (by then the
  training has certainly begun); a cohort without either date has no window.
- ``exit``: opens on the cohort's end date; the last day is the day before the end date +
  ``window_months``.
- ``followup_<N>``: opens N months after the end date (:func:`bot.survey.engine.add_months`,
  the same calendar as the survey engine and the outreach schedule); the last day is the day
  before the opening day + ``window_months``. No end date: no window.

A response is dated by the day of its first answer (when the trainee started the wave).
Answers are never deleted for being late: they stay in the database, the report and the export
leave them out and count them. The flag is computed when the data are read, never stored, so
changing a setting re-judges every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from bot.survey.engine import add_months, baseline_closes

DEFAULT_GRACE_DAYS = 30
DEFAULT_WINDOW_MONTHS = 3


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


def wave_month(wave: str) -> int | None:
    """Months after the end of training at which ``wave`` opens (baseline: None)."""
    if wave == "baseline":
        return None
    if wave == "exit":
        return 0
    try:
        return int(wave.split("_", 1)[1])
    except (IndexError, ValueError):
        return None


def fieldwork_window(
    wave: str,
    cohort_start: date | None,
    cohort_end: date | None,
    grace_days: int = DEFAULT_GRACE_DAYS,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> FieldworkWindow:
    """The fieldwork window of ``wave`` for a cohort running ``cohort_start``–``cohort_end``."""
    if wave == "baseline":
        return FieldworkWindow(None, baseline_closes(cohort_start, cohort_end, grace_days))
    months = wave_month(wave)
    if months is None or cohort_end is None:
        return FieldworkWindow(None, None)
    opens = add_months(cohort_end, months)
    return FieldworkWindow(opens, add_months(opens, window_months) - timedelta(days=1))


def _as_date(value: object) -> date | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def outside_window(
    waves: pd.Series,
    cohort_starts: pd.Series,
    cohort_ends: pd.Series,
    days: pd.Series,
    grace_days: int = DEFAULT_GRACE_DAYS,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> np.ndarray:
    """True for each response (row) whose day lies outside its wave's window.

    Vectorised: one :func:`fieldwork_window` per distinct (wave, start, end) — a few per
    cohort — then numpy compares the days. A missing day is never outside.
    """
    keys = pd.DataFrame(
        {"wave": waves.to_numpy(), "start": cohort_starts.to_numpy(), "end": cohort_ends.to_numpy()}
    )
    if not len(keys):
        return np.zeros(0, dtype=bool)
    codes = keys.groupby(["wave", "start", "end"], dropna=False, sort=False).ngroup().to_numpy()
    uniques = keys.drop_duplicates().itertuples(index=False)
    far_past, far_future = np.datetime64("0001-01-01"), np.datetime64("9999-12-31")
    opens, last = [], []
    for wave, start, end in uniques:
        window = fieldwork_window(
            str(wave), _as_date(start), _as_date(end), grace_days, window_months
        )
        opens.append(np.datetime64(window.opens) if window.opens else far_past)
        last.append(np.datetime64(window.last_day) if window.last_day else far_future)
    first = np.array(opens, dtype="datetime64[D]")[codes]
    final = np.array(last, dtype="datetime64[D]")[codes]
    day = pd.to_datetime(pd.Series(days.to_numpy()), errors="coerce").to_numpy()
    day = day.astype("datetime64[D]")
    return ~np.isnat(day) & ((day < first) | (day > final))
