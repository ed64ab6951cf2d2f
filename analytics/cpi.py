"""Consumer price index (CPI) supplied by the officer: real earnings change in base-period prices.

The CSV has one row per month: ``year``, ``month`` (1-12), ``index`` (any base, > 0) and an
optional ``currency`` column (ISO 4217); a row without a currency applies to every currency.
A month missing from the table takes the latest earlier month's index (statistical offices
publish with a lag); a month before the table's first month has no index, and the change is
missing. Amounts are put in the prices of the baseline month:
``follow-up amount × CPI(baseline month) / CPI(follow-up month)``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bot.questionnaire.waves import BASELINE

ANY = ""  # the currency key of rows without a currency


class CpiError(ValueError):
    """The CPI file cannot be read; the message says which line and why."""


@dataclass(frozen=True)
class CpiTable:
    """Monthly indices per currency (``ANY`` for all), months as ``year * 12 + month - 1``."""

    series: dict[str, pd.Series]  # currency → index by month number, sorted
    source: str = ""

    def index_at(self, currency: pd.Series, months: pd.Series) -> pd.Series:
        """The index for each (currency, month); NaN when the month is before the table."""
        result = pd.Series(np.nan, index=months.index, dtype=float)
        codes = currency.astype(object).where(currency.notna(), ANY)
        for code in set(codes.dropna()):
            series = self.series.get(str(code), self.series.get(ANY))
            mine = (codes == code) & months.notna()
            if series is None or not mine.any():
                continue
            position = np.searchsorted(series.index.to_numpy(), months[mine].to_numpy(), "right")
            values = np.where(position > 0, series.to_numpy()[np.maximum(position - 1, 0)], np.nan)
            result[mine] = values
        return result


def month_number(days: pd.Series) -> pd.Series:
    """``year * 12 + month - 1`` of each date (NaN for a missing date)."""
    stamps = pd.to_datetime(days, errors="coerce")
    return (stamps.dt.year * 12 + stamps.dt.month - 1).astype(float)


def _row_key(row: dict[str, str], line: int) -> tuple[str, int, float]:
    try:
        year, month = int(row["year"]), int(row["month"])
        value = float(row["index"])
    except (KeyError, TypeError, ValueError) as error:
        raise CpiError(f"line {line}: year, month and index must be numbers") from error
    if not 1 <= month <= 12 or not value > 0 or not 1900 <= year <= 2200:
        raise CpiError(f"line {line}: month 1-12, year 1900-2200 and an index above 0")
    currency = (row.get("currency") or "").strip().upper()
    return currency, year * 12 + month - 1, value


def read_cpi(path: Path) -> CpiTable:
    """Read and check an officer's CPI file (see the module docstring for the format)."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise CpiError(f"cannot read {path}: {error.strerror}") from error
    found: dict[str, dict[int, float]] = {}
    for line, row in enumerate(rows, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k}
        currency, month, value = _row_key(row, line)
        if month in found.setdefault(currency, {}):
            raise CpiError(f"line {line}: the month {month % 12 + 1}/{month // 12} is given twice")
        found[currency][month] = value
    if not found:
        raise CpiError("no rows: expected the columns year, month, index")
    series = {code: pd.Series(months).sort_index() for code, months in found.items()}
    return CpiTable(series=series, source=Path(path).name)


def real_factor(
    cpi: CpiTable, currency: pd.Series, base_days: pd.Series, days: pd.Series
) -> pd.Series:
    """CPI(base month) / CPI(month of ``days``): multiplies an amount into base-period prices."""
    base = cpi.index_at(currency, month_number(base_days))
    now = cpi.index_at(currency, month_number(days))
    return base / now


def add_real_change(rows: pd.DataFrame, cpi: CpiTable, days: pd.DataFrame) -> pd.Series:
    """Real earnings change of follow-up ``rows``: the follow-up amount in the prices of the
    baseline month minus the baseline amount, in the baseline's currency (the population of
    ``earnings_change``; no work at follow-up is 0 in any prices). Missing when either month
    has no index. ``days``: trainee_id, wave, day (the response's first answer)."""
    first = days.drop_duplicates(["trainee_id", "wave"]).set_index(["trainee_id", "wave"])["day"]
    base = first.xs(BASELINE, level="wave") if len(first) else first
    base_day = pd.Series(base.reindex(rows["trainee_id"].to_numpy()).to_numpy(), rows.index)
    keys = pd.MultiIndex.from_arrays([rows["trainee_id"], rows["wave"].astype(object)])
    day = pd.Series(first.reindex(keys).to_numpy(), index=rows.index)
    factor = real_factor(cpi, rows["bl_earnings_currency"], base_day, day)
    before = rows["bl_earnings"]
    after = rows["earnings_change"] + before
    real_after = after.where(after == 0, after * factor)
    return (real_after - before).where(rows["earnings_change"].notna())
