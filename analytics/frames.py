"""Shared readers for analytics: SQLAlchemy queries into pandas frames.

``read_frame`` streams any query into a DataFrame (pandas 2.2 cannot use SQLAlchemy 1.4);
``trainees_frame`` lists a programme's trainees with cohort metadata.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.sql import Select

from bot.storage.db import engine_for
from bot.storage.models import Cohort, Programme, Trainee
from bot.survey.windows import outside_window


def read_frame(database_url: str, query: Select, chunksize: int = 200_000) -> pd.DataFrame:
    """Run a SQLAlchemy ``query`` and return its rows as a DataFrame (streamed in chunks).

    pandas 2.2 only speaks SQLAlchemy 2.x, and Rasa pins 1.4, so rows are fetched here.
    """
    with engine_for(database_url).connect() as connection:
        result = connection.execution_options(stream_results=True).execute(query)
        columns = list(result.keys())
        frames = [
            pd.DataFrame.from_records(list(rows), columns=columns)
            for rows in result.partitions(chunksize)
        ]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def trainees_frame(
    database_url: str, programme: str | None = None, cohort: str | None = None
) -> pd.DataFrame:
    """One row per trainee (not deleted) with programme and cohort metadata."""
    query = (
        select(
            Trainee.id.label("trainee_id"),
            Trainee.pseudo_id,
            Trainee.status,
            Programme.code.label("programme"),
            Programme.name.label("programme_name"),
            Cohort.code.label("cohort"),
            Cohort.start_date.label("cohort_start"),
            Cohort.end_date.label("cohort_end"),
            Cohort.region,
            Trainee.sex.label("registered_sex"),
            Trainee.birth_year.label("registered_birth_year"),
        )
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .where(Trainee.status != "deleted")
    )
    if programme:
        query = query.where(Programme.code == programme)
    if cohort:
        query = query.where(Cohort.code == cohort)
    return read_frame(database_url, query)


def started_outside_window(
    responses: pd.DataFrame, cohorts: pd.DataFrame, day: str, grace_days: int, window_months: int
) -> np.ndarray:
    """True for each response (``trainee_id``, ``wave`` and the day column ``day``) started
    outside its wave's fieldwork window; ``cohorts``: ``cohort_start``/``cohort_end`` by
    trainee id.

    The window check is a function of the wave, the cohort's dates and the day: it runs once
    per distinct combination (a few thousand for 400k responses), and each response takes the
    answer of its combination."""
    dates = cohorts.reindex(responses["trainee_id"].to_numpy())
    columns = (responses["wave"], dates["cohort_start"], dates["cohort_end"], responses[day])
    combination = np.zeros(len(responses), dtype=np.int64)
    for column in columns:  # missing values (code -1) are one more value
        codes, uniques = pd.factorize(column)
        combination = pd.factorize(combination * (len(uniques) + 1) + codes + 1)[0]
    count = int(combination.max()) + 1 if len(combination) else 0
    first = np.empty(count, dtype=np.int64)  # the first response of each combination
    first[combination[::-1]] = np.arange(len(combination) - 1, -1, -1)
    wave, start, end, started = (column.iloc[first] for column in columns)
    late = outside_window(wave, start, end, started, grace_days, window_months)
    return late[combination]
