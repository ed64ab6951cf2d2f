"""Non-response weights: inverse response propensity within cells known for everyone.

For one wave, every trainee whose wave is due belongs to a cell programme × sex × age band
(from the cohort import, falling back to the baseline answer, else ``unknown``). A respondent's
weight is ``due in cell / respondents in cell``. Cells without any respondent cannot be
represented; their trainees are carried by the coarser cell (programme × sex, then programme)
by scaling the weights there so that they add up to the number of trainees due.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CELL_LEVELS: tuple[tuple[str, ...], ...] = (("w_sex", "w_age_band"), ("w_sex",), ())


def response_weights(
    people: pd.DataFrame, due: np.ndarray, responded: np.ndarray
) -> pd.Series:
    """Weights of the respondents (index ``trainee_id``); they sum to the number due."""
    due_people = people.loc[due]
    is_resp = pd.Series(responded[due], index=due_people.index)
    weights = pd.Series(1.0, index=due_people.index[is_resp.to_numpy()])
    if weights.empty:
        return weights
    for cell in CELL_LEVELS:
        if cell:
            keys_all = [due_people[c] for c in cell]
            due_count = due_people.groupby(keys_all).size()
            keys_resp = [due_people.loc[weights.index, c] for c in cell]
            weight_sum = weights.groupby(keys_resp).sum()
            factor = (due_count / weight_sum).dropna()
            cell_of = pd.MultiIndex.from_arrays(keys_resp) if len(cell) > 1 else keys_resp[0]
            weights = weights * factor.reindex(cell_of).to_numpy()
        else:
            weights = weights * (len(due_people) / weights.sum())
    return weights
