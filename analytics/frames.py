"""Tidy pandas frames from the answer table, keyed by the questionnaire's stable codes.

``answers_long``: one row per trainee × wave × question (current answers only).
``trainee_wave_frame``: one row per trainee × wave, one column per question code, with the
trainee's programme, cohort and completion metadata.  Both read in chunks with one query each
(no N+1), so 100k trainees × several waves fit in memory comfortably.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd
from sqlalchemy import select
from sqlalchemy.sql import Select

from bot.questionnaire.loader import default_questionnaire, wave_kind
from bot.questionnaire.model import Questionnaire
from bot.storage.db import engine_for
from bot.storage.models import Answer, Cohort, Programme, Trainee, WaveProgress

NUMERIC_TYPES = {"integer", "rating", "duration"}
TRAINEE_COLUMNS = [
    "trainee_id",
    "pseudo_id",
    "status",
    "programme",
    "programme_name",
    "cohort",
    "cohort_start",
    "cohort_end",
    "region",
]


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


def answers_long(
    database_url: str, trainee_ids: Iterable[int] | None = None, chunksize: int = 200_000
) -> pd.DataFrame:
    """Current answers: trainee_id, wave, question_code, status, value_number, value_text,
    answered_at."""
    query = select(
        Answer.trainee_id,
        Answer.wave,
        Answer.question_code,
        Answer.status,
        Answer.value_number,
        Answer.value_text,
        Answer.answered_at,
    ).where(Answer.is_current.is_(True))
    result = read_frame(database_url, query, chunksize)
    if trainee_ids is not None:
        result = result[result["trainee_id"].isin(set(trainee_ids))]
    return result


def wave_progress_frame(database_url: str) -> pd.DataFrame:
    """trainee_id, wave, started_at, completed_at for every wave a trainee started."""
    query = select(
        WaveProgress.trainee_id,
        WaveProgress.wave,
        WaveProgress.started_at,
        WaveProgress.completed_at,
    )
    return read_frame(database_url, query)


def typed_value(question_type: str, number: float | None, text: str | None) -> object:
    """The analysable value of an answer: numbers for numeric/money types, codes otherwise."""
    if question_type in NUMERIC_TYPES or question_type == "money":
        return number
    return text


def trainee_wave_frame(
    database_url: str,
    programme: str | None = None,
    cohort: str | None = None,
    questionnaire: Questionnaire | None = None,
) -> pd.DataFrame:
    """One row per trainee × wave answered, one column per question code (typed values).

    Money questions also get a ``<code>_currency`` column. Trainees who answered nothing in a
    wave have no row for it; use :func:`trainees_frame` for the denominators.
    """
    questionnaire = questionnaire or default_questionnaire()
    trainees = trainees_frame(database_url, programme, cohort)
    answers = answers_long(database_url)
    answers = answers[answers["trainee_id"].isin(trainees["trainee_id"])]
    types = {q.code: q.type for q in questionnaire.questions}
    answers = answers[answers["question_code"].isin(types)]
    answered = answers[answers["status"] == "answered"].copy()
    kinds = answered["question_code"].map(types)
    numeric = kinds.isin(NUMERIC_TYPES | {"money"})
    answered["value"] = answered["value_text"].astype(object)
    answered.loc[numeric, "value"] = answered.loc[numeric, "value_number"]
    wide = answered.pivot_table(
        index=["trainee_id", "wave"],
        columns="question_code",
        values="value",
        aggfunc="first",
    )
    money_codes = [code for code, kind in types.items() if kind == "money"]
    currency = (
        answered[answered["question_code"].isin(money_codes)]
        .pivot_table(
            index=["trainee_id", "wave"],
            columns="question_code",
            values="value_text",
            aggfunc="first",
        )
        .add_suffix("_currency")
    )
    responded = answers.groupby(["trainee_id", "wave"]).size().rename("n_answers")
    wide = pd.concat([wide, currency, responded], axis=1).reset_index()
    wide.columns.name = None
    for code in types:
        if code not in wide.columns:
            wide[code] = pd.NA
    for code, kind in types.items():
        if kind in NUMERIC_TYPES or kind == "money":
            wide[code] = pd.to_numeric(wide[code], errors="coerce")
    wide["wave_kind"] = wide["wave"].map(wave_kind)
    return trainees.merge(wide, on="trainee_id", how="inner")
