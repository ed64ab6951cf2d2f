"""Kaplan–Meier estimates of time to first job, per group, with censoring.

A spell runs from the end of training to the first job (event) or, for someone still without
a first job, to the wave's month (censored: the job may come later). The Kaplan–Meier
estimator uses both, so the median and the share "within 6 months" are not biased towards
the quick finders as a median over those with a job is. Intervals: Greenwood's variance on
the log(−log) scale (Kalbfleisch & Prentice); exact Clopper–Pearson when no event or only
events fall in the window. The weighted estimate uses the non-response weights; its interval
is widened by the design effect of the weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.intervals import Z95, clopper_pearson, kish_effective_n
from analytics.stats import group_rows

WITHIN_MONTHS = 6


def _curve(
    times: np.ndarray, events: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct event/censoring times, survival after each, and Greenwood's cumulative sum."""
    distinct, inverse = np.unique(times, return_inverse=True)
    died = np.bincount(inverse, weights=weights * events, minlength=len(distinct))
    left = np.bincount(inverse, weights=weights, minlength=len(distinct))
    at_risk = weights.sum() - np.concatenate(([0.0], np.cumsum(left)[:-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(at_risk > 0, 1 - died / at_risk, 1.0)
        green = np.where(at_risk > died, died / (at_risk * (at_risk - died)), 0.0)
    return distinct, np.cumprod(step), np.cumsum(green)


def _at(distinct: np.ndarray, values: np.ndarray, month: float, start: float) -> float:
    """The step function ``values`` at ``month`` (``start`` before the first time)."""
    index = int(np.searchsorted(distinct, month, side="right")) - 1
    return start if index < 0 else float(values[index])


def _median(distinct: np.ndarray, survival: np.ndarray) -> float:
    reached = np.flatnonzero(survival <= 0.5)
    return float(distinct[reached[0]]) if len(reached) else np.nan


def _share_interval(
    survival: float, green: float, events: int, n: int, deff: float
) -> tuple[float, float]:
    """95 % interval of ``1 - S`` in %."""
    if 0 < survival < 1 and green > 0:
        se = np.sqrt(green * deff) / abs(np.log(survival))
        low_s, high_s = survival ** np.exp(Z95 * se), survival ** np.exp(-Z95 * se)
        return 100 * (1 - high_s), 100 * (1 - low_s)
    low, high = clopper_pearson(np.array([events]), np.array([n / deff if deff else n]))
    return 100 * float(low[0]), 100 * float(high[0])


def km_rows(
    frame: pd.DataFrame,
    months: pd.Series,
    event: pd.Series,
    weights: pd.Series,
    breakdowns: tuple[str, ...],
) -> tuple[list[dict], list[dict]]:
    """(median rows, "within 6 months" rows) per group, shaped like :func:`summarise` rows.

    ``months``: spell length (missing: not in the spells); ``event``: True (first job) or
    False (censored). ``n`` is the number of spells, ``count`` the first jobs observed within
    :data:`WITHIN_MONTHS` months.
    """
    known = months.notna().to_numpy() & event.notna().to_numpy()
    t = months.to_numpy(dtype=float, na_value=np.nan)
    e = event.eq(True).to_numpy(dtype=float)
    w = weights.reindex(frame.index).fillna(0.0).to_numpy(dtype=float)
    medians, shares = [], []
    for breakdown, group, members in group_rows(frame, breakdowns):
        take = members[known[members]]
        base = {"breakdown": breakdown, "group": group, "n": len(take)}
        if not len(take):
            median, share = _empty_group_rows(base)
        else:
            median, share = _group_rows(base, t[take], e[take], w[take])
        medians.append(median)
        shares.append(share)
    return medians, shares


def _empty_group_rows(base: dict) -> tuple[dict, dict]:
    """(median row, share row) of a group without spells."""
    empty = {
        **base,
        "n_eff": 0.0,
        "deff": np.nan,
        "value": np.nan,
        "value_weighted": np.nan,
    }
    return {**empty, "kind": "median", "count": np.nan}, {**empty, "kind": "km_share", "count": 0}


def _group_rows(
    base: dict, times: np.ndarray, events: np.ndarray, weight: np.ndarray
) -> tuple[dict, dict]:
    """(median row, share row) of one group's spells, unweighted and weighted."""
    n = len(times)
    n_eff = kish_effective_n(weight)
    deff = n / n_eff if n_eff else np.nan
    distinct, survival, green = _curve(times, events, np.ones(n))
    s6 = _at(distinct, survival, WITHIN_MONTHS, 1.0)
    g6 = _at(distinct, green, WITHIN_MONTHS, 0.0)
    observed = int(((times <= WITHIN_MONTHS) & (events > 0)).sum())
    row = {**base, "n_eff": n_eff, "deff": deff}
    if weight.sum() > 0:
        w_distinct, w_survival, _ = _curve(times, events, weight)
        s6_w = _at(w_distinct, w_survival, WITHIN_MONTHS, 1.0)
        median_w = _median(w_distinct, w_survival)
    else:
        s6_w, median_w = np.nan, np.nan
    low, high = _share_interval(s6, g6, observed, n, 1.0)
    if np.isnan(s6_w):
        low_w = high_w = np.nan
    else:
        low_w, high_w = _share_interval(s6_w, g6, observed, n, deff)
    share = {
        **row,
        "kind": "km_share",
        "count": observed,
        "value": 100 * (1 - s6),
        "value_weighted": 100 * (1 - s6_w),
        "ci_low": low,
        "ci_high": high,
        "ci_low_weighted": low_w,
        "ci_high_weighted": high_w,
    }
    median = {
        **row,
        "kind": "median",
        "count": np.nan,
        "value": _median(distinct, survival),
        "value_weighted": median_w,
    }
    return median, share
