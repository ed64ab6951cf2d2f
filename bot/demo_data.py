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

from bot.demo_answers import TraineeAnswers
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
    specs: list[tuple[str, str, tuple[str, ...]]] = (
        [(programme, f"Demo programme {programme}", ("Capital", "North"))]
        if programme
        else list(PROGRAMMES)
    )
    offsets = ALL_WAVES_OFFSETS if all_waves_due else COHORT_END_OFFSETS
    answers = 0
    with engine_for(database_url).begin() as connection:
        cohorts = _insert_programmes(connection, specs, offsets, today)
        people = _insert_trainees(connection, rng, cohorts, trainees)
        writer = _AnswerWriter(connection, rng, today, {**RESPONSE, **(response or {})})
        for chunk in _chunks(writer.rows(people, progress), CHUNK):
            _insert_answers(connection, chunk)
            answers += len(chunk)
        writer.finish()
    return DemoSummary(
        programmes=len(specs), cohorts=len(cohorts), trainees=len(people), answers=answers
    )


def _insert_programmes(
    connection: Any, specs: list[tuple[str, str, tuple[str, ...]]], offsets: tuple, today: date
) -> list[tuple[int, date, date]]:
    """Insert the programmes and their cohorts; (cohort id, start, end) of each cohort."""
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
    return cohorts


def _insert_trainees(
    connection: Any, rng: random.Random, cohorts: list[tuple[int, date, date]], trainees: int
) -> list[tuple[int, date, date, str, int]]:
    """Insert ``trainees`` trainees in random cohorts; (id, start, end, sex, birth year)."""
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
    return people


class _AnswerWriter:
    """Draws each trainee's answers wave by wave; writes wave progress and completion status."""

    def __init__(self, connection: Any, rng: random.Random, today: date, rates: dict) -> None:
        self.connection, self.rng, self.today, self.rates = connection, rng, today, rates
        questionnaire = default_questionnaire()
        self.order = {q.code: i for i, q in enumerate(questionnaire.questions)}
        self.registry: list[dict] = []  # completion status in the cohort file, once ended
        self.progress_rows: list[dict] = []

    def rows(self, people: list[tuple], progress: Progress | None) -> Iterator[dict]:
        """Answer rows of every trainee, in order; wave progress is written along the way."""
        for done, (trainee_id, start, end, sex, birth_year) in enumerate(people, 1):
            person = TraineeAnswers(self.rng, sex, birth_year)
            if end <= self.today:
                registered = "completed" if person.completed else "dropped_out"
                self.registry.append({"trainee": trainee_id, "registered": registered})
            yield from self._trainee_rows(trainee_id, start, end, person)
            if len(self.progress_rows) >= CHUNK:
                self.connection.execute(insert(WaveProgress), self.progress_rows)
                self.progress_rows = []
            if progress and done % 5000 == 0:
                progress(5000)
        if self.progress_rows:
            self.connection.execute(insert(WaveProgress), self.progress_rows)
            self.progress_rows = []

    def _trainee_rows(
        self, trainee_id: int, start: date, end: date, person: TraineeAnswers
    ) -> Iterator[dict]:
        rng, today = self.rng, self.today
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
            if rng.random() >= self.rates[wave]:
                continue
            at = datetime.combine(due, datetime.min.time()) + timedelta(
                days=rng.randint(0, 20), hours=rng.randint(8, 20)
            )
            if at.date() > today:
                at = datetime.combine(today, datetime.min.time())
            for code in sorted(answers, key=self.order.__getitem__):
                yield _answer_row(trainee_id, wave, code, answers[code], at)
            self.progress_rows.append(
                {"trainee_id": trainee_id, "wave": wave, "started_at": at, "completed_at": at}
            )

    def finish(self) -> None:
        """Write each ended cohort's completion status, as a cohort file would give it."""
        if self.registry:
            self.connection.execute(
                update(Trainee)
                .where(Trainee.id == bindparam("trainee"))
                .values(completion_status=bindparam("registered")),
                self.registry,
            )
