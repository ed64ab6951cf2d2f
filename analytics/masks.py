"""Rows of a frame where a text column takes one value, from one factorization per column.

The report selects each wave's rows of the same wide frames a dozen times; comparing 400k
Python strings costs ~15 ms each time, comparing their integer codes well under 1 ms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_CACHE_SIZE = 8  # columns remembered (the frames stay alive with them)
_CODES: dict[tuple[int, str], tuple[pd.Series, np.ndarray, dict[object, int]]] = {}


def _codes(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, dict[object, int]]:
    """Codes of ``frame[column]`` and value → code, computed once per column object (a column
    replaced in the frame is a new object, and is factorized again)."""
    series = frame[column]
    key = (id(frame), column)
    cached = _CODES.get(key)
    if cached is None or cached[0] is not series:
        codes, uniques = pd.factorize(series)
        if len(_CODES) >= _CACHE_SIZE:
            _CODES.pop(next(iter(_CODES)))
        cached = (series, codes, {value: code for code, value in enumerate(uniques)})
        _CODES[key] = cached
    return cached[1], cached[2]


def rows_equal(frame: pd.DataFrame, column: str, value: object) -> np.ndarray:
    """Boolean mask of the rows whose ``column`` equals ``value``: the same as
    ``(frame[column] == value).to_numpy()`` (a missing value equals nothing)."""
    codes, code_of = _codes(frame, column)
    code = code_of.get(value)
    if code is None:
        return np.zeros(len(frame), dtype=bool)
    return codes == code


def responded_to(trainees: pd.Index, responses: pd.DataFrame, wave: str) -> np.ndarray:
    """For each trainee id in ``trainees``: True when ``responses`` has a row of ``wave`` for
    them (they responded to it)."""
    return trainees.isin(responses["trainee_id"].to_numpy()[rows_equal(responses, "wave", wave)])
