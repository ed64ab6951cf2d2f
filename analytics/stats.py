"""Grouped statistics with counts, weights, design effects and intervals.

Every function returns one row per group: ``breakdown`` (``all`` or the breakdown variable),
``group``, ``n`` (respondents in the denominator), ``count`` (numerator, shares only),
``value`` and ``value_weighted``, with the Kish effective n and design effect of the weighted
figure and 95 % intervals. Small cells are hidden afterwards, table by table, by
:mod:`analytics.disclosure` (cells with fewer than :data:`MIN_CELL` respondents show
:data:`SUPPRESSED`).
"""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pandas as pd
from scipy.stats import t as t_dist

from analytics.disclosure import ALL, MIN_CELL, SUPPRESSED  # noqa: F401 (re-exported)
from analytics.intervals import Z95, kish_effective_n, share_interval

_MASKS: dict[tuple[int, tuple[str, ...]], tuple[pd.DataFrame, list]] = {}
_ROWS: dict[tuple[int, tuple[str, ...]], tuple[pd.DataFrame, list]] = {}


def groups(
    frame: pd.DataFrame, breakdowns: tuple[str, ...]
) -> Iterator[tuple[str, str, np.ndarray]]:
    """(breakdown, group, row mask) for the whole frame then each value of each breakdown.

    Masks are computed once per frame and breakdown list (the frame is kept alive with them).
    """
    key = (id(frame), breakdowns)
    cached = _MASKS.get(key)
    if cached is None or cached[0] is not frame:
        masks = [(ALL, ALL, np.ones(len(frame), dtype=bool))]
        for breakdown in breakdowns:
            # groups are named by the text of their values (missing ones: no group)
            codes, uniques = pd.factorize(frame[breakdown])
            by_name: dict[str, list[int]] = {}
            for index, value in enumerate(uniques):
                by_name.setdefault(str(value), []).append(index)
            for name in sorted(set(by_name) - {"nan", "None"}):
                found = by_name[name]
                mask = codes == found[0] if len(found) == 1 else np.isin(codes, found)
                masks.append((breakdown, name, mask))
        if len(_MASKS) > 64:
            _MASKS.clear()
        _MASKS[key] = (frame, masks)
        cached = _MASKS[key]
    yield from cached[1]


def group_rows(
    frame: pd.DataFrame, breakdowns: tuple[str, ...]
) -> list[tuple[str, str, np.ndarray]]:
    """Like :func:`groups`, with the (ascending) row positions of each group instead of a
    mask: selecting a group then costs its size, not the frame's."""
    key = (id(frame), breakdowns)
    cached = _ROWS.get(key)
    if cached is None or cached[0] is not frame:
        rows = [(b, g, np.flatnonzero(mask)) for b, g, mask in groups(frame, breakdowns)]
        if len(_ROWS) > 64:
            _ROWS.clear()
        _ROWS[key] = (frame, rows)
        cached = _ROWS[key]
    return cached[1]


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The weighted median (lower median on exact ties of the cumulative weight)."""
    if len(values) == 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    sorted_values, sorted_weights = values[order], weights[order]
    cumulative = np.cumsum(sorted_weights)
    half = cumulative[-1] / 2.0
    index = int(np.searchsorted(cumulative, half, side="left"))
    if np.isclose(cumulative[index], half) and index + 1 < len(sorted_values):
        return float((sorted_values[index] + sorted_values[index + 1]) / 2.0)
    return float(sorted_values[index])


def _weight_figures(row: dict, weight: np.ndarray) -> float:
    """Add Kish effective n and the design effect of weighting (n / effective n); the sum."""
    total = float(weight.sum())
    n_eff = kish_effective_n(weight)
    row["n_eff"] = n_eff
    row["deff"] = row["n"] / n_eff if n_eff else np.nan
    return total


def _mean_interval(numbers: np.ndarray, weight: np.ndarray, row: dict) -> None:
    """Normal 95 % interval of the mean (t for n, z for the weighted mean with effective n)."""
    n = len(numbers)
    row["ci_low"] = row["ci_high"] = row["ci_low_weighted"] = row["ci_high_weighted"] = np.nan
    if n < 2:
        return
    half = t_dist.ppf(0.975, n - 1) * numbers.std(ddof=1) / np.sqrt(n)
    row["ci_low"], row["ci_high"] = row["value"] - half, row["value"] + half
    total = weight.sum()
    if total and row["n_eff"] > 1:
        centre = row["value_weighted"]
        spread = np.sqrt((weight * (numbers - centre) ** 2).sum() / total * n / (n - 1))
        half = Z95 * spread / np.sqrt(row["n_eff"])
        row["ci_low_weighted"], row["ci_high_weighted"] = centre - half, centre + half


def summarise(
    frame: pd.DataFrame,
    kind: str,
    values: pd.Series,
    weights: pd.Series,
    breakdowns: tuple[str, ...],
    eligible: pd.Series | None = None,
) -> list[dict]:
    """Rows of one indicator per group.

    ``kind``: ``share`` (``values`` is True/False/missing; value in %), ``mean`` or ``median``
    (numeric ``values``). Rows where ``values`` is missing or ``eligible`` is False are left out
    of the denominator. ``weights`` is aligned on ``frame``'s index (missing → 0).
    Every row has ``n_eff`` (Kish) and ``deff``; means get their 95 % interval here, shares
    in :func:`add_share_intervals` (vectorised over the whole table).
    """
    known = values.notna().to_numpy()
    if eligible is not None:
        known &= eligible.fillna(False).to_numpy(dtype=bool)
    w = weights.reindex(frame.index).fillna(0.0).to_numpy(dtype=float)
    v = values.to_numpy()
    # convert the known values once, not once per group
    if kind == "share":
        converted = np.zeros(len(v), dtype=bool)
        converted[known] = v[known].astype(bool)
    else:
        converted = np.full(len(v), np.nan)
        converted[known] = v[known].astype(float)
    rows = []
    for breakdown, group, members in group_rows(frame, breakdowns):
        take = members[known[members]]  # same rows, same order as a boolean mask
        n = len(take)
        row: dict = {"breakdown": breakdown, "group": group, "n": n, "kind": kind}
        weight = w[take]
        total = _weight_figures(row, weight)
        if kind == "share":
            hits = converted[take]
            row["count"] = int(hits.sum())
            row["value"] = 100.0 * hits.mean() if n else np.nan
            row["value_weighted"] = 100.0 * weight[hits].sum() / total if total else np.nan
        else:
            numbers = converted[take]
            row["count"] = np.nan
            if kind == "mean":
                row["value"] = float(numbers.mean()) if n else np.nan
                row["value_weighted"] = float((numbers * weight).sum() / total) if total else np.nan
                _mean_interval(numbers, weight, row)
            elif kind == "median":
                row["value"] = float(np.median(numbers)) if n else np.nan
                row["value_weighted"] = weighted_median(numbers, weight) if n else np.nan
            else:
                raise ValueError(f"unknown statistic {kind!r}")
        rows.append(row)
    return rows


def add_share_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """Fill ``ci_low``/``ci_high`` (from count and n) and their weighted twins (from the
    weighted share and the effective n) on the share rows that have no interval yet."""
    for column in ("ci_low", "ci_high", "ci_low_weighted", "ci_high_weighted"):
        if column not in table.columns:
            table[column] = np.nan
    share = (table["kind"] == "share") & table["ci_low"].isna() & (table["n"] > 0)
    if not share.any():
        return table
    rows = table.loc[share]
    low, high = share_interval(rows["count"].astype(float), rows["n"].astype(float))
    table.loc[share, "ci_low"], table.loc[share, "ci_high"] = low, high
    n_eff = rows["n_eff"].astype(float).to_numpy()
    weighted = rows["value_weighted"].astype(float).to_numpy() / 100 * n_eff
    low, high = share_interval(weighted, n_eff)
    table.loc[share, "ci_low_weighted"], table.loc[share, "ci_high_weighted"] = low, high
    return table


def response_rows(
    people: pd.DataFrame,
    due: np.ndarray,
    responded: np.ndarray,
    breakdowns: tuple[str, ...],
) -> list[dict]:
    """Trainees due, respondents and response rate (%) per group (suppression: later, in
    :mod:`analytics.disclosure`)."""
    rows = []
    for breakdown, group, mask in groups(people, breakdowns):
        n_due = int((mask & due).sum())
        n_resp = int((mask & due & responded).sum())
        rate: object = 100.0 * n_resp / n_due if n_due else np.nan
        rows.append(
            {
                "breakdown": breakdown,
                "group": group,
                "due": n_due,
                "responded": n_resp,
                "response_rate": rate,
            }
        )
    return rows
