"""Packed answers of one trainee range → cells: the responses started (day and size) and
the answered cells of layout questions. Ranges are unpacked as the database returns them
(while it still reads the others) and joined at the end (:mod:`analytics.answers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from analytics.packed import Layout, sorted_rows


@dataclass
class Cells:
    """What one trainee range (or all of them, :meth:`join`) holds.

    ``started``: sorted (trainee, wave) keys with any current answer, with ``answers`` (how
    many) and ``first_day`` (days since 1970 of the first one). ``keys``: the sorted keys with
    an answer to a layout question; for each answered answer to one: ``row`` (among ``keys``),
    ``question``, ``choice`` and ``number`` (NaN when none).
    """

    started: np.ndarray
    answers: np.ndarray
    first_day: np.ndarray
    keys: np.ndarray
    row: np.ndarray
    question: np.ndarray
    choice: np.ndarray
    number: np.ndarray

    @classmethod
    def join(cls, parts: Sequence[Cells]) -> Cells:
        """The cells of disjoint trainee ranges, given in ascending order, as one."""
        offsets = np.cumsum([0] + [len(part.keys) for part in parts[:-1]])

        def joined(name: str) -> np.ndarray:
            return np.concatenate([getattr(part, name) for part in parts])

        return cls(
            started=joined("started"),
            answers=joined("answers"),
            first_day=joined("first_day"),
            keys=joined("keys"),
            row=np.concatenate(
                [part.row + offset for part, offset in zip(parts, offsets, strict=True)]
            ),
            question=joined("question"),
            choice=joined("choice"),
            number=joined("number"),
        )

    def answered(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``row``, ``question``, ``choice`` and ``number`` of the answered cells."""
        return self.row, self.question, self.choice, self.number

    def days_frame(self, layout: Layout) -> pd.DataFrame:
        """trainee_id, wave, ``answers`` and ``day`` of the first answer per response started."""
        trainee_id, wave = layout.trainee_and_wave(self.started)
        return pd.DataFrame(
            {
                "trainee_id": trainee_id,
                "wave": wave,
                "answers": self.answers,
                "day": self.first_day.astype("datetime64[D]"),
            }
        )


def unpack_cells(
    layout: Layout, packed: np.ndarray, numbers: np.ndarray, days: np.ndarray
) -> Cells:
    """The cells of one range's packed answers, their numbers (one per answered answer with a
    number) and days (one per answer). Answers to a wave the layout does not list are left
    out (the caller reads again with the wave listed)."""
    parts = layout.unpack(packed)
    number = np.full(len(parts["key"]), np.nan)
    with_number = parts["answered"] & parts["has_number"]
    if int(with_number.sum()) != len(numbers) or len(days) != len(packed):
        raise RuntimeError("the database returned answers and numbers that do not match")
    number[with_number] = numbers
    keep = parts["wave"] < len(layout.waves)
    if not keep.all():
        parts = {name: values[keep] for name, values in parts.items()}
        number, days = number[keep], days[keep]
    started, started_row, answers, first_day = _responses_started(parts["key"], days)
    in_layout = parts["question"] != layout.other_question
    present = np.zeros(len(started), dtype=bool)
    present[started_row[in_layout]] = True
    row = (np.cumsum(present) - 1)[started_row[in_layout]]
    answered = parts["answered"][in_layout]
    cell = in_layout & parts["answered"]  # the same answers, among all
    # question and choice indexes in 16 bits when they fit: a quarter of the memory to join
    small = np.int16 if max(layout.question_bits, layout.choice_bits) < 16 else np.int64
    return Cells(
        started=started,
        answers=answers,
        first_day=first_day,
        keys=started[present],
        row=row[answered],
        question=parts["question"][cell].astype(small),
        choice=parts["choice"][cell].astype(small),
        number=number[cell],
    )


def _responses_started(
    key: np.ndarray, days: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The sorted distinct ``key`` values (responses started), the row of each answer among
    them, and per response its number of answers and first day.

    The database returns a range's answers in index order (trainee, then wave) on SQLite:
    sorted keys are then split where they change (no hashing, no ``ufunc.at``); any other
    order takes the general path, with the same result.
    """
    days = days.astype(np.int64, copy=False)
    if len(key) and bool(np.all(key[1:] >= key[:-1])):
        change = np.empty(len(key), dtype=bool)
        change[0] = True
        np.not_equal(key[1:], key[:-1], out=change[1:])
        starts = np.flatnonzero(change)
        answers = np.diff(np.append(starts, len(key)))
        return key[starts], np.cumsum(change) - 1, answers, np.minimum.reduceat(days, starts)
    started, started_row = sorted_rows(key)
    first_day = np.full(len(started), np.iinfo(np.int64).max)
    np.minimum.at(first_day, started_row, days)
    answers = np.bincount(started_row, minlength=len(started)).astype(np.int64)
    return started, started_row, answers, first_day
