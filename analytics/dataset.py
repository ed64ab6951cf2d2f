"""Load one programme's survey data into tidy frames for the outcome report.

``people``: one row per trainee (not deleted) of the programme, with registry metadata,
baseline and exit answers (typed, by question code) and derived breakdown variables.
``responses``: one row per trainee × wave in which the trainee recorded at least one answer,
one column per question code of that wave (missing = not asked, skipped or not answered).

Answers are read with one query, filtered in SQL to the programme, in chunks converted to
categoricals so that millions of rows stay well under the memory budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals
from sqlalchemy import func, select

from analytics.derive import add_person_variables, due_for_wave
from analytics.frames import read_frame
from bot.questionnaire.loader import default_questionnaire, wave_kind
from bot.questionnaire.model import Questionnaire
from bot.storage.db import engine_for
from bot.storage.models import Answer, Cohort, Outreach, Programme, Trainee

NUMERIC_TYPES = {"integer", "rating", "duration", "money"}
CODED_TYPES = {"choice", "yes_no"}
Progress = Callable[[str], None]


class UnknownProgrammeError(LookupError):
    """The programme (or cohort) code does not exist."""


@dataclass
class Dataset:
    """What the indicators are computed from."""

    programme: str
    programme_name: str
    cohort: str | None
    as_of: date
    data_date: date | None
    people: pd.DataFrame
    responses: pd.DataFrame
    waves: list[str]
    due: pd.DataFrame  # trainee_id index × wave columns, bool


def _programme(database_url: str, programme: str, cohort: str | None) -> tuple[int, str]:
    with engine_for(database_url).connect() as connection:
        row = connection.execute(
            select(Programme.id, Programme.name).where(Programme.code == programme)
        ).first()
        if row is None:
            known = connection.execute(select(Programme.code).order_by(Programme.code)).scalars()
            listing = ", ".join(known) or "none"
            raise UnknownProgrammeError(
                f"unknown programme '{programme}' (known programmes: {listing})"
            )
        if cohort is not None:
            found = connection.execute(
                select(Cohort.id).where(Cohort.programme_id == row.id, Cohort.code == cohort)
            ).first()
            if found is None:
                raise UnknownProgrammeError(
                    f"programme '{programme}' has no cohort '{cohort}'"
                )
    return row.id, row.name


def _trainees(database_url: str, programme_id: int, cohort: str | None) -> pd.DataFrame:
    query = (
        select(
            Trainee.id.label("trainee_id"),
            Trainee.status,
            Trainee.sex.label("registered_sex"),
            Trainee.birth_year.label("registered_birth_year"),
            Trainee.completion_status.label("registered_completion"),
            Cohort.code.label("cohort"),
            Cohort.start_date.label("cohort_start"),
            Cohort.end_date.label("cohort_end"),
            Cohort.region,
        )
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .where(Cohort.programme_id == programme_id, Trainee.status != "deleted")
    )
    if cohort is not None:
        query = query.where(Cohort.code == cohort)
    return read_frame(database_url, query)


def _answers_query(programme_id: int, cohort: str | None, codes: list[str]):  # type: ignore[no-untyped-def]
    query = (
        select(
            Answer.trainee_id,
            Answer.wave,
            Answer.question_code,
            Answer.status,
            Answer.value_number,
            Answer.value_text,
        )
        .join(Trainee, Trainee.id == Answer.trainee_id)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .where(
            Answer.is_current.is_(True),
            Cohort.programme_id == programme_id,
            Trainee.status != "deleted",
            Answer.question_code.in_(codes),
        )
    )
    if cohort is not None:
        query = query.where(Cohort.code == cohort)
    return query


def _read_answers(
    database_url: str, query, progress: Progress | None, chunksize: int = 250_000  # type: ignore[no-untyped-def]
) -> pd.DataFrame:
    """Stream the answer rows into one frame with categorical text columns.

    Rows are fetched with the driver's cursor (plain tuples): building SQLAlchemy ``Row``
    objects for millions of answers would dominate the report's run time.
    """
    columns = ["trainee_id", "wave", "question_code", "status", "value_number", "value_text"]
    categorical = ("wave", "question_code", "status", "value_text")
    parts: list[pd.DataFrame] = []
    engine = engine_for(database_url)
    compiled = query.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    if engine.dialect.positional:
        params: object = tuple(compiled.params[name] for name in compiled.positiontup)
    else:
        params = compiled.params
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        try:
            cursor.execute(str(compiled), params)
            while True:
                rows = cursor.fetchmany(chunksize)
                if not rows:
                    break
                part = pd.DataFrame.from_records(rows, columns=columns)
                for name in categorical:
                    part[name] = part[name].astype("category")
                part["trainee_id"] = part["trainee_id"].astype("int64")
                part["value_number"] = part["value_number"].astype("float64")
                parts.append(part)
                if progress:
                    progress(f"read {sum(len(p) for p in parts):,} answers")
        finally:
            cursor.close()
    if not parts:
        frame = pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
        frame["trainee_id"] = frame["trainee_id"].astype("int64")
        frame["value_number"] = frame["value_number"].astype("float64")
        return frame
    return pd.DataFrame(
        {
            name: (
                union_categoricals([p[name] for p in parts])
                if name in categorical
                else np.concatenate([p[name].to_numpy() for p in parts])
            )
            for name in columns
        }
    )


def pivot_answers(answers: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Answer rows → one row per trainee × wave, one typed column per question code.

    Skipped answers count as a response to the wave but leave the question missing. Money
    questions also get ``<code>_currency``.
    """
    keys = ["trainee_id", "wave"]
    if answers.empty:
        wide = pd.DataFrame(columns=keys)
    else:
        answers = answers.copy()
        answers["wave"] = answers["wave"].astype(str)
        answers["question_code"] = answers["question_code"].astype(str)
        responded = answers[keys].drop_duplicates().set_index(keys)
        answered = answers[answers["status"] == "answered"].drop_duplicates(
            keys + ["question_code"], keep="last"
        )
        types = {q.code: q.type for q in questionnaire.questions}
        kinds = answered["question_code"].map(types)
        numeric = kinds.isin(NUMERIC_TYPES)
        indexed = answered.set_index(keys + ["question_code"])
        parts = [responded]
        if numeric.any():
            parts.append(indexed.loc[numeric.to_numpy(), "value_number"].unstack())
        coded = ~numeric.to_numpy()
        if coded.any():
            text = indexed.loc[coded, "value_text"].astype(object).unstack()
            parts.append(text)
        money = kinds.eq("money").to_numpy()
        if money.any():
            parts.append(
                indexed.loc[money, "value_text"].astype(object).unstack().add_suffix("_currency")
            )
        wide = pd.concat(parts, axis=1).reset_index()
        wide.columns.name = None
    for question in questionnaire.questions:
        if question.code not in wide.columns and question.type in NUMERIC_TYPES | CODED_TYPES:
            wide[question.code] = np.nan if question.type in NUMERIC_TYPES else None
        if question.type == "money" and f"{question.code}_currency" not in wide.columns:
            wide[f"{question.code}_currency"] = None
    wide["wave_kind"] = wide["wave"].map(wave_kind) if len(wide) else pd.Series(dtype=object)
    return wide


def _data_date(database_url: str, programme_id: int) -> date | None:
    query = (
        select(func.max(Answer.answered_at))
        .join(Trainee, Trainee.id == Answer.trainee_id)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .where(Cohort.programme_id == programme_id)
    )
    with engine_for(database_url).connect() as connection:
        value = connection.execute(query).scalar()
    if value is None:
        return None
    return value.date() if hasattr(value, "date") else date.fromisoformat(str(value)[:10])


def _sent_waves(database_url: str, programme_id: int) -> pd.DataFrame:
    query = (
        select(Outreach.trainee_id, Outreach.wave)
        .join(Trainee, Trainee.id == Outreach.trainee_id)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .where(Cohort.programme_id == programme_id, Outreach.state == "sent")
        .distinct()
    )
    return read_frame(database_url, query)


def _wave_order(wave: str) -> tuple[int, int]:
    order = {"baseline": 0, "exit": 1}
    if wave in order:
        return order[wave], 0
    try:
        return 2, int(wave.split("_", 1)[1])
    except (IndexError, ValueError):
        return 3, 0


def load_dataset(
    database_url: str,
    programme: str,
    cohort: str | None = None,
    *,
    as_of: date | None = None,
    followup_months: tuple[int, ...] = (6, 12),
    questionnaire: Questionnaire | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Read everything the report needs for ``programme`` (optionally one ``cohort``)."""
    questionnaire = questionnaire or default_questionnaire()
    as_of = as_of or date.today()
    programme_id, programme_name = _programme(database_url, programme, cohort)
    trainees = _trainees(database_url, programme_id, cohort)
    codes = [q.code for q in questionnaire.questions if q.type in NUMERIC_TYPES | CODED_TYPES]
    answers = _read_answers(
        database_url, _answers_query(programme_id, cohort, codes), progress
    )
    if progress:
        progress("pivoting answers")
    responses = pivot_answers(answers, questionnaire)
    del answers
    responses = responses[responses["trainee_id"].isin(trainees["trainee_id"])]
    waves = {"baseline", "exit", *(f"followup_{m}" for m in followup_months)}
    waves |= set(responses["wave"].unique())
    ordered = sorted(waves, key=_wave_order)
    people = add_person_variables(trainees, responses, as_of)
    sent = _sent_waves(database_url, programme_id)
    due = pd.DataFrame(index=people.index)
    for wave in ordered:
        by_date = due_for_wave(people, wave, as_of)
        answered = people.index.isin(responses.loc[responses["wave"] == wave, "trainee_id"])
        was_sent = people.index.isin(sent.loc[sent["wave"] == wave, "trainee_id"])
        due[wave] = by_date | answered | was_sent
    return Dataset(
        programme=programme,
        programme_name=programme_name,
        cohort=cohort,
        as_of=as_of,
        data_date=_data_date(database_url, programme_id),
        people=people,
        responses=responses.reset_index(drop=True),
        waves=ordered,
        due=due,
    )
