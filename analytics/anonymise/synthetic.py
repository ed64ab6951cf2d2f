"""Synthetic tracer data for tests and benchmarks, written with bulk inserts.

Answers follow the questionnaire's skip logic closely enough to exercise every export path
(choices, yes/no, numbers, money with currency, months, free text).  No real person appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import insert

from bot.questionnaire.waves import BASELINE, EXIT, all_waves
from bot.storage.db import engine_for
from bot.storage.models import Answer, Cohort, Programme, Trainee
from bot.survey.windows import fieldwork_window

CHUNK = 50_000
NOW = datetime(2026, 1, 1)
_WAVES = tuple(all_waves((6, 12)))
"""baseline, exit and the 6- and 12-month follow-ups."""


@dataclass(frozen=True)
class SyntheticSpec:
    """How much and what kind of data to generate."""

    trainees: int = 200
    programme: str = "solar"
    cohorts: int = 2
    regions: tuple[str, ...] = ("North", "South")
    seed: int = 7
    followup_share: float = 0.7
    birth_years: tuple[int, int] = (1998, 2004)


def _pick(rng: np.random.Generator, options: list[str], n: int, p: list[float] | None = None):
    return rng.choice(np.array(options, dtype=object), size=n, p=p)


def _answer_days(cohorts: list[tuple[date, date]], cohort_index: np.ndarray) -> dict:
    """wave → the answer time of each trainee: the first day of the wave's fieldwork window
    (the baseline: the training start), so every synthetic answer counts."""
    days = {}
    for wave in _WAVES:
        per_cohort = []
        for start, end in cohorts:
            window = fieldwork_window(wave, start, end)
            per_cohort.append(datetime.combine(window.opens or start, datetime.min.time()))
        days[wave] = np.array(per_cohort, dtype=object)[cohort_index]
    return days


class _AnswerRows:
    """Collects answer rows for the trainees ``ids`` answering on ``days[wave]``."""

    def __init__(self, ids: np.ndarray, days: dict[str, np.ndarray]) -> None:
        self.ids = ids
        self.days = days
        self.rows: list[dict] = []

    def add(self, wave: str, code: str, who: np.ndarray, numbers=None, texts=None) -> None:
        """One answer to ``code`` for each trainee selected by the mask ``who``."""
        for i, index in enumerate(np.flatnonzero(who)):
            self.rows.append(
                {
                    "trainee_id": int(self.ids[index]),
                    "wave": wave,
                    "question_code": code,
                    "status": "answered",
                    "value_number": None if numbers is None else float(numbers[index]),
                    "value_text": None if texts is None else str(texts[index]),
                    "value_json": None,
                    "raw_text": None,
                    "source_message_id": f"syn-{wave}-{code}-{i}",
                    "answered_at": self.days[wave][index],
                    "is_current": True,
                }
            )


def _add_money(
    out: _AnswerRows, wave: str, code: str, who: np.ndarray, amounts: np.ndarray
) -> None:
    """Money answers in XOF, rounded to the thousand."""
    out.add(wave, code, who, numbers=amounts.round(-3), texts=np.full(len(amounts), "XOF", object))


def _baseline_rows(out: _AnswerRows, spec: SyntheticSpec, rng: np.random.Generator, n: int) -> None:
    everyone = np.ones(n, bool)
    sex = _pick(rng, ["female", "male"], n)
    out.add(BASELINE, "bl_sex", everyone, texts=sex)
    born = rng.integers(spec.birth_years[0], spec.birth_years[1] + 1, n)
    out.add(BASELINE, "bl_birth_year", everyone, numbers=born)
    out.add(
        BASELINE,
        "bl_education",
        everyone,
        texts=_pick(rng, ["primary", "lower_secondary", "upper_secondary", "tvet"], n),
    )
    activity = _pick(rng, ["employee", "self_employed", "unemployed_looking", "studying"], n)
    out.add(BASELINE, "bl_activity_status", everyone, texts=activity)
    working = np.isin(activity, ["employee", "self_employed"])
    _add_money(out, BASELINE, "bl_earnings", working, rng.lognormal(11, 0.6, n))
    out.add(BASELINE, "bl_work_experience", everyone, texts=_pick(rng, ["yes", "no"], n))
    out.add(
        BASELINE,
        "bl_expectation_main",
        everyone,
        texts=_pick(rng, ["get_job", "start_business", "learn_skill"], n),
    )
    out.add(BASELINE, "bl_desired_occupation", everyone, texts=np.full(n, "electrician", object))


def _exit_rows(out: _AnswerRows, rng: np.random.Generator, n: int) -> None:
    exited = rng.random(n) < 0.85
    out.add(
        EXIT,
        "ex_completed",
        exited,
        texts=_pick(rng, ["completed", "dropped_out"], n, [0.9, 0.1]),
    )
    out.add(EXIT, "ex_satisfaction", exited, numbers=rng.integers(1, 6, n))


def _followup_rows(
    out: _AnswerRows, wave: str, spec: SyntheticSpec, rng: np.random.Generator, n: int
) -> None:
    answered = rng.random(n) < spec.followup_share
    worked = _pick(rng, ["yes", "no"], n, [0.6, 0.4])
    out.add(wave, "fu_worked_last_week", answered, texts=worked)
    job = answered & (worked == "yes")
    out.add(
        wave,
        "fu_job_start",
        job,
        texts=_pick(rng, ["2025-03", "2025-06", "2025-09", "2025-11"], n),
    )
    out.add(wave, "fu_occupation", job, texts=np.full(n, "installing solar panels", object))
    _add_money(out, wave, "fu_earnings", job, rng.lognormal(11.3, 0.7, n))
    out.add(wave, "fu_hours_week", job, numbers=rng.integers(10, 60, n))
    out.add(wave, "fu_satisfaction_hindsight", answered, numbers=rng.integers(1, 6, n))


def _rows(
    spec: SyntheticSpec, ids: np.ndarray, rng: np.random.Generator, days: dict[str, np.ndarray]
) -> list[dict]:
    """Answer rows of every wave, drawn in a fixed order so a seed gives the same data."""
    n = len(ids)
    out = _AnswerRows(ids, days)
    _baseline_rows(out, spec, rng, n)
    _exit_rows(out, rng, n)
    for wave in _WAVES[2:]:
        _followup_rows(out, wave, spec, rng, n)
    return out.rows


def generate(database_url: str, spec: SyntheticSpec) -> list[int]:
    """Insert a programme, its cohorts, trainees and answers; the trainee ids created."""
    rng = np.random.default_rng(spec.seed)
    engine = engine_for(database_url)
    with engine.begin() as connection:
        programme_id = connection.execute(
            insert(Programme).values(
                code=spec.programme, name=f"Programme {spec.programme}", created_at=NOW
            )
        ).inserted_primary_key[0]
        cohort_ids, cohort_dates = [], []
        for index in range(spec.cohorts):
            start, end = date(2025, 1 + 3 * (index % 4), 6), date(2025, 3 + 3 * (index % 4), 28)
            cohort_dates.append((start, end))
            cohort_ids.append(
                connection.execute(
                    insert(Cohort).values(
                        programme_id=programme_id,
                        code=f"{spec.programme}-c{index + 1}",
                        name=f"Cohort {index + 1}",
                        start_date=start,
                        end_date=end,
                        region=spec.regions[index % len(spec.regions)],
                        created_at=NOW,
                    )
                ).inserted_primary_key[0]
            )
        cohort_of = rng.choice(np.array(cohort_ids), size=spec.trainees)
        cohort_index = np.searchsorted(np.array(cohort_ids), cohort_of)
        prefix = f"S{spec.programme[:3]}{spec.seed}"
        trainees = [
            {
                "pseudo_id": f"{prefix}{i:09d}",
                "cohort_id": int(cohort_of[i]),
                "language": "en",
                "status": "active",
                "created_at": NOW,
            }
            for i in range(spec.trainees)
        ]
        for first in range(0, len(trainees), CHUNK):
            connection.execute(insert(Trainee), trainees[first : first + CHUNK])
        ids = np.array(
            [
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT trainee.id FROM trainee JOIN cohort ON cohort.id = trainee.cohort_id "
                    f"WHERE cohort.programme_id = {int(programme_id)} ORDER BY trainee.id"
                )
            ]
        )
        rows = _rows(spec, ids, rng, _answer_days(cohort_dates, cohort_index))
        for first in range(0, len(rows), CHUNK):
            connection.execute(insert(Answer), rows[first : first + CHUNK])
    return ids.tolist()
