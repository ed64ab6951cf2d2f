"""Generalisation of quasi-identifiers and top-coding of sensitive amounts (pure functions)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def age_bands(birth_year: pd.Series, year: int, width: int, floor: int, top: int) -> pd.Series:
    """Age at ``year`` in bands of ``width`` years: ``<15``, ``15-19`` … ``60+`` (NA stays NA)."""
    age = year - pd.to_numeric(birth_year, errors="coerce")
    result = pd.Series(pd.NA, index=birth_year.index, dtype=object)
    known = age.notna()
    lower = (floor + ((age - floor) // width) * width).where(known)
    for value in sorted(lower[known].unique()):
        start = int(value)
        result[lower == value] = f"{start}-{min(start + width, top) - 1}"
    result[known & (age < floor)] = f"<{floor}"
    result[known & (age >= top)] = f"{top}+"
    return result


def band_order(width: int, floor: int, top: int) -> list[str]:
    """Every possible age band, youngest first."""
    bands = [f"{start}-{min(start + width, top) - 1}" for start in range(floor, top, width)]
    return [f"<{floor}", *bands, f"{top}+"]


def to_period(values: pd.Series, grain: str) -> pd.Series:
    """Dates (or ``YYYY-MM`` strings) as ``2026-03`` (month), ``2026Q1`` (quarter) or ``2026``."""
    parsed = pd.to_datetime(values.astype(object).where(values.notna()), errors="coerce")
    result = pd.Series(pd.NA, index=values.index, dtype=object)
    known = parsed.notna()
    if grain == "month":
        result[known] = parsed[known].dt.strftime("%Y-%m")
    elif grain == "quarter":
        result[known] = (
            parsed[known].dt.year.astype(str) + "Q" + parsed[known].dt.quarter.astype(str)
        )
    else:
        result[known] = parsed[known].dt.year.astype(str)
    return result


def merge_rare(values: pd.Series, k: int, into: str) -> tuple[pd.Series, list[str]]:
    """Replace values seen fewer than ``k`` times by ``into``; also the merged values."""
    counts = values.value_counts(dropna=True)
    rare = sorted(str(v) for v in counts[counts < k].index if v != into)
    if not rare:
        return values, []
    merged = values.where(~values.isin(rare), into)
    return merged, rare


def top_code(
    amounts: pd.Series, groups: pd.Series, percentile: float
) -> tuple[pd.Series, dict[str, float]]:
    """Cap amounts above the ``percentile`` of their group (currency); also the caps used."""
    result = amounts.copy()
    caps: dict[str, float] = {}
    known = amounts.notna() & groups.notna()
    for group, part in amounts[known].groupby(groups[known]):
        cap = float(np.percentile(part.to_numpy(dtype=float), percentile))
        over = part.index[part > cap]
        if len(over):
            result[over] = cap
            caps[str(group)] = cap
    return result, caps


def quantile_bands(amounts: pd.Series, groups: pd.Series, bands: int) -> pd.Series:
    """Band 1..``bands`` of each amount within its group (currency), by rank; NA stays NA."""
    result = pd.Series(pd.NA, index=amounts.index, dtype=object)
    known = amounts.notna() & groups.notna()
    if not known.any():
        return result
    ranks = amounts[known].groupby(groups[known]).rank(method="average", pct=True)
    band = np.ceil(ranks * bands).clip(1, bands).astype(int)
    result[known] = "Q" + band.astype(str)
    return result
