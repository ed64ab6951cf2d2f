"""Load one programme's survey data into tidy frames for the outcome report.

``people``: one row per trainee (not deleted) of the programme, with registry metadata,
baseline and exit answers (typed, by question code) and derived breakdown variables.
``responses``: one row per trainee × wave in which the trainee recorded at least one answer,
one column per question code of that wave (missing = not asked, skipped or not answered).

The answers are read by :mod:`analytics.answers` (packed codec: :mod:`analytics.packed`,
SQL: :mod:`analytics.answer_sql`); responses outside their fieldwork window are left out
here and counted. The dataset carries the questionnaire it was read with.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import or_, select

from analytics.answer_sql import READ_PARTS, fetch, newest_answer, programme_trainees
from analytics.answers import Progress, read_responses
from analytics.derive import add_person_variables, due_for_wave
from analytics.frames import read_frame, started_outside_window
from analytics.masks import responded_to
from analytics.occupation_match import ISCO_COLUMNS, isco_answers
from bot.questionnaire.loader import default_questionnaire
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.waves import all_waves, wave_order
from bot.storage.db import engine_for
from bot.storage.models import Cohort, Outreach, Programme, Trainee
from bot.survey.windows import DEFAULT_GRACE_DAYS, DEFAULT_WINDOW_MONTHS

__all__ = ["Dataset", "Progress", "UnknownProgrammeError", "load_dataset", "read_responses"]


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
    # responses started outside their wave's fieldwork window (left out of ``responses``):
    # index wave, columns ``responses`` and ``answers`` (counts)
    outside_window: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["responses", "answers"])
    )
    # the questionnaire the data were read with (labels and choices come from it)
    questionnaire: Questionnaire = field(default_factory=default_questionnaire)
    # trainee_id, wave, day (first answer) and answers of the responses inside their window
    days: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["trainee_id", "wave", "day", "answers"])
    )
    # ISCO-08 codes (trainee_id, wave, question_code, code) of responses inside their window
    isco: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(ISCO_COLUMNS)))


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
                raise UnknownProgrammeError(f"programme '{programme}' has no cohort '{cohort}'")
    return row.id, row.name


TRAINEE_COLUMNS = (
    "trainee_id",
    "status",
    "registered_sex",
    "registered_birth_year",
    "registered_completion",
)
COHORT_COLUMNS = ("cohort", "cohort_start", "cohort_end", "region")


def _trainees(database_url: str, programme_id: int, cohort: str | None) -> pd.DataFrame:
    """The programme's trainees (not deleted) with their cohort's code, dates and region.

    The trainees are read as plain driver tuples with their cohort id (SQLAlchemy rows and
    date parsing per trainee cost half a second at 100k) and the few cohorts through
    SQLAlchemy (typed dates), then looked up by id: the rows and values of the joined query.
    """
    cohorts_query = select(
        Cohort.id,
        Cohort.code.label("cohort"),
        Cohort.start_date.label("cohort_start"),
        Cohort.end_date.label("cohort_end"),
        Cohort.region,
    ).where(Cohort.programme_id == programme_id)
    query = (
        select(
            Trainee.id,
            Trainee.status,
            Trainee.sex,
            Trainee.birth_year,
            Trainee.completion_status,
            Trainee.cohort_id,
        )
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .where(Cohort.programme_id == programme_id, Trainee.status != "deleted")
    )
    if cohort is not None:
        query = query.where(Cohort.code == cohort)
    rows = fetch(database_url, query)
    cohorts = read_frame(database_url, cohorts_query)
    trainees = pd.DataFrame.from_records(rows, columns=[*TRAINEE_COLUMNS, "cohort_id"])
    of_cohort = pd.Index(cohorts["id"]).get_indexer(trainees.pop("cohort_id"))
    for column in COHORT_COLUMNS:
        trainees[column] = cohorts[column].to_numpy(dtype=object)[of_cohort]
    return trainees


def split_outside_window(
    responses: pd.DataFrame,
    days: pd.DataFrame,
    trainees: pd.DataFrame,
    grace_days: int = DEFAULT_GRACE_DAYS,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``responses`` without the trainee × wave rows started outside their fieldwork window,
    the count of those (responses, answers) per wave, and the ``days`` of the responses
    inside their window."""
    cohorts = trainees.set_index("trainee_id")[["cohort_start", "cohort_end"]]
    days = days[days["trainee_id"].isin(cohorts.index)]
    late = started_outside_window(days, cohorts, "day", grace_days, window_months)
    outside = days[late]
    counts = outside.groupby("wave").agg(
        responses=("trainee_id", "size"), answers=("answers", "sum")
    )
    inside = days[~late].reset_index(drop=True)
    if not len(outside):
        return responses, counts, inside
    pairs = pd.MultiIndex.from_frame(outside[["trainee_id", "wave"]])
    mine = pd.MultiIndex.from_arrays([responses["trainee_id"], responses["wave"]])
    return responses[~mine.isin(pairs)], counts, inside


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the rows numbered 0, 1, 2…: itself when they are already (the usual
    case; ``reset_index`` would copy every column of the wide frame)."""
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        if index.name is None:
            return frame
    return frame.reset_index(drop=True)


def _inside(rows: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    """``rows`` of the (trainee_id, wave) responses listed in ``days`` (inside the window)."""
    if not len(rows):
        return rows
    return rows.merge(days[["trainee_id", "wave"]], on=["trainee_id", "wave"], how="inner")


def _read_all(
    database_url: str,
    programme_id: int,
    cohort: str | None,
    questionnaire: Questionnaire,
    progress: Progress | None,
    waves: tuple[str, ...],
) -> tuple:
    """Trainees, sent waves, data date, response days, ISCO codes and the answers, read by
    parallel queries."""
    with ThreadPoolExecutor(max_workers=READ_PARTS + 2) as pool:
        trainees = pool.submit(_trainees, database_url, programme_id, cohort)
        sent = pool.submit(_sent_waves, database_url, programme_id)
        others = pool.submit(_newest_elsewhere, database_url, programme_id, cohort)
        isco = pool.submit(isco_answers, database_url, programme_trainees(programme_id, cohort))
        responses, days, newest = read_responses(
            database_url,
            programme_trainees(programme_id, cohort),
            questionnaire,
            progress,
            pool,
            waves=waves,
        )
        return (
            trainees.result(),
            sent.result(),
            _data_date(newest, others.result()),
            days,
            isco.result(),
            responses,
        )


def _due(
    people: pd.DataFrame,
    responses: pd.DataFrame,
    sent: pd.DataFrame,
    waves: list[str],
    as_of: date,
) -> pd.DataFrame:
    """trainee_id × wave: due by date, or answered (inside the window), or sent."""
    due = pd.DataFrame(index=people.index)
    for wave in waves:
        by_date = due_for_wave(people, wave, as_of)
        answered = responded_to(people.index, responses, wave)
        was_sent = people.index.isin(sent.loc[sent["wave"] == wave, "trainee_id"])
        due[wave] = by_date | answered | was_sent
    return due


def _newest_elsewhere(database_url: str, programme_id: int, cohort: str | None) -> object:
    """The newest answer of the programme's trainees that the answer read does not see: the
    deleted trainees' (and with a ``cohort``, the other cohorts')."""
    unseen = Trainee.status == "deleted"
    if cohort is not None:
        unseen = or_(unseen, Cohort.code != cohort)
    return newest_answer(
        database_url, programme_trainees(programme_id, None, deleted=True).where(unseen)
    )


def _data_date(*newest: object) -> date | None:
    """The date of the newest answer (any, even superseded) of the programme's trainees, from
    the newest ``answered_at`` of each part of them (as the driver returns it, or None)."""
    value = max((v for v in newest if v is not None), default=None)  # type: ignore[type-var]
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


def load_dataset(
    database_url: str,
    programme: str,
    cohort: str | None = None,
    *,
    as_of: date | None = None,
    followup_months: tuple[int, ...] = (6, 12),
    questionnaire: Questionnaire | None = None,
    progress: Progress | None = None,
    grace_days: int = DEFAULT_GRACE_DAYS,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> Dataset:
    """Read everything the report needs for ``programme`` (optionally one ``cohort``).

    Responses started outside their wave's fieldwork window (:mod:`bot.survey.windows`,
    ``grace_days`` after the training start for the baseline, ``window_months`` for the other
    waves) are left out of ``responses`` (and so of the response rates and indicators) and
    counted in ``outside_window``.
    """
    questionnaire = questionnaire or default_questionnaire()
    as_of = as_of or date.today()
    programme_id, programme_name = _programme(database_url, programme, cohort)
    waves = tuple(all_waves(followup_months))
    trainees, sent, data_date, days, isco, responses = _read_all(
        database_url, programme_id, cohort, questionnaire, progress, waves
    )
    known = responses["trainee_id"].isin(trainees["trainee_id"])
    if not known.all():  # trainees added or deleted while reading
        responses = responses[known]
    responses, outside, days = split_outside_window(
        responses, days, trainees, grace_days, window_months
    )
    ordered = sorted({*waves, *responses["wave"].unique()}, key=wave_order)
    people = add_person_variables(trainees, responses, as_of)
    return Dataset(
        programme=programme,
        programme_name=programme_name,
        cohort=cohort,
        as_of=as_of,
        data_date=data_date,
        people=people,
        responses=_numbered(responses),
        waves=ordered,
        due=_due(people, responses, sent, ordered, as_of),
        outside_window=outside,
        questionnaire=questionnaire,
        days=days,
        isco=_inside(isco, days),
    )
