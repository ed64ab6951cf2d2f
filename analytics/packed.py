"""The packed codec: one answer row as one integer (SQL packs, numpy unpacks and scatters).

From the high bits down: ``trainee_id``, ``wave``, ``question``, ``choice`` and two flags (see
:class:`Layout`). Millions of answers then cross the driver as one text of integers instead of
millions of tuples, and numpy turns them into columns without a Python object per answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, TypeAlias

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, case, cast, literal

from bot.questionnaire.model import NUMERIC_TYPES, Question
from bot.storage.models import Answer

CODED_TYPES = {"choice", "yes_no"}
Column: TypeAlias = np.ndarray | pd.Categorical  # a numeric or a coded question's answers


def choices_of(question: Question) -> tuple[str, ...]:
    """The codes a coded question's answers are expected to take."""
    if question.type not in CODED_TYPES:
        return ()
    if question.type == "yes_no" and not question.choices:
        return ("yes", "no")
    return question.choice_codes


@dataclass(frozen=True)
class Layout:
    """How SQL packs one answer row into one integer, and how numpy unpacks it.

    From the high bits down: ``trainee_id``, ``wave`` (index in the sorted wave ids; the last
    value: a wave that appeared meanwhile), ``question`` (index in :attr:`questions`;
    :attr:`other_question` for any other question), ``choice`` (index of the answer's code
    among the question's choices; all ones: not a known code, the text is read separately)
    and two flags: answered, has a ``value_number``.
    Millions of answers then cross the driver as one text of integers instead of millions of
    tuples of strings, and numpy unpacks them with shifts and masks.
    """

    waves: tuple[str, ...]
    questions: tuple[Question, ...]

    @cached_property
    def choice_bits(self) -> int:
        """Bits of the choice field: room for every choice code plus the "unknown" value."""
        return max([len(choices_of(q)) for q in self.questions] + [1]).bit_length()

    @cached_property
    def unknown_choice(self) -> int:
        """The choice value of an answer whose text is not one of the question's codes."""
        return (1 << self.choice_bits) - 1

    @cached_property
    def question_bits(self) -> int:
        """Bits of the question field (room for :attr:`other_question` too)."""
        return max(self.other_question, 1).bit_length()

    @property
    def other_question(self) -> int:
        """The question value of an answer to a question outside the layout (a text
        question, say): counted for its response, not read."""
        return len(self.questions)

    @cached_property
    def wave_bits(self) -> int:
        """Bits of the wave field (room for one more wave than listed)."""
        return len(self.waves).bit_length()

    def packed(self, dialect: str = ""):
        """The SQL expression of one answer row's packed integer.

        On SQLite and PostgreSQL (``dialect``) the question code is found by a binary search
        on the sorted codes (a few comparisons instead of one per question, for millions of
        rows; PostgreSQL compares them under the "C" collation, byte by byte).
        """
        per_question = {}
        for index, question in enumerate(self.questions):
            base = index << self.choice_bits
            choices = choices_of(question)
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
        other = (self.other_question << self.choice_bits) + self.unknown_choice
        question = (
            code_search(per_question, BYTEWISE_CODE[dialect](), other)
            if dialect in BYTEWISE_CODE
            else case(per_question, value=Answer.question_code, else_=other)
        )
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


SEARCH_LEAF = 6  # codes compared one by one at the end of the binary search
# The question code under a collation where ``<`` compares like Python's ``sorted`` (UTF-8
# bytes sort like code points): SQLite's default BINARY, PostgreSQL's "C" (a database's own
# collation may sort otherwise). Per SQL dialect; others compare code by code.
BYTEWISE_CODE: dict[str, Callable[[], Any]] = {
    "sqlite": lambda: Answer.question_code,
    "postgresql": lambda: Answer.question_code.collate("C"),
}


def code_search(per_code: dict, code: Any, other: int):
    """SQL: ``per_code[question_code]`` (``other`` for another code) by a binary search on the
    sorted codes; ``code``: the question code column under a bytewise collation
    (:data:`BYTEWISE_CODE`)."""
    codes = sorted(per_code)
    if len(codes) <= SEARCH_LEAF:
        return case({c: per_code[c] for c in codes}, value=Answer.question_code, else_=other)
    middle = codes[len(codes) // 2]
    return case(
        (code < middle, code_search({c: per_code[c] for c in codes if c < middle}, code, other)),
        else_=code_search({c: per_code[c] for c in codes if c >= middle}, code, other),
    )


def rows_of(keys: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of ``key`` in the sorted ``keys``, and which keys were found there."""
    if not len(keys):
        return np.zeros(len(key), dtype=np.int64), np.zeros(len(key), dtype=bool)
    position = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
    return position, keys[position] == key


def sorted_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys, sorted, and the row of each key (hashing: cheaper than sorting all)."""
    codes, uniques = pd.factorize(key)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[order] = np.arange(len(uniques))
    return uniques[order], rank[codes]


def scatter(
    layout: Layout,
    n_rows: int,
    row: np.ndarray,
    question: np.ndarray,
    choice: np.ndarray,
    number: np.ndarray,
) -> tuple[dict[str, Column], np.ndarray]:
    """Answered cells → one column per question answered by someone (numeric: float, coded:
    categorical over the question's choice codes); and the cells (``row × Q + question``)
    whose value must be read as text: duplicated or unknown codes."""
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
    values: dict[str, Column] = {}
    # a stable sort of small integers is a radix sort: questions fit in 16 bits
    small = question.astype(np.int16, copy=False) if len(questions) < 2**15 else question
    order = np.argsort(small, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(question, minlength=len(questions)))))
    for index, q in enumerate(questions):
        mine = order[bounds[index] : bounds[index + 1]]
        if not len(mine):
            continue
        if q.type in NUMERIC_TYPES:
            column = np.full(n_rows, np.nan)
            column[row[mine]] = number[mine]
        else:  # a categorical: codes as read, no Python string per answer
            choices = choices_of(q)
            codes = np.full(n_rows, -1, dtype=np.int16)
            listed = choice[mine] < len(choices)  # the others are read as text (``patch``)
            codes[row[mine][listed]] = choice[mine][listed]
            column = pd.Categorical.from_codes(codes, categories=list(choices))
        values[q.code] = column
    return values, patch


def last_per_cell(cell: np.ndarray) -> np.ndarray:
    """Positions of the last occurrence of each distinct value of ``cell``."""
    _, first_from_end = np.unique(cell[::-1], return_index=True)
    return len(cell) - 1 - first_from_end
