"""Synthetic, seeded demo data: programmes, cohorts, trainees and answers to every wave.

The answers follow the questionnaire's skip logic (a question is only answered when it would
have been asked) and plausible distributions: response falls from baseline to the 12-month
follow-up; employment is higher after completion and later after training; earnings grow
from baseline. Nothing looks like real personal data: trainees carry only a seeded random
pseudonymous id, sex and year of birth; no contacts, names or free text are generated.

Rows are inserted with SQLAlchemy core bulk inserts, in chunks, in one transaction.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, Callable, Iterator

from sqlalchemy import bindparam, insert, select, update

from bot.questionnaire.loader import default_questionnaire
from bot.questionnaire.waves import BASELINE, EXIT, add_months, followup_wave_id
from bot.storage.db import engine_for
from bot.storage.models import Answer, Cohort, Programme, Trainee, WaveProgress, utcnow

PROGRAMMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("solar", "Solar PV installation", ("North", "Coast")),
    ("tailoring", "Tailoring and garment making", ("Capital", "East")),
    ("ict", "ICT support technician", ("Capital", "North")),
)
# months before "today" at which each cohort ended (negative = still in training)
COHORT_END_OFFSETS = (26, 15, 8, 2)
ALL_WAVES_OFFSETS = (26, 20, 16, 13)
RESPONSE = {BASELINE: 0.95, EXIT: 0.80, followup_wave_id(6): 0.62, followup_wave_id(12): 0.48}
CHUNK = 50_000
Progress = Callable[[int], None]


class DemoDataError(RuntimeError):
    """The demo data cannot be added (e.g. the programme code already exists)."""


@dataclass
class DemoSummary:
    """What was generated."""

    programmes: int
    cohorts: int
    trainees: int
    answers: int


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _rating(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


def _money(rng: random.Random, median: float) -> float:
    return float(round(rng.lognormvariate(0, 0.45) * median, -2))


class _TraineeAnswers:
    """Generate one trainee's answers, wave by wave, honouring the skip logic."""

    def __init__(self, rng: random.Random, sex: str, birth_year: int) -> None:
        self.rng = rng
        self.sex = sex
        self.birth_year = birth_year
        self.currency = "USD" if rng.random() < 0.03 else "XOF"
        self.baseline: dict[str, Any] = {}
        self.completed = rng.random() < 0.85

    def baseline_answers(self) -> dict[str, Any]:
        rng = self.rng
        a: dict[str, Any] = {"bl_sex": self.sex, "bl_birth_year": self.birth_year}
        a["bl_education"] = _pick(
            rng,
            {
                "none": 3,
                "primary": 15,
                "lower_secondary": 30,
                "upper_secondary": 35,
                "tvet": 10,
                "tertiary": 7,
            },
        )
        status = _pick(
            rng,
            {
                "employee": 14,
                "self_employed": 12,
                "unemployed_looking": 40,
                "studying": 18,
                "not_working_other": 16,
            },
        )
        a["bl_activity_status"] = status
        if status in ("employee", "self_employed"):
            a["bl_earnings"] = {
                "amount": _money(rng, 55_000 if self.currency == "XOF" else 95),
                "currency": self.currency,
            }
        a["bl_work_experience"] = (
            "yes" if status in ("employee", "self_employed") or (rng.random() < 0.35) else "no"
        )
        a["bl_enrol_reason"] = _pick(
            rng,
            {
                "get_job": 40,
                "better_job": 12,
                "start_business": 18,
                "learn_skill": 15,
                "get_certificate": 10,
                "other": 5,
            },
        )
        a["bl_expectation_main"] = _pick(
            rng,
            {
                "get_job": 40,
                "start_business": 18,
                "earn_more": 17,
                "learn_skill": 15,
                "get_certificate": 10,
            },
        )
        if a["bl_expectation_main"] == "get_job":
            a["bl_expected_months_to_job"] = None if rng.random() < 0.15 else rng.randint(0, 9)
        a["bl_expected_earnings"] = (
            None
            if rng.random() < 0.2
            else {
                "amount": _money(rng, 90_000 if self.currency == "XOF" else 160),
                "currency": self.currency,
            }
        )
        self.baseline = a
        return a

    def exit_answers(self) -> dict[str, Any]:
        rng = self.rng
        a: dict[str, Any] = {"ex_completed": "completed" if self.completed else "dropped_out"}
        if self.completed:
            a["ex_certificate"] = "yes" if rng.random() < 0.9 else "no"
        else:
            a["ex_dropout_reason"] = _pick(
                rng,
                {
                    "found_job": 25,
                    "financial": 25,
                    "family": 18,
                    "course_quality": 10,
                    "health": 7,
                    "moved": 8,
                    "other": 7,
                },
            )
        a["ex_duration_months"] = rng.randint(6, 10) if self.completed else rng.randint(1, 6)
        a["ex_practice_share"] = _pick(
            rng, {"none": 5, "less_quarter": 25, "about_half": 45, "most": 25}
        )
        a["ex_workplace_learning"] = "yes" if rng.random() < 0.45 else "no"
        a["ex_satisfaction"] = _rating(rng, 4.0 if self.completed else 3.0)
        a["ex_usefulness"] = _rating(rng, 3.9 if self.completed else 3.1)
        a["ex_missing"] = _pick(
            rng,
            {
                "practical_work": 35,
                "equipment": 25,
                "trainer_quality": 10,
                "workplace_learning": 20,
                "nothing": 10,
            },
        )
        a["ex_recommend"] = "yes" if rng.random() < 0.82 else "no"
        return a

    def followup_answers(self, months: int) -> dict[str, Any]:
        rng = self.rng
        expectation = self.baseline.get("bl_expectation_main", "get_job")
        p_employed = 0.42 + (0.12 if self.completed else 0) + (0.08 if months >= 12 else 0)
        p_employed -= 0.07 if self.sex == "female" else 0
        a: dict[str, Any] = {}
        employed = rng.random() < p_employed
        if employed:
            a["fu_worked_last_week"] = "yes" if rng.random() < 0.92 else "no"
            if a["fu_worked_last_week"] == "no":
                a["fu_temp_absent"] = "yes"
        else:
            a["fu_worked_last_week"] = "no"
            a["fu_temp_absent"] = "no"
            looked = rng.random() < 0.55
            a["fu_looked_for_work"] = "yes" if looked else "no"
            a["fu_available"] = "yes" if rng.random() < (0.85 if looked else 0.4) else "no"
            if not looked:
                a["fu_inactive_reason"] = _pick(
                    rng, {"studying": 35, "care": 30, "illness": 5, "discouraged": 20, "other": 10}
                )
            a["fu_had_job_since"] = "yes" if rng.random() < 0.2 else "no"
        if employed or a.get("fu_had_job_since") == "yes":
            a["fu_months_to_first_job"] = min(months, int(rng.expovariate(1 / 3.5)))
        if employed:
            business = 0.25 if expectation == "start_business" else 0.0
            status = _pick(
                rng,
                {
                    "employee": 55 - business * 100,
                    "own_account": 28 + business * 80,
                    "employer": 7 + business * 20,
                    "family_worker": 10,
                },
            )
            a["fu_status_in_employment"] = status
            a["fu_job_relevance"] = _pick(
                rng, {"same_field": 50, "related_field": 25, "unrelated": 25}
            )
            a["fu_skills_use"] = _pick(rng, {"often": 50, "sometimes": 35, "never": 15})
            if status == "employee":
                a["fu_contract"] = _pick(rng, {"written": 45, "verbal": 35, "none": 20})
                a["fu_social_security"] = "yes" if rng.random() < 0.4 else "no"
            if status in ("employer", "own_account"):
                a["fu_business_registered"] = "yes" if rng.random() < 0.3 else "no"
            if rng.random() < 0.9:
                base = self.baseline.get("bl_earnings")
                median = (
                    base["amount"] * 1.25 if base else (70_000 if self.currency == "XOF" else 120)
                )
                a["fu_earnings"] = {"amount": _money(rng, median), "currency": self.currency}
            a["fu_hours_week"] = max(1, min(84, round(rng.gauss(42, 10))))
        a["fu_further_study"] = (
            "yes"
            if rng.random() < (0.4 if a.get("fu_inactive_reason") == "studying" else 0.08)
            else "no"
        )
        met = 0.35 + (0.35 if employed else 0) + (0.1 if self.completed else 0)
        roll = rng.random()
        a["fu_expectation_met"] = "yes" if roll < met else ("partly" if roll < met + 0.25 else "no")
        a["fu_satisfaction_hindsight"] = _rating(rng, 3.9 if employed else 3.2)
        return a


def _answer_row(trainee_id: int, wave: str, code: str, value: Any, at: datetime) -> dict:
    number = text = None
    status = "answered"
    if value is None:
        status = "skipped"
    elif isinstance(value, dict):
        number, text = value["amount"], value["currency"]
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        text = value
    return {
        "trainee_id": trainee_id,
        "wave": wave,
        "question_code": code,
        "status": status,
        "value_json": value,
        "value_number": number,
        "value_text": text,
        "raw_text": None,
        "source_message_id": f"demo:{wave}:{code}",
        "answered_at": at,
        "is_current": True,
        "superseded_at": None,
    }


_ANSWER_COLUMNS = (
    "trainee_id",
    "wave",
    "question_code",
    "status",
    "value_json",
    "value_number",
    "value_text",
    "raw_text",
    "source_message_id",
    "answered_at",
    "is_current",
    "superseded_at",
)


def _insert_answers(connection: Any, rows: list[dict]) -> None:
    """Bulk-insert answer rows; on SQLite values are pre-serialised for the driver's
    executemany (SQLAlchemy's per-row type processing would triple the run time)."""
    if connection.dialect.name != "sqlite":
        connection.execute(insert(Answer), rows)
        return
    placeholders = ", ".join("?" for _ in _ANSWER_COLUMNS)
    statement = f"INSERT INTO answer ({', '.join(_ANSWER_COLUMNS)}) VALUES ({placeholders})"
    stamp: dict[datetime, str] = {}
    values = []
    for row in rows:
        at = row["answered_at"]
        if at not in stamp:
            stamp[at] = at.strftime("%Y-%m-%d %H:%M:%S.%f")
        values.append(
            (
                row["trainee_id"],
                row["wave"],
                row["question_code"],
                row["status"],
                json.dumps(row["value_json"]),
                row["value_number"],
                row["value_text"],
                None,
                row["source_message_id"],
                stamp[at],
                1,
                None,
            )
        )
    connection.exec_driver_sql(statement, values)


def _chunks(rows: Iterator[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def generate_demo_data(
    database_url: str,
    trainees: int,
    *,
    seed: int = 0,
    programme: str | None = None,
    today: date | None = None,
    all_waves_due: bool = False,
    response: dict[str, float] | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Insert ``trainees`` synthetic trainees (spread over programmes and cohorts) with answers.

    ``programme`` puts everyone in one programme with that code. ``all_waves_due`` makes every
    cohort old enough for the 12-month follow-up; ``response`` overrides the response rates per
    wave (e.g. all 1.0 for benchmarks). Raises :class:`DemoDataError` when a programme code
    already exists.
    """
    if trainees < 1:
        raise DemoDataError("the number of trainees must be at least 1")
    today = today or date.today()
    rng = random.Random(f"tracer-demo:{seed}:{programme}")
    rates = {**RESPONSE, **(response or {})}
    specs = (
        [(programme, f"Demo programme {programme}", ("Capital", "North"))]
        if programme
        else list(PROGRAMMES)
    )
    offsets = ALL_WAVES_OFFSETS if all_waves_due else COHORT_END_OFFSETS
    questionnaire = default_questionnaire()
    order = {q.code: i for i, q in enumerate(questionnaire.questions)}
    engine = engine_for(database_url)
    counts = {"answers": 0, "trainees": 0}
    with engine.begin() as connection:
        existing = set(connection.execute(select(Programme.code)).scalars())
        clash = sorted(existing & {code for code, _, _ in specs})
        if clash:
            raise DemoDataError(
                f"programme '{clash[0]}' already exists; use a fresh database or --programme"
            )
        cohorts: list[tuple[int, date, date]] = []
        now = utcnow()
        for code, name, regions in specs:
            programme_id = connection.execute(
                insert(Programme).values(code=code, name=name, created_at=now)
            ).inserted_primary_key[0]
            for index, months_ago in enumerate(offsets):
                end = add_months(today, -months_ago)
                start = add_months(end, -9)
                cohort_id = connection.execute(
                    insert(Cohort).values(
                        programme_id=programme_id,
                        code=f"{start.year}-{index + 1}",
                        name=f"{name} intake {index + 1}",
                        start_date=start,
                        end_date=end,
                        region=regions[index % len(regions)],
                        timezone="UTC",
                        created_at=now,
                    )
                ).inserted_primary_key[0]
                cohorts.append((cohort_id, start, end))
        first_id = (
            connection.execute(select(Trainee.id).order_by(Trainee.id.desc())).scalar() or 0
        ) + 1
        trainee_rows = []
        people = []
        for offset in range(trainees):
            cohort_id, start, end = cohorts[rng.randrange(len(cohorts))]
            sex = "female" if rng.random() < 0.48 else ("male" if rng.random() < 0.99 else "other")
            birth_year = start.year - max(15, min(45, round(rng.gauss(23, 4.5))))
            trainee_rows.append(
                {
                    "id": first_id + offset,
                    "pseudo_id": f"T{rng.getrandbits(64):016x}",
                    "cohort_id": cohort_id,
                    "language": rng.choice(("en", "en", "fr", "es")),
                    "status": "opted_out" if rng.random() < 0.01 else "active",
                    "sex": sex,
                    "birth_year": birth_year,
                    "completion_status": None,
                    "created_at": datetime.combine(start, datetime.min.time()),
                    "opted_out_at": None,
                }
            )
            people.append((first_id + offset, start, end, sex, birth_year))
        for chunk in _chunks(iter(trainee_rows), CHUNK):
            connection.execute(insert(Trainee), chunk)
        counts["trainees"] = len(trainee_rows)
        del trainee_rows

        registry: list[dict] = []  # completion status in the cohort file, once training ended

        def answer_rows() -> Iterator[dict]:
            progress_rows: list[dict] = []
            for done, (trainee_id, start, end, sex, birth_year) in enumerate(people, 1):
                person = _TraineeAnswers(rng, sex, birth_year)
                if end <= today:
                    registry.append(
                        {
                            "trainee": trainee_id,
                            "registered": "completed" if person.completed else "dropped_out",
                        }
                    )
                waves: list[tuple[str, date, Callable[[], dict[str, Any]]]] = [
                    (BASELINE, start, person.baseline_answers),
                    (EXIT, end, person.exit_answers),
                ] + [
                    (followup_wave_id(m), add_months(end, m), partial(person.followup_answers, m))
                    for m in (6, 12)
                ]
                for wave, due, make in waves:
                    if due > today:
                        break
                    answers = make()  # always drawn so the baseline exists for later waves
                    if rng.random() >= rates[wave]:
                        continue
                    at = datetime.combine(due, datetime.min.time()) + timedelta(
                        days=rng.randint(0, 20), hours=rng.randint(8, 20)
                    )
                    if at.date() > today:
                        at = datetime.combine(today, datetime.min.time())
                    for code in sorted(answers, key=order.__getitem__):
                        yield _answer_row(trainee_id, wave, code, answers[code], at)
                    progress_rows.append(
                        {
                            "trainee_id": trainee_id,
                            "wave": wave,
                            "started_at": at,
                            "completed_at": at,
                        }
                    )
                if len(progress_rows) >= CHUNK:
                    connection.execute(insert(WaveProgress), progress_rows)
                    progress_rows = []
                if progress and done % 5000 == 0:
                    progress(5000)
            if progress_rows:
                connection.execute(insert(WaveProgress), progress_rows)

        for chunk in _chunks(answer_rows(), CHUNK):
            _insert_answers(connection, chunk)
            counts["answers"] += len(chunk)
        if registry:
            connection.execute(
                update(Trainee)
                .where(Trainee.id == bindparam("trainee"))
                .values(completion_status=bindparam("registered")),
                registry,
            )
    return DemoSummary(
        programmes=len(specs),
        cohorts=len(cohorts),
        trainees=counts["trainees"],
        answers=counts["answers"],
    )
