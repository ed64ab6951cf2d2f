"""Report tables for a programme's module questions: one generic table per question (issue 17).

Choice and yes/no questions: for each choice, how many chose it among those who answered, the
share with its 95 % Wilson interval.  Numeric questions (integer, rating, duration; not money,
whose currencies differ): the mean with its 95 % t interval.  Rows follow the report's table
columns (``indicator``, ``wave``, ``breakdown``, ``group``, ``n``, ``value``, ``unit``,
``ci_low``, ``ci_high``, ``kind``) so every renderer shows them without code changes, and
they go through the report's disclosure control with the other tables (a question answered by
fewer than 5 shows ``x``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from analytics.dataset import Dataset
from analytics.intervals import wilson
from bot.questionnaire.model import Question, Questionnaire

CODED = ("choice", "yes_no")
NUMERIC = ("integer", "rating", "duration")
# money is left out: a mean over amounts in several currencies means nothing (see indicators)
COLUMNS = [
    "indicator",
    "wave",
    "breakdown",
    "group",
    "n",
    "count",
    "value",
    "unit",
    "ci_low",
    "ci_high",
    "kind",
]


def module_questions(questionnaire: Questionnaire, programme: str) -> list[Question]:
    """The reportable questions of ``programme``'s module, in asking order."""
    return [
        q for q in questionnaire.questions if q.programme == programme and q.type in CODED + NUMERIC
    ]


def _choice_rows(question: Question, values: pd.Series, wave: str) -> list[dict]:
    answered = values.dropna().astype(str)
    n = len(answered)
    codes = question.choice_codes if question.type == "choice" else ("yes", "no")
    rows = []
    for code in codes:
        count = int((answered == code).sum())
        low, high = wilson(np.array([count]), np.array([n])) if n else (np.array([np.nan]),) * 2
        choice = question.choice(code)
        label = choice.label_in("en") if choice else code
        rows.append(
            {
                "indicator": f"{question.label_in('en')}: {label}",
                "wave": wave,
                "n": n,
                "count": count,
                "value": 100 * count / n if n else np.nan,
                "unit": "%",
                "ci_low": 100 * float(low[0]),
                "ci_high": 100 * float(high[0]),
                "kind": "share",
            }
        )
    return rows


def _mean_row(question: Question, values: pd.Series, wave: str) -> dict:
    numbers = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    n = len(numbers)
    mean = float(numbers.mean()) if n else np.nan
    half = np.nan
    if n > 1:
        half = float(student_t.ppf(0.975, n - 1) * numbers.std(ddof=1) / np.sqrt(n))
    return {
        "indicator": f"{question.label_in('en')} (mean)",
        "wave": wave,
        "n": n,
        "count": n,
        "value": mean,
        "unit": question.unit or "mean",
        "ci_low": mean - half,
        "ci_high": mean + half,
        "kind": "mean",
    }


def module_tables(dataset: Dataset, questionnaire: Questionnaire) -> dict[str, pd.DataFrame]:
    """``module_<code>`` → its table, for every module question of the dataset's programme."""
    tables = {}
    responses = dataset.responses
    for question in module_questions(questionnaire, dataset.programme):
        mask = responses["wave_kind"] == question.wave if len(responses) else []
        values = responses.loc[mask, question.code] if len(responses) else pd.Series(dtype=object)
        rows = (
            _choice_rows(question, values, question.wave)
            if question.type in CODED
            else [_mean_row(question, values, question.wave)]
        )
        table = pd.DataFrame(rows).assign(breakdown="all", group="all")
        tables[f"module_{question.code}"] = table[COLUMNS]
    return tables


def module_titles(questionnaire: Questionnaire, programme: str) -> dict[str, str]:
    """Section titles of the module tables."""
    return {
        f"module_{q.code}": f"Programme module: {q.label_in('en')}"
        for q in module_questions(questionnaire, programme)
    }
