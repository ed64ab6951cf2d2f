"""Fieldwork windows: the days in which an answer to a wave describes what the wave asks about.

The rule for each wave (:func:`fieldwork_window`) lives with the wave calendar in
:mod:`bot.questionnaire.waves` and is re-exported here; this module applies it to many
responses at once, for the outcome report and the anonymised export.

A response is dated by the day of its first answer (when the trainee started the wave).
Answers are never deleted for being late: they stay in the database, the report and the export
leave them out and count them. The flag is computed when the data are read, never stored, so
changing a setting re-judges every answer.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from bot.questionnaire.waves import (
    DEFAULT_GRACE_DAYS,
    DEFAULT_WINDOW_MONTHS,
    FieldworkWindow,
    fieldwork_window,
    wave_month,
)

__all__ = [
    "DEFAULT_GRACE_DAYS",
    "DEFAULT_WINDOW_MONTHS",
    "FieldworkWindow",
    "fieldwork_window",
    "outside_window",
    "wave_month",
]


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
