"""Non-response weights: inverse response rate within cells known for every trainee due.

For one wave, every trainee due belongs to a weighting cell built from variables known for
non-respondents too (default: cohort × completion status in the cohort file × sex × age band,
see :data:`DEFAULT_CELLS`; the import is preferred to the trainee's own answers). A respondent's
weight is ``due in cell / respondents in cell``.

Small cells are collapsed: a cell with fewer than ``min_respondents`` respondents (an empty
cell too) is merged with its siblings — the cells that share every variable but the last one
— and so on up to the whole wave (the order of the variables is the collapsing order), so
every trainee due is represented by some respondents. Extreme weights are then trimmed at
``trim × mean weight``, the excess spread over the other respondents (total kept).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# user-facing name → column of the people frame (import first, answers as fallback)
CELL_COLUMNS = {
    "cohort": "cohort",
    "completion": "w_completion",
    "sex": "w_sex",
    "age_band": "w_age_band",
    "region": "region",
}
DEFAULT_CELLS: tuple[str, ...] = ("cohort", "completion", "sex", "age_band")
MIN_RESPONDENTS = 2
TRIM = 3.5


def parse_cells(text: str) -> tuple[str, ...]:
    """``"cohort,sex"`` → ``("cohort", "sex")``; ValueError naming the unknown variable."""
    cells = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [c for c in cells if c not in CELL_COLUMNS]
    if unknown:
        raise ValueError(
            f"unknown weighting variable {unknown[0]!r}; use some of {', '.join(CELL_COLUMNS)}"
        )
    return cells


def _unknown_when_missing(codes: np.ndarray, uniques) -> tuple[np.ndarray, list]:
    """Factorized codes where a missing value (code -1) counts as the value ``unknown``."""
    values = list(uniques)
    missing = codes < 0
    if missing.any():
        if "unknown" not in values:
            values.append("unknown")
        codes = np.where(missing, values.index("unknown"), codes)
    return codes, values


def _final_cells(frame: pd.DataFrame, responded: np.ndarray, min_respondents: int) -> np.ndarray:
    """Cell id of every row after collapsing: a cell with fewer than ``min_respondents``
    respondents merges with all its siblings (its parent: the last variable dropped), level by
    level; the result is a partition in which every cell has a respondent."""
    columns = list(frame.columns)
    levels = len(columns)
    prefix = [np.zeros(len(frame), dtype=np.int64)]
    for column in columns:  # codes of each prefix of the variables, by combining codes
        codes, uniques = _unknown_when_missing(*pd.factorize(frame[column]))
        combined = prefix[-1] * (len(uniques) + 1) + codes
        prefix.append(np.unique(combined, return_inverse=True)[1].reshape(-1))
    level_of = np.full(len(frame), levels, dtype=np.int64)
    answered = responded.astype(float)
    for level in range(levels, 0, -1):
        here = level_of == level
        if not here.any():
            continue
        codes = prefix[level]
        in_cell = np.bincount(codes[here], weights=answered[here], minlength=codes.max() + 1)
        small = here & (in_cell[codes] < max(min_respondents, 1))
        parents = np.unique(prefix[level - 1][small])
        level_of[np.isin(prefix[level - 1], parents)] = level - 1
    # one id per (level, prefix code at that level)
    stride = max(int(p.max()) for p in prefix) + 1
    chosen = np.stack(prefix)[level_of, np.arange(len(frame))]
    return level_of * stride + chosen


def trim_weights(weights: np.ndarray, trim: float) -> np.ndarray:
    """Cap weights at ``trim × mean`` and spread the excess over the others (total kept)."""
    weights = weights.astype(float).copy()
    if not len(weights) or trim <= 0:
        return weights
    total = weights.sum()
    cap = trim * total / len(weights)
    for _ in range(20):
        over = weights > cap * (1 + 1e-12)
        if not over.any():
            break
        weights[over] = cap
        free = ~over & (weights < cap)
        if not free.any():
            break
        rest = total - weights[~free].sum()
        weights[free] *= rest / weights[free].sum()
    return weights


def response_weights(
    people: pd.DataFrame,
    due: np.ndarray,
    responded: np.ndarray,
    cells: tuple[str, ...] = DEFAULT_CELLS,
    *,
    min_respondents: int = MIN_RESPONDENTS,
    trim: float = TRIM,
) -> pd.Series:
    """Weights of the respondents (index ``trainee_id``); they sum to the number due."""
    mask = np.asarray(due, dtype=bool)
    index = people.index[mask]
    answered = np.asarray(responded)[mask]
    if not answered.any():
        return pd.Series(dtype=float, index=index[:0])
    columns = [CELL_COLUMNS.get(c, c) for c in cells]
    frame = people.loc[mask, columns] if columns else pd.DataFrame(index=index)
    final = _final_cells(frame, answered, min_respondents)
    due_count = np.bincount(final)
    resp_count = np.bincount(final[answered], minlength=len(due_count))
    weights = due_count[final[answered]] / resp_count[final[answered]]
    return pd.Series(trim_weights(weights, trim), index=index[answered])
