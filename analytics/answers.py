"""The answer reader: current answers of a set of trainees → one typed row per trainee × wave.

Used by the outcome report (:mod:`analytics.dataset`). Performance (issue #6: 100k trainees,
~3.8M answers in ≤ 10 s, ≤ 2 GB): the database packs each answer into one integer
(:mod:`analytics.packed`) and returns them concatenated in one text per trainee range, read in
parallel (:mod:`analytics.answer_sql`); numpy unpacks and scatters them into preallocated
columns. Only answers whose text matters are read row by row: money currencies (grouped by
currency), codes the questionnaire does not list and duplicated current answers (the newest
wins).
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from typing import Any, Callable, NamedTuple

import numpy as np
import pandas as pd

from analytics import answer_sql
from analytics.cells import Cells, unpack_cells
from analytics.packed import (
    CODED_TYPES,
    NUMERIC_TYPES,
    Column,
    Layout,
    last_per_cell,
    rows_of,
    scatter,
)
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.waves import wave_kind

Progress = Callable[[str], None]


class Responses(NamedTuple):
    """What :func:`read_responses` reads."""

    frame: pd.DataFrame  # one row per trainee × wave
    days: pd.DataFrame  # the day and size of every response started
    # the newest ``answered_at`` of the trainees' answers, superseded ones too, as the driver
    # returns it (None without answers): the data date
    newest: object


def read_responses(
    database_url: str,
    trainees,
    questionnaire: Questionnaire,
    progress: Progress | None = None,
    pool: Executor | None = None,
    waves: tuple[str, ...] = (),
) -> Responses:
    """The responses of ``trainees`` (a subquery of ids), the day each one started, and the
    newest answer (any, superseded too).

    Responses: one row per trainee × wave with a current answer (answered or skipped) to a
    numeric or coded question, one typed column per question code. Numeric questions →
    float64, coded ones → categorical over the question's choice codes (and any code found
    that it does not list); missing (not asked, skipped, not answered) is ``NaN``. Money
    questions also get ``<code>_currency`` and ``<code>_period`` (the pay period typed; the
    number is then the monthly equivalent). Columns of questions nobody answered come last
    (``NaN`` numeric, ``None`` otherwise), then ``wave_kind``. Rows are sorted by trainee_id
    and wave; columns answered by someone: numeric, coded, then currencies, each by code.

    Days: ``trainee_id``, ``wave``, ``day`` of the first current answer and ``answers`` (how
    many, to any question), one row per trainee × wave started: what the fieldwork windows
    judge.

    ``waves``: the wave ids expected (others make a second pass); empty: list them first.
    """
    if pool is None:
        with ThreadPoolExecutor(max_workers=answer_sql.READ_PARTS + 1) as own_pool:
            return read_responses(database_url, trainees, questionnaire, progress, own_pool, waves)
    questions = tuple(q for q in questionnaire.questions if q.type in NUMERIC_TYPES | CODED_TYPES)
    layout = Layout(
        tuple(sorted(set(waves))) or answer_sql.waves_present(database_url, trainees), questions
    )
    if not layout.waves:
        empty = np.zeros(0, dtype=np.int64)
        return Responses(
            _responses_frame(layout, empty, {}, {}),
            unpack_cells(layout, empty, np.zeros(0), empty).days_frame(layout),
            answer_sql.newest_answer(database_url, trainees),
        )
    currencies: list[Future] = []

    def read_currencies() -> None:  # needed after the ranges: read on a core they leave
        if any(q.type == "money" for q in questions):
            currencies.append(
                pool.submit(answer_sql.read_currencies, database_url, layout, trainees)
            )

    cells, read, unexpected, newest = _read_cells(
        database_url, layout, trainees, pool, read_currencies
    )
    if waves and unexpected:  # answers to waves not listed: read again, listing them
        layout = Layout(answer_sql.waves_present(database_url, trainees), questions)
        cells, read, unexpected, newest = _read_cells(
            database_url, layout, trainees, pool, read_currencies
        )
    if progress:
        progress(f"read {read:,} answers")
    frame = _wide_frame(database_url, layout, trainees, cells, currencies)
    return Responses(frame, cells.days_frame(layout), newest)


def _wide_frame(
    database_url: str, layout: Layout, trainees, cells: Cells, currencies: list[Future]
) -> pd.DataFrame:
    """The typed wide frame of ``cells``: values scattered into columns, currencies and pay
    periods from the last of the ``currencies`` reads (waited for after the scatter), and the
    rare cells whose value is read as text."""
    keys = cells.keys
    values, patch = scatter(layout, len(keys), *cells.answered())
    grouped = currencies[-1].result() if currencies else []
    currency, period = _money_texts(layout, keys, values, grouped)
    if len(patch):  # rare: codes outside the questionnaire's choices, duplicated answers
        questions = layout.questions
        codes = sorted({questions[c % len(questions)].code for c in patch})
        texts = answer_sql.text_answers(database_url, codes, trainees)
        _apply_texts(texts, layout, keys, patch, values, currency, period)
    return _responses_frame(layout, keys, values, currency, period)


def _read_cells(
    database_url: str, layout: Layout, trainees, pool: Executor, then: Callable[[], None]
) -> tuple[Cells, int, bool, object]:
    """The cells of every trainee range, the number of answers read, whether some were
    to a wave the layout does not list, and the newest answer (superseded ones too).
    :data:`answer_sql.READ_PARTS` ranges are read at a time; each one is unpacked here while
    the database reads the next ones. ``then`` is called once the last range is under way
    and another one is done: the reads it starts take that range's core."""
    pending = list(enumerate(answer_sql.trainee_ranges(database_url, trainees)))[::-1]
    called = not pending
    if called:
        then()
    running: dict[Future, int] = {}
    parts: dict[int, Cells] = {}
    read, unexpected = 0, False
    newest: list[Any] = []  # per range: str on SQLite, datetime on PostgreSQL
    while pending or running:
        while pending and len(running) < answer_sql.READ_PARTS:
            index, (start, stop) = pending.pop()
            future = pool.submit(answer_sql.read_range, database_url, layout, trainees, start, stop)
            running[future] = index
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        if not pending and not called:
            then()
            called = True
        for future in done:
            index = running.pop(future)
            packed, numbers, days, range_newest = future.result()
            if range_newest is not None:
                newest.append(range_newest)
            read += len(packed)
            unexpected = unexpected or bool(np.any(layout.wave_of(packed) == len(layout.waves)))
            parts[index] = unpack_cells(layout, packed, numbers, days)
    if not parts:
        return unpack_cells(layout, *(np.zeros(0, dtype=np.int64),) * 3), 0, False, None
    joined = Cells.join([parts[index] for index in sorted(parts)])
    return joined, read, unexpected, max(newest, default=None)


def _money_texts(
    layout: Layout,
    keys: np.ndarray,
    values: dict[str, Column],
    grouped: list[tuple[str | None, str | None, np.ndarray]],
) -> tuple[dict[str, Column], dict[str, Column]]:
    """Money question code → its currency per row, and → its pay period per row (both
    categorical), from the answers grouped by currency and period."""
    questions = layout.questions
    money_codes = [q.code for q in questions if q.type == "money" and q.code in values]
    currencies = sorted({text for text, _, _ in grouped if text is not None})
    periods = sorted({paid_per for _, paid_per, _ in grouped if paid_per is not None})
    currency = {code: np.full(len(keys), -1, dtype=np.int16) for code in money_codes}
    period = {code: np.full(len(keys), -1, dtype=np.int16) for code in money_codes}
    for text, paid_per, money_packed in grouped:
        if text is None and paid_per is None:
            continue
        money = layout.unpack(money_packed)
        position, found = rows_of(keys, money["key"])
        for index in np.unique(money["question"][found]):
            code = questions[index].code
            if code in currency:
                rows = position[found & (money["question"] == index)]
                if text is not None:
                    currency[code][rows] = currencies.index(text)
                if paid_per is not None:
                    period[code][rows] = periods.index(paid_per)
    return (
        {code: pd.Categorical.from_codes(c, categories=currencies) for code, c in currency.items()},
        {code: pd.Categorical.from_codes(c, categories=periods) for code, c in period.items()},
    )


def _apply_texts(
    rows: list[tuple],
    layout: Layout,
    keys: np.ndarray,
    patch: np.ndarray,
    values: dict[str, Column],
    currency: dict[str, Column],
    period: dict[str, Column],
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
    position, found = rows_of(keys, key)
    question = np.array([question_index[c] for c in code])
    cell = np.where(found & (waves >= 0), position * n_questions + question, -1)
    last = last_per_cell(cell)
    last = last[np.isin(cell[last], patch)]
    texts = np.array([np.nan if t is None else t for t in text], dtype=object)
    periods = np.array([np.nan if p is None else p for p in paid_per], dtype=object)
    numbers = np.array([np.nan if n is None else n for n in number], dtype=np.float64)
    for index, q in enumerate(layout.questions):
        mine = last[question[last] == index]
        if not len(mine):
            continue
        if q.code in currency:
            currency[q.code] = _with_codes(currency[q.code], texts[mine])
            currency[q.code][position[mine]] = texts[mine]
            period[q.code] = _with_codes(period[q.code], periods[mine])
            period[q.code][position[mine]] = periods[mine]
        if q.type in NUMERIC_TYPES:
            values[q.code][position[mine]] = numbers[mine]
        else:
            values[q.code] = _with_codes(values[q.code], texts[mine])
            values[q.code][position[mine]] = texts[mine]


def _with_codes(column: Column, texts: np.ndarray) -> Column:
    """A coded column that can hold ``texts`` too (codes the questionnaire does not list are
    added to its categories, sorted)."""
    if not isinstance(column, pd.Categorical):
        return column
    known = set(column.categories)
    new = sorted({text for text in texts if isinstance(text, str) and text not in known})
    return column.add_categories(new) if new else column


def _responses_frame(
    layout: Layout,
    keys: np.ndarray,
    values: dict[str, Column],
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
    return pd.DataFrame(columns, copy=False)  # no copy of every column into 2-D blocks
