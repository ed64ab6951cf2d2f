"""The SQL of the answer reader (same statements on SQLite and PostgreSQL): packed answers per
trainee range (with the day of each answer), money answers grouped by currency and period,
and answers read as text. Results are plain driver tuples or numpy arrays.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import BigInteger, Date, Text, and_, case, cast, func, literal_column, select

from analytics.packed import Layout
from bot.storage.db import engine_for
from bot.storage.models import Answer, Cohort, Programme, Trainee

READ_PARTS = 2  # parallel reads of the answer table (one per core)
# Trainee ranges read (READ_PARTS at a time): the reader unpacks each one while the
# database reads the next, so only the last range's unpacking is left when reading ends.
RANGE_PARTS = 8
PG_WORK_MEM = "64MB"  # per read, PostgreSQL: hashes and groups stay in memory
RANGE_TRAINEES = 25_000  # trainee ids per read: ~20 MB of text, far below the 1 GB limit


def programme_trainees(programme_id: int, cohort: str | None, *, deleted: bool = False):
    """Subquery: ids of the programme's trainees (of ``cohort``; with the deleted ones or not)."""
    query = (
        select(Trainee.id)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .where(Cohort.programme_id == programme_id)
    )
    if not deleted:
        query = query.where(Trainee.status != "deleted")
    if cohort is not None:
        query = query.where(Cohort.code == cohort)
    return query


def current_answers(*columns):
    """Select ``columns`` of current answers, joined to their trainee, cohort and programme."""
    return (
        select(*columns)
        .join(Trainee, Trainee.id == Answer.trainee_id)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .where(Answer.is_current.is_(True))
    )


def fetch(database_url: str, query, *, serial: bool = False) -> list[tuple]:
    """Rows of ``query`` as plain driver tuples (SQLAlchemy ``Row`` objects cost too much).

    PostgreSQL: without JIT compilation for this transaction (the large ``CASE`` expressions of
    the packed answers cost seconds to compile and run once), with enough memory to hash the
    trainee ids and group the answers without spilling to disk, and without nested loops: the
    planner guesses ~1,500 trainees for a programme of 100k and then looks answers up trainee
    by trainee, where hashing the ids costs a third (server CPU of the report: 10.5 → 8.2 s).
    ``serial``: no parallel workers either (the reader already runs one query per core; a
    Gather of millions of rows costs more than it saves).
    """
    engine = engine_for(database_url)
    compiled = query.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.params  # a new dict at each access: hundreds of binds for the packing
    if engine.dialect.positional:
        params: object = tuple(values[name] for name in compiled.positiontup)
    else:
        params = values
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        try:
            if engine.dialect.name == "postgresql":
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(f"SET LOCAL work_mem = '{PG_WORK_MEM}'")
                cursor.execute("SET LOCAL enable_nestloop = off")
                if serial:
                    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute(str(compiled), params)
            return list(cursor.fetchall())
        finally:
            cursor.close()


def concatenated(dialect: str, expression):
    """SQL aggregate: the non-null values of ``expression`` joined by commas."""
    if dialect == "sqlite":  # the default separator: a bound one costs an allocation per row
        return func.group_concat(expression)
    return func.string_agg(cast(expression, Text), literal_column("','"))


def number_text(dialect: str):
    """SQL: ``value_number`` of an answered row as text that reads back exactly, else NULL.

    SQLite: whole numbers go as integers (printf allocates memory per row, under a lock that
    all connections share), others with 17 significant digits.
    """
    value = Answer.value_number
    if dialect == "sqlite":
        whole = cast(value, BigInteger)
        text = case(
            (and_(value == whole, func.abs(value) < 1e15), whole),
            else_=func.printf("%!.17g", value),
        )
    else:
        text = cast(value, Text)  # PostgreSQL ≥ 12: the shortest exact form
    return case((and_(Answer.status == "answered", value.isnot(None)), text))


def integers(text: str | None) -> np.ndarray:
    return np.fromstring(text or "", dtype=np.int64, sep=",")


def waves_present(database_url: str, trainees) -> tuple[str, ...]:
    query = (
        select(Answer.wave)
        .where(Answer.is_current.is_(True), Answer.trainee_id.in_(trainees))
        .distinct()
    )
    return tuple(sorted(str(row[0]) for row in fetch(database_url, query)))


def read_range(
    database_url: str, layout: Layout, trainees, start: int, stop: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, object]:
    """The current answers of ``trainees`` with ids in [start, stop): every one packed
    (answers to questions outside the layout too, as :attr:`Layout.other_question`), the
    numbers of those answered with a ``value_number``, and the day of every answer (days since
    1970-01-01, UTC). The three aggregates see the rows in the same order. Last, the newest
    ``answered_at`` of all their answers, superseded ones too (the data date: this scan reads
    their rows anyway), as the driver returns it; None without answers."""
    dialect = engine_for(database_url).dialect.name
    current = Answer.is_current.is_(True)
    query = select(
        concatenated(dialect, case((current, layout.packed(dialect)))),
        concatenated(dialect, case((current, number_text(dialect)))),
        concatenated(dialect, case((current, epoch_day(dialect, Answer.answered_at)))),
        func.max(Answer.answered_at),
    ).where(
        Answer.trainee_id >= start,
        Answer.trainee_id < stop,
        Answer.trainee_id.in_(trainees.where(Trainee.id >= start, Trainee.id < stop)),
    )
    packed_text, numbers_text, days_text, newest = fetch(database_url, query, serial=True)[0]
    numbers = np.fromstring(numbers_text or "", dtype=np.float64, sep=",")
    return integers(packed_text), numbers, integers(days_text), newest


def newest_answer(database_url: str, trainees) -> object:
    """The newest ``answered_at`` of any answer (superseded ones too) of ``trainees``, as the
    driver returns it; None without answers."""
    query = select(func.max(Answer.answered_at)).where(Answer.trainee_id.in_(trainees))
    return fetch(database_url, query)[0][0]


def trainee_ranges(database_url: str, trainees) -> list[tuple[int, int]]:
    """[start, stop) ranges of ids covering ``trainees`` (a select of trainee ids, none when
    there are none): at least :data:`RANGE_PARTS`, at most :data:`RANGE_TRAINEES` ids each.
    The bounds come from the select itself (not from the trainees whose id is in it: the reads
    wait for them)."""
    bounds = trainees.with_only_columns(func.min(Trainee.id), func.max(Trainee.id))
    low, high = fetch(database_url, bounds)[0]
    if low is None:
        return []
    ranges = max(RANGE_PARTS, -(-(high - low + 1) // RANGE_TRAINEES))
    step = (high - low) // ranges + 1
    return [(low + i * step, low + (i + 1) * step) for i in range(ranges)]


def read_currencies(
    database_url: str,
    layout: Layout,
    trainees,
) -> list[tuple[str | None, str | None, np.ndarray]]:
    """(currency, pay period, packed answers) of the answered money questions, one item per
    currency and period typed (issue 25)."""
    dialect = engine_for(database_url).dialect.name
    money = [q.code for q in layout.questions if q.type == "money"]
    query = (
        select(
            Answer.value_text, Answer.value_period, concatenated(dialect, layout.packed(dialect))
        )
        .where(
            Answer.is_current.is_(True),
            Answer.status == "answered",
            Answer.question_code.in_(money),
            Answer.trainee_id.in_(trainees),
        )
        .group_by(Answer.value_text, Answer.value_period)
    )
    return [(text, period, integers(packed)) for text, period, packed in fetch(database_url, query)]


def text_answers(
    database_url: str,
    codes: list[str],
    trainees,
) -> list[tuple]:
    """(trainee_id, wave, question_code, value_number, value_text, value_period) of the
    answered current
    answers to ``codes``, oldest first (for duplicates, the last one wins)."""
    query = (
        select(
            Answer.trainee_id,
            Answer.wave,
            Answer.question_code,
            Answer.value_number,
            Answer.value_text,
            Answer.value_period,
        )
        .where(
            Answer.is_current.is_(True),
            Answer.status == "answered",
            Answer.question_code.in_(codes),
            Answer.trainee_id.in_(trainees),
        )
        .order_by(Answer.id)
    )
    return fetch(database_url, query)


def epoch_day(dialect: str, expression):
    """SQL: whole days from 1970-01-01 to the timestamp ``expression`` (UTC, as stored)."""
    if dialect == "sqlite":
        return cast(func.julianday(expression) - 2440587.5, BigInteger)
    return cast(expression, Date) - literal_column("DATE '1970-01-01'")
