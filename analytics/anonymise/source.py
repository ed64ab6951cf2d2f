"""Read one programme's trainees and current answers into a wide frame (one row per trainee).

Alongside every value a *reason* code says why a cell is empty, so the codebook and the Stata
file can tell skipped questions from questions never asked (and, later, suppressed cells).
Only coded survey data is read: never contacts, invitations or raw message text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from analytics.answer_sql import current_answers
from analytics.frames import read_frame, started_outside_window, trainees_frame
from bot.questionnaire.model import NUMERIC_TYPES, Question, Questionnaire
from bot.questionnaire.waves import BASELINE, followup_months_of, wave_kind
from bot.storage.models import Answer, Programme, Trainee
from bot.survey.windows import DEFAULT_GRACE_DAYS, DEFAULT_WINDOW_MONTHS

PRESENT, SKIPPED, NOT_ASKED, SUPPRESSED = 0, 1, 2, 3
REASONS = {SKIPPED: "skipped", NOT_ASKED: "not_asked", SUPPRESSED: "suppressed"}


def wave_suffix(wave: str) -> str:
    """Suffix of a wave's columns in the wide layout: ``followup_6`` → ``_f6``; else empty."""
    months = followup_months_of(wave)
    return f"_f{months}" if months is not None else ""


def column_name(code: str, wave: str) -> str:
    """The wide-layout column of question ``code`` in ``wave`` (≤ 32 characters for Stata)."""
    return f"{code}{wave_suffix(wave)}"


@dataclass
class SourceData:
    """Trainee metadata plus wide answer values and their reason codes."""

    trainees: pd.DataFrame
    values: pd.DataFrame
    reasons: pd.DataFrame
    columns: dict[str, tuple[Question, str]]
    waves: tuple[str, ...]
    responded: pd.DataFrame
    profile: pd.DataFrame
    outside_window: dict[str, int]  # wave → responses left out (outside the fieldwork window)


def _answers(database_url: str, programme: str, waves: Sequence[str]) -> pd.DataFrame:
    query = current_answers(
        Answer.trainee_id,
        Answer.wave,
        Answer.question_code,
        Answer.status,
        Answer.value_number,
        Answer.value_text,
        Answer.answered_at,
        Answer.value_period,
    ).where(
        Programme.code == programme,
        Trainee.status != "deleted",
        Answer.wave.in_(list(waves)),
    )
    return read_frame(database_url, query)


def _grid(answers: pd.DataFrame, index: pd.Index, names: list[str]) -> tuple[np.ndarray, ...]:
    """Numbers, texts, reasons and pay periods as (trainee × column) arrays, filled by
    position (fast)."""
    rows = index.get_indexer(answers["trainee_id"])
    cols = pd.Index(names).get_indexer(answers["column"])
    shape = (len(index), len(names))
    numbers = np.full(shape, np.nan)
    texts = np.full(shape, None, dtype=object)
    periods = np.full(shape, None, dtype=object)
    reasons = np.full(shape, NOT_ASKED, dtype=np.int8)
    ok = (rows >= 0) & (cols >= 0)
    rows, cols = rows[ok], cols[ok]
    numbers[rows, cols] = pd.to_numeric(answers["value_number"], errors="coerce").to_numpy(float)[
        ok
    ]
    texts[rows, cols] = answers["value_text"].to_numpy(object)[ok]
    periods[rows, cols] = answers["value_period"].to_numpy(object)[ok]
    reasons[rows, cols] = answers["reason"].to_numpy(np.int8)[ok]
    return numbers, texts, reasons, periods


def _drop_outside_window(
    answers: pd.DataFrame, trainees: pd.DataFrame, grace_days: int, window_months: int
) -> tuple[pd.DataFrame, dict[str, int]]:
    """``answers`` without the trainee × wave responses started (first answer) outside their
    wave's fieldwork window, as the outcome report does; and how many per wave."""
    first = answers.groupby(["trainee_id", "wave"], sort=False)["answered_at"].min()
    first = first.reset_index()
    late = started_outside_window(first, trainees, "answered_at", grace_days, window_months)
    if not late.any():
        return answers, {}
    pairs = pd.MultiIndex.from_frame(first.loc[late, ["trainee_id", "wave"]])
    keys = pd.MultiIndex.from_frame(answers[["trainee_id", "wave"]])
    counts = first.loc[late, "wave"].value_counts()
    return answers[~keys.isin(pairs)], {str(w): int(n) for w, n in counts.sort_index().items()}


def load_source(
    database_url: str,
    programme: str,
    waves: Sequence[str],
    questionnaire: Questionnaire,
    grace_days: int = DEFAULT_GRACE_DAYS,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> SourceData:
    """Trainees of ``programme`` (not deleted) and their current answers in ``waves``.

    Responses started outside their wave's fieldwork window (:mod:`bot.survey.windows`) are
    left out, as in the outcome report: not released, the trainee counts as not having
    responded to that wave; ``outside_window`` counts them.
    """
    trainees = trainees_frame(database_url, programme).set_index("trainee_id").sort_index()
    columns: dict[str, tuple[Question, str]] = {}
    for wave in waves:
        for question in questionnaire.for_wave(wave_kind(wave)):
            columns[column_name(question.code, wave)] = (question, wave)
    answers = _answers(database_url, programme, sorted({*waves, BASELINE}))
    answers, outside = _drop_outside_window(answers, trainees, grace_days, window_months)
    outside = {wave: n for wave, n in outside.items() if wave in waves}
    profile = _profile(trainees, answers)
    answers = answers[answers["wave"].isin(list(waves))]
    codes = answers["question_code"].astype("category")
    waves_cat = answers["wave"].astype("category")
    kinds = {q.code: q.wave for q in questionnaire.questions}
    answers = answers.assign(
        column=codes.astype(str) + waves_cat.map(wave_suffix).astype(str),
        reason=np.where(answers["status"] == "answered", PRESENT, SKIPPED).astype("int8"),
    )
    answers = answers[
        codes.map(kinds).astype(object).to_numpy()
        == waves_cat.map(wave_kind).astype(object).to_numpy()
    ]
    index = trainees.index
    names = list(columns)
    numbers, texts, reason_grid, periods = _grid(answers, index, names)
    data = {}
    for position, (name, (question, _wave)) in enumerate(columns.items()):
        if question.type in NUMERIC_TYPES:
            data[name] = pd.Series(numbers[:, position], index=index)
        else:
            data[name] = pd.Series(texts[:, position], index=index, dtype=object)
        if question.type == "money":
            data[f"{name}_currency"] = pd.Series(texts[:, position], index=index, dtype=object)
            data[f"{name}_period"] = pd.Series(periods[:, position], index=index, dtype=object)
    values = pd.DataFrame(data, index=index)
    reason = pd.DataFrame(reason_grid, index=index, columns=names)
    responded = pd.DataFrame(
        {
            wave: index.isin(answers.loc[answers["wave"] == wave, "trainee_id"].unique())
            for wave in waves
        },
        index=index,
    )
    return SourceData(trainees, values, reason, columns, tuple(waves), responded, profile, outside)


def _profile(trainees: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Sex and birth year: the baseline answer, else what was registered for the trainee."""
    baseline = answers[(answers["wave"] == BASELINE) & (answers["status"] == "answered")]
    baseline = baseline.drop_duplicates(["trainee_id", "question_code"], keep="last")
    sex = baseline[baseline["question_code"] == "bl_sex"].set_index("trainee_id")["value_text"]
    born = baseline[baseline["question_code"] == "bl_birth_year"].set_index("trainee_id")
    profile = pd.DataFrame(index=trainees.index)
    profile["sex"] = sex.reindex(trainees.index).fillna(trainees["registered_sex"])
    profile["birth_year"] = pd.to_numeric(
        born["value_number"].reindex(trainees.index), errors="coerce"
    ).fillna(pd.to_numeric(trainees["registered_birth_year"], errors="coerce"))
    return profile
