"""Load one programme's survey data into tidy frames for the outcome report.

``people``: one row per trainee (not deleted) of the programme, with registry metadata,
baseline and exit answers (typed, by question code) and derived breakdown variables.
``responses``: one row per trainee × wave in which the trainee recorded at least one answer,
one column per question code of that wave (missing = not asked, skipped or not answered).

Performance (issue #6: 100k trainees, ~3.8M answers in ≤ 10 s, ≤ 2 GB): the database packs
each answer into one integer (trainee, wave, question, choice index, flags; see
:class:`_Layout`) and returns them concatenated in one text per trainee range, read in
parallel; numpy unpacks and scatters them into preallocated columns. No Python object is built
per answer. Only answers whose text matters are read row by row: money currencies (grouped by
currency), codes the questionnaire does not list and duplicated current answers (the newest
wins). The same SQL runs on SQLite and PostgreSQL (``group_concat`` / ``string_agg``).
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Date,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
)

from analytics.derive import add_person_variables, due_for_wave
from analytics.frames import read_frame
from bot.questionnaire.loader import default_questionnaire
from bot.questionnaire.model import NUMERIC_TYPES, Question, Questionnaire
from bot.questionnaire.waves import all_waves, wave_kind, wave_order
from bot.storage.db import engine_for
from bot.storage.models import Answer, Cohort, Outreach, Programme, Trainee
from bot.survey.windows import DEFAULT_GRACE_DAYS, DEFAULT_WINDOW_MONTHS, outside_window

CODED_TYPES = {"choice", "yes_no"}
Progress = Callable[[str], None]
READ_PARTS = 2  # parallel reads of the answer table (one per core)
RANGE_TRAINEES = 50_000  # trainee ids per read: ~30 MB of text, far below the 1 GB limit


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


def _programme_trainees(programme_id: int, cohort: str | None, *, deleted: bool = False):  # type: ignore[no-untyped-def]
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


def _fetch(database_url: str, query) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Rows of ``query`` as plain driver tuples (SQLAlchemy ``Row`` objects cost too much)."""
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
            return list(cursor.fetchall())
        finally:
            cursor.close()


def _choices(question: Question) -> tuple[str, ...]:
    """The codes a coded question's answers are expected to take."""
    if question.type not in CODED_TYPES:
        return ()
    if question.type == "yes_no" and not question.choices:
        return ("yes", "no")
    return question.choice_codes


@dataclass(frozen=True)
class _Layout:
    """How SQL packs one answer row into one integer, and how numpy unpacks it.

    From the high bits down: ``trainee_id``, ``wave`` (index in the sorted wave ids; the last
    value: a wave that appeared meanwhile), ``question`` (index in :attr:`questions`),
    ``choice`` (index of the answer's code among the question's choices; all ones: not a known
    code, the text is read separately) and two flags: answered, has a ``value_number``.
    Millions of answers then cross the driver as one text of integers instead of millions of
    tuples of strings, and numpy unpacks them with shifts and masks.
    """

    waves: tuple[str, ...]
    questions: tuple[Question, ...]

    @property
    def choice_bits(self) -> int:
        """Bits of the choice field: room for every choice code plus the "unknown" value."""
        return max([len(_choices(q)) for q in self.questions] + [1]).bit_length()

    @property
    def unknown_choice(self) -> int:
        """The choice value of an answer whose text is not one of the question's codes."""
        return (1 << self.choice_bits) - 1

    @property
    def question_bits(self) -> int:
        """Bits of the question field."""
        return max(len(self.questions) - 1, 1).bit_length()

    @property
    def wave_bits(self) -> int:
        """Bits of the wave field (room for one more wave than listed)."""
        return len(self.waves).bit_length()

    def packed(self):  # type: ignore[no-untyped-def]
        """The SQL expression of one answer row's packed integer."""
        per_question = {}
        for index, question in enumerate(self.questions):
            base = index << self.choice_bits
            choices = _choices(question)
            per_question[question.code] = (
                case(
                    {code: base + i for i, code in enumerate(choices)},
                    value=Answer.value_text,
                    else_=base + self.unknown_choice,
                )
                if choices
                else literal(base + self.unknown_choice)
            )
        wave = case(
            {wave: index for index, wave in enumerate(self.waves)},
            value=Answer.wave,
            else_=len(self.waves),
        )
        question = case(per_question, value=Answer.question_code, else_=0)
        flags = case((Answer.status == "answered", 2), else_=0) + case(
            (Answer.value_number.isnot(None), 1), else_=0
        )
        row = cast(Answer.trainee_id, BigInteger) * (1 << self.wave_bits) + wave
        return (row * (1 << (self.question_bits + self.choice_bits)) + question) * 4 + flags

    def unpack(self, packed: np.ndarray) -> dict[str, np.ndarray]:
        """Packed integers → key (trainee_id and wave: sorts like them), wave, question,
        choice, answered, has_number."""
        key = packed >> (2 + self.choice_bits + self.question_bits)
        return {
            "key": key,
            "wave": key & ((1 << self.wave_bits) - 1),
            "question": (packed >> (2 + self.choice_bits)) & ((1 << self.question_bits) - 1),
            "choice": (packed >> 2) & self.unknown_choice,
            "answered": (packed & 2) > 0,
            "has_number": (packed & 1) > 0,
        }

    def wave_of(self, packed: np.ndarray) -> np.ndarray:
        """The wave field of packed integers."""
        shift = 2 + self.choice_bits + self.question_bits
        return (packed >> shift) & ((1 << self.wave_bits) - 1)

    def trainee_and_wave(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unpacked keys → trainee ids and wave ids."""
        waves = np.array(self.waves, dtype=object)
        return keys >> self.wave_bits, waves[keys & ((1 << self.wave_bits) - 1)]


def _concatenated(dialect: str, expression):  # type: ignore[no-untyped-def]
    """SQL aggregate: the non-null values of ``expression`` joined by commas."""
    if dialect == "sqlite":  # the default separator: a bound one costs an allocation per row
        return func.group_concat(expression)
    return func.string_agg(cast(expression, Text), literal_column("','"))


def _number_text(dialect: str):  # type: ignore[no-untyped-def]
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


def _integers(text: str | None) -> np.ndarray:
    return np.fromstring(text or "", dtype=np.int64, sep=",")


def _waves_present(database_url: str, trainees) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    query = (
        select(Answer.wave)
        .where(Answer.is_current.is_(True), Answer.trainee_id.in_(trainees))
        .distinct()
    )
    return tuple(sorted(str(row[0]) for row in _fetch(database_url, query)))


def _read_packed(
    database_url: str,
    layout: _Layout,
    trainees,
    pool: Executor,  # type: ignore[no-untyped-def]
) -> tuple[np.ndarray, np.ndarray]:
    """Packed current answers to the layout's questions, and the numbers of those answered
    with a ``value_number`` (both aggregates see the rows in the same order).

    The trainees are split into ranges of ids (at least :data:`READ_PARTS`, at most
    :data:`RANGE_TRAINEES` ids each) read in parallel: the database does the work (the driver
    releases the GIL), one core per range.
    """
    dialect = engine_for(database_url).dialect.name
    columns = (
        _concatenated(dialect, layout.packed()),
        _concatenated(dialect, _number_text(dialect)),
    )
    bounds = select(func.min(Trainee.id), func.max(Trainee.id)).where(Trainee.id.in_(trainees))
    low, high = _fetch(database_url, bounds)[0]
    if low is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    ranges = max(READ_PARTS, -(-(high - low + 1) // RANGE_TRAINEES))
    step = (high - low) // ranges + 1
    parts = []
    for i in range(ranges):
        start, stop = low + i * step, low + (i + 1) * step
        query = select(*columns).where(
            Answer.is_current.is_(True),
            Answer.question_code.in_([q.code for q in layout.questions]),
            Answer.trainee_id >= start,
            Answer.trainee_id < stop,
            Answer.trainee_id.in_(trainees.where(Trainee.id >= start, Trainee.id < stop)),
        )
        parts.append(pool.submit(_fetch, database_url, query))
    packed, numbers = [], []
    for part in parts:
        packed_text, numbers_text = part.result()[0]
        packed.append(_integers(packed_text))
        numbers.append(np.fromstring(numbers_text or "", dtype=np.float64, sep=","))
    return np.concatenate(packed), np.concatenate(numbers)


def _read_currencies(
    database_url: str,
    layout: _Layout,
    trainees,  # type: ignore[no-untyped-def]
) -> list[tuple[str | None, str | None, np.ndarray]]:
    """(currency, pay period, packed answers) of the answered money questions, one item per
    currency and period typed (issue 25)."""
    dialect = engine_for(database_url).dialect.name
    money = [q.code for q in layout.questions if q.type == "money"]
    query = (
        select(Answer.value_text, Answer.value_period, _concatenated(dialect, layout.packed()))
        .where(
            Answer.is_current.is_(True),
            Answer.status == "answered",
            Answer.question_code.in_(money),
            Answer.trainee_id.in_(trainees),
        )
        .group_by(Answer.value_text, Answer.value_period)
    )
    return [
        (text, period, _integers(packed)) for text, period, packed in _fetch(database_url, query)
    ]


def _text_answers(
    database_url: str,
    codes: list[str],
    trainees,  # type: ignore[no-untyped-def]
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
    return _fetch(database_url, query)


def _rows_of(keys: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of ``key`` in the sorted ``keys``, and which keys were found there."""
    if not len(keys):
        return np.zeros(len(key), dtype=np.int64), np.zeros(len(key), dtype=bool)
    position = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
    return position, keys[position] == key


def _sorted_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys, sorted, and the row of each key (hashing: cheaper than sorting all)."""
    codes, uniques = pd.factorize(key)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[order] = np.arange(len(uniques))
    return uniques[order], rank[codes]


def read_responses(
    database_url: str,
    trainees,  # type: ignore[no-untyped-def]
    questionnaire: Questionnaire,
    progress: Progress | None = None,
    pool: Executor | None = None,
    waves: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One row per trainee × wave with a current answer (answered or skipped) to a numeric or
    coded question of ``trainees`` (a subquery of ids), one typed column per question code.

    Numeric questions → float64, coded ones → their code (object); missing (not asked, skipped,
    not answered) is ``NaN``. Money questions also get ``<code>_currency`` and ``<code>_period``
    (the pay period typed; the number is then the monthly equivalent). Columns of
    questions nobody answered come last (``NaN`` numeric, ``None`` otherwise), then
    ``wave_kind``. Rows are sorted by trainee_id and wave; columns answered by someone are
    sorted numeric, coded, then currencies, each by code.

    ``waves``: the wave ids expected; answers to others make a second pass (after listing the
    waves present, which costs a scan of the answers). Empty: list the waves first.
    """
    if pool is None:
        with ThreadPoolExecutor(max_workers=READ_PARTS + 1) as own_pool:
            return read_responses(database_url, trainees, questionnaire, progress, own_pool, waves)
    questions = tuple(q for q in questionnaire.questions if q.type in NUMERIC_TYPES | CODED_TYPES)
    layout = _Layout(tuple(sorted(set(waves))) or _waves_present(database_url, trainees), questions)
    if not layout.waves:
        return _responses_frame(layout, np.zeros(0, dtype=np.int64), {}, {})
    has_money = any(q.type == "money" for q in questions)
    currencies = (
        pool.submit(_read_currencies, database_url, layout, trainees) if has_money else None
    )
    packed, numbers = _read_packed(database_url, layout, trainees, pool)
    if waves and np.any(layout.wave_of(packed) == len(layout.waves)):
        layout = _Layout(_waves_present(database_url, trainees), questions)  # unexpected waves
        if currencies:
            currencies.result()
            currencies = pool.submit(_read_currencies, database_url, layout, trainees)
        packed, numbers = _read_packed(database_url, layout, trainees, pool)
    if progress:
        progress(f"read {len(packed):,} answers")
    parts = layout.unpack(packed)
    del packed
    number = np.full(len(parts["key"]), np.nan)
    with_number = parts["answered"] & parts["has_number"]
    if int(with_number.sum()) != len(numbers):
        raise RuntimeError("the database returned answers and numbers that do not match")
    number[with_number] = numbers
    keep = parts["wave"] < len(layout.waves)  # a wave that appeared meanwhile: next time
    if not keep.all():
        parts = {name: values[keep] for name, values in parts.items()}
        number = number[keep]
    keys, row = _sorted_rows(parts["key"])
    answered = parts["answered"]
    question, choice = parts["question"][answered], parts["choice"][answered]
    row, number = row[answered], number[answered]
    del parts
    values, patch = _scatter(layout, len(keys), row, question, choice, number)
    currency, period = _money_texts(layout, keys, values, currencies.result() if currencies else [])
    if len(patch):  # rare: codes outside the questionnaire's choices, duplicated answers
        codes = sorted({questions[c % len(questions)].code for c in patch})
        texts = _text_answers(database_url, codes, trainees)
        _apply_texts(texts, layout, keys, patch, values, currency, period)
    return _responses_frame(layout, keys, values, currency, period)


def _money_texts(
    layout: _Layout,
    keys: np.ndarray,
    values: dict[str, np.ndarray],
    grouped: list[tuple[str | None, str | None, np.ndarray]],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Money question code → its currency per row, and → its pay period per row, from the
    answers grouped by currency and period."""
    questions = layout.questions
    codes = [q.code for q in questions if q.type == "money" and q.code in values]
    currency = {code: np.full(len(keys), np.nan, dtype=object) for code in codes}
    period = {code: np.full(len(keys), np.nan, dtype=object) for code in codes}
    for text, paid_per, money_packed in grouped:
        if text is None and paid_per is None:
            continue
        money = layout.unpack(money_packed)
        position, found = _rows_of(keys, money["key"])
        for index in np.unique(money["question"][found]):
            code = questions[index].code
            if code in currency:
                rows = position[found & (money["question"] == index)]
                if text is not None:
                    currency[code][rows] = text
                if paid_per is not None:
                    period[code][rows] = paid_per
    return currency, period


def _scatter(
    layout: _Layout,
    n_rows: int,
    row: np.ndarray,
    question: np.ndarray,
    choice: np.ndarray,
    number: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Answered cells → one column per question answered by someone; and the cells
    (``row × Q + question``) whose value must be read as text: duplicated or unknown codes."""
    questions = layout.questions
    cell = row * len(questions) + question
    seen = np.zeros(n_rows * len(questions), dtype=bool)
    seen[cell] = True
    if int(seen.sum()) == len(cell):
        duplicated = np.zeros(len(cell), dtype=bool)
    else:  # several current answers to one question: the newest one counts
        duplicated = np.bincount(cell, minlength=n_rows * len(questions))[cell] > 1
    del seen
    coded = np.array([q.type in CODED_TYPES for q in questions])
    patch = np.unique(cell[duplicated | ((choice == layout.unknown_choice) & coded[question])])
    values: dict[str, np.ndarray] = {}
    order = np.argsort(question, kind="stable")
    bounds = np.searchsorted(question[order], np.arange(len(questions) + 1))
    for index, q in enumerate(questions):
        mine = order[bounds[index] : bounds[index + 1]]
        if not len(mine):
            continue
        if q.type in NUMERIC_TYPES:
            column = np.full(n_rows, np.nan)
            column[row[mine]] = number[mine]
        else:
            labels = np.array([*_choices(q), np.nan], dtype=object)
            codes = np.full(n_rows, len(labels) - 1, dtype=np.int64)
            codes[row[mine]] = np.minimum(choice[mine], len(labels) - 1)
            column = labels[codes]
        values[q.code] = column
    return values, patch


def _last_per_cell(cell: np.ndarray) -> np.ndarray:
    """Positions of the last occurrence of each distinct value of ``cell``."""
    _, first_from_end = np.unique(cell[::-1], return_index=True)
    return len(cell) - 1 - first_from_end


def _apply_texts(
    rows: list[tuple],
    layout: _Layout,
    keys: np.ndarray,
    patch: np.ndarray,
    values: dict[str, np.ndarray],
    currency: dict[str, np.ndarray],
    period: dict[str, np.ndarray],
) -> None:
    """Write the values (currencies, periods) of the ``patch`` cells from answers read as text,
    oldest first: the newest answer of a cell wins."""
    if not rows:
        return
    n_questions = len(layout.questions)
    wave_index = {wave: i for i, wave in enumerate(layout.waves)}
    question_index = {q.code: i for i, q in enumerate(layout.questions)}
    trainee_id, wave, code, number, text, paid_per = zip(*rows, strict=True)
    waves = np.array([wave_index.get(w, -1) for w in wave])
    key = (np.asarray(trainee_id, dtype=np.int64) << layout.wave_bits) + waves
    position, found = _rows_of(keys, key)
    question = np.array([question_index[c] for c in code])
    cell = np.where(found & (waves >= 0), position * n_questions + question, -1)
    last = _last_per_cell(cell)
    last = last[np.isin(cell[last], patch)]
    texts = np.array([np.nan if t is None else t for t in text], dtype=object)
    periods = np.array([np.nan if p is None else p for p in paid_per], dtype=object)
    numbers = np.array([np.nan if n is None else n for n in number], dtype=np.float64)
    for index, q in enumerate(layout.questions):
        mine = last[question[last] == index]
        if not len(mine):
            continue
        if q.code in currency:
            currency[q.code][position[mine]] = texts[mine]
            period[q.code][position[mine]] = periods[mine]
        source = numbers if q.type in NUMERIC_TYPES else texts
        values[q.code][position[mine]] = source[mine]


def _responses_frame(
    layout: _Layout,
    keys: np.ndarray,
    values: dict[str, np.ndarray],
    currency: dict,
    period: dict | None = None,
) -> pd.DataFrame:
    """The wide frame, columns in the documented order, built in one go (no block merging)."""
    if not len(keys):
        wide = pd.DataFrame(columns=["trainee_id", "wave"])
        for question in layout.questions:
            wide[question.code] = np.nan if question.type in NUMERIC_TYPES else None
            if question.type == "money":
                wide[f"{question.code}_currency"] = None
        for question in layout.questions:
            if question.type == "money":
                wide[f"{question.code}_period"] = None
        wide["wave_kind"] = pd.Series(dtype=object)
        return wide
    trainee_id, wave = layout.trainee_and_wave(keys)
    columns: dict[str, object] = {"trainee_id": trainee_id, "wave": wave}
    kinds = {q.code: q.type for q in layout.questions}
    columns.update({c: values[c] for c in sorted(values) if kinds[c] in NUMERIC_TYPES})
    columns.update({c: values[c] for c in sorted(values) if kinds[c] in CODED_TYPES})
    columns.update({f"{code}_currency": currency[code] for code in sorted(currency)})
    columns.update({f"{code}_period": (period or {})[code] for code in sorted(period or {})})
    for question in layout.questions:
        if question.code not in columns:
            numeric = question.type in NUMERIC_TYPES
            columns[question.code] = np.full(len(keys), np.nan if numeric else None)
        if question.type == "money" and f"{question.code}_currency" not in columns:
            columns[f"{question.code}_currency"] = np.full(len(keys), None)
    for question in layout.questions:
        if question.type == "money" and f"{question.code}_period" not in columns:
            columns[f"{question.code}_period"] = np.full(len(keys), None)
    kinds_of_waves = np.array([wave_kind(w) for w in layout.waves], dtype=object)
    columns["wave_kind"] = kinds_of_waves[keys & ((1 << layout.wave_bits) - 1)]
    return pd.DataFrame(columns)


DAY_BITS = 20  # days since 1970-01-01 of a response's first answer, packed under the trainee


def _epoch_day(dialect: str, expression):  # type: ignore[no-untyped-def]
    """SQL: whole days from 1970-01-01 to the timestamp ``expression`` (UTC, as stored)."""
    if dialect == "sqlite":
        return cast(func.julianday(expression) - 2440587.5, BigInteger)
    return cast(expression, Date) - literal_column("DATE '1970-01-01'")


def _response_days(database_url: str, trainees) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """trainee_id, wave, ``day`` of the first current answer and ``answers`` (how many), one
    row per trainee × wave started: what the fieldwork windows judge.

    The database groups the answers per trainee × wave and returns, per wave, one text of
    packed integers (trainee_id, day) and one of counts: a few rows instead of one tuple per
    response (see the module docstring).
    """
    dialect = engine_for(database_url).dialect.name
    first = (
        select(
            Answer.trainee_id.label("trainee_id"),
            Answer.wave.label("wave"),
            func.min(Answer.answered_at).label("first"),
            func.count().label("answers"),
        )
        .where(Answer.is_current.is_(True), Answer.trainee_id.in_(trainees))
        .group_by(Answer.trainee_id, Answer.wave)
        .subquery()
    )
    day = func.coalesce(_epoch_day(dialect, first.c.first), (1 << DAY_BITS) - 1)
    packed = cast(first.c.trainee_id, BigInteger) * (1 << DAY_BITS) + day
    query = select(
        first.c.wave, _concatenated(dialect, packed), _concatenated(dialect, first.c.answers)
    ).group_by(first.c.wave)
    parts = []
    for wave, packed_text, counts_text in _fetch(database_url, query):
        values = _integers(packed_text)
        days = (values & ((1 << DAY_BITS) - 1)).astype("datetime64[D]")
        days[values & ((1 << DAY_BITS) - 1) == (1 << DAY_BITS) - 1] = np.datetime64("NaT")
        parts.append(
            pd.DataFrame(
                {
                    "trainee_id": values >> DAY_BITS,
                    "wave": str(wave),
                    "answers": _integers(counts_text),
                    "day": days,
                }
            )
        )
    if not parts:
        return pd.DataFrame(
            {
                "trainee_id": pd.Series(dtype=np.int64),
                "wave": pd.Series(dtype=object),
                "answers": pd.Series(dtype=np.int64),
                "day": pd.Series(dtype="datetime64[s]"),
            }
        )
    return pd.concat(parts, ignore_index=True)


def split_outside_window(
    responses: pd.DataFrame,
    days: pd.DataFrame,
    trainees: pd.DataFrame,
    grace_days: int = DEFAULT_GRACE_DAYS,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``responses`` without the trainee × wave rows started outside their fieldwork window,
    and the count of those (responses, answers) per wave."""
    cohorts = trainees.set_index("trainee_id")[["cohort_start", "cohort_end"]]
    days = days[days["trainee_id"].isin(cohorts.index)]
    dates = cohorts.reindex(days["trainee_id"].to_numpy())
    late = outside_window(
        days["wave"],
        dates["cohort_start"],
        dates["cohort_end"],
        days["day"],
        grace_days,
        window_months,
    )
    outside = days[late]
    counts = outside.groupby("wave").agg(
        responses=("trainee_id", "size"), answers=("answers", "sum")
    )
    if not len(outside):
        return responses, counts
    pairs = pd.MultiIndex.from_frame(outside[["trainee_id", "wave"]])
    mine = pd.MultiIndex.from_arrays([responses["trainee_id"], responses["wave"]])
    return responses[~mine.isin(pairs)], counts


def _data_date(database_url: str, programme_id: int) -> date | None:
    """The date of the newest answer (any, even superseded) of the programme's trainees."""
    query = select(func.max(Answer.answered_at)).where(
        Answer.trainee_id.in_(_programme_trainees(programme_id, None, deleted=True))
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
    with ThreadPoolExecutor(max_workers=READ_PARTS + 2) as pool:  # queries run in parallel
        trainees_read = pool.submit(_trainees, database_url, programme_id, cohort)
        sent_read = pool.submit(_sent_waves, database_url, programme_id)
        data_date = pool.submit(_data_date, database_url, programme_id)
        days_read = pool.submit(
            _response_days, database_url, _programme_trainees(programme_id, cohort)
        )
        responses = read_responses(
            database_url,
            _programme_trainees(programme_id, cohort),
            questionnaire,
            progress,
            pool,
            waves=tuple(all_waves(followup_months)),
        )
        trainees, sent = trainees_read.result(), sent_read.result()
    known = responses["trainee_id"].isin(trainees["trainee_id"])
    if not known.all():  # trainees added or deleted while reading
        responses = responses[known]
    responses, outside = split_outside_window(
        responses, days_read.result(), trainees, grace_days, window_months
    )
    waves = set(all_waves(followup_months))
    waves |= set(responses["wave"].unique())
    ordered = sorted(waves, key=wave_order)
    people = add_person_variables(trainees, responses, as_of)
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
        data_date=data_date.result(),
        people=people,
        responses=responses.reset_index(drop=True),
        waves=ordered,
        due=due,
        outside_window=outside,
    )
