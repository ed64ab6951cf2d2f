"""95 % confidence intervals for shares, vectorised over the rows of a table.

Wilson score interval by default; the exact Clopper–Pearson interval when the (effective)
sample is small (``n < SMALL_N``) or the share is 0 or 1 — where Wilson's coverage is
poorest. Weighted shares use the Kish effective sample size ``(Σw)² / Σw²`` in place of ``n``
(Kish 1965), so the interval widens with the spread of the weights.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import beta

Z95 = 1.959963984540054
SMALL_N = 30


def wilson(count: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (proportions, 0-1) for ``count`` successes out of ``n``."""
    count, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = count / n
        denominator = 1 + Z95**2 / n
        centre = (p + Z95**2 / (2 * n)) / denominator
        half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / denominator
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def clopper_pearson(count: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper–Pearson) interval; ``count`` and ``n`` may be non-integer (effective)."""
    count, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(count > 0, beta.ppf(0.025, count, n - count + 1), 0.0)
        high = np.where(count < n, beta.ppf(0.975, count + 1, n - count), 1.0)
    bad = ~(n > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def share_interval(count: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95 % interval in % for shares ``count / n``: Clopper–Pearson when ``n < SMALL_N`` or
    the share is 0 % or 100 %, Wilson otherwise; NaN where ``n`` is 0 or missing."""
    count, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    wilson_low, wilson_high = wilson(count, n)
    exact_low, exact_high = clopper_pearson(count, n)
    exact = (n < SMALL_N) | (count <= 0) | (count >= n)
    low = np.where(exact, exact_low, wilson_low)
    high = np.where(exact, exact_high, wilson_high)
    missing = ~(n > 0)
    return np.where(missing, np.nan, 100 * low), np.where(missing, np.nan, 100 * high)


def kish_effective_n(weights: np.ndarray) -> float:
    """Kish effective sample size ``(Σw)² / Σw²`` (0 for no weight)."""
    total = float(weights.sum())
    squares = float((weights * weights).sum())
    return total * total / squares if squares else 0.0
