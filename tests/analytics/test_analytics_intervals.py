"""Confidence intervals, effective n and Kaplan-Meier against textbook values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.intervals import clopper_pearson, kish_effective_n, share_interval, wilson
from analytics.survival import km_rows


def test_wilson_matches_the_textbook_example():
    # 81 of 263 (Newcombe 1998, example): 95 % Wilson 0.2553 to 0.3662
    low, high = wilson(np.array([81]), np.array([263]))
    assert low[0] == pytest.approx(0.2553, abs=5e-4)
    assert high[0] == pytest.approx(0.3662, abs=5e-4)


def test_clopper_pearson_for_none_and_all():
    low, high = clopper_pearson(np.array([0, 10]), np.array([10, 10]))
    assert low[0] == 0 and high[0] == pytest.approx(1 - 0.025 ** (1 / 10))
    assert high[1] == 1 and low[1] == pytest.approx(0.025 ** (1 / 10))


def test_share_interval_is_exact_for_small_n_and_wilson_otherwise():
    low, high = share_interval(np.array([3, 30, 0]), np.array([10, 100, 0]))
    exact_low, _ = clopper_pearson(np.array([3]), np.array([10]))
    assert low[0] == pytest.approx(100 * exact_low[0])
    wilson_low, wilson_high = wilson(np.array([30]), np.array([100]))
    assert (low[1], high[1]) == pytest.approx((100 * wilson_low[0], 100 * wilson_high[0]))
    assert np.isnan(low[2]) and np.isnan(high[2])


def test_kish_effective_n():
    # one weight 20 among 20 ones (issue 14): (40)² / (20 + 400)
    weights = np.array([1.0] * 20 + [20.0])
    assert kish_effective_n(weights) == pytest.approx(1600 / 420)
    assert kish_effective_n(np.ones(7)) == pytest.approx(7)


def test_kaplan_meier_counts_the_censored_in_the_risk_set():
    # 4 first jobs at 1, 2, 2, 8 months; 2 still searching at 6: S(6) = 5/6 · 3/5 = 1/2
    frame = pd.DataFrame({"g": ["a"] * 6})
    months = pd.Series([1, 2, 2, 8, 6, 6], dtype=float)
    event = pd.Series([True, True, True, True, False, False], dtype=object)
    medians, shares = km_rows(frame, months, event, pd.Series(1.0, index=frame.index), ())
    assert shares[0]["value"] == pytest.approx(50.0)
    assert shares[0]["count"] == 3
    assert medians[0]["value"] == 2.0
    assert shares[0]["ci_low"] < 50 < shares[0]["ci_high"]
    # the naive median over those with a job would be 2 of (1, 2, 2, 8) → 2; the naive
    # "within 6 months" 3 / 4 = 75 %: Kaplan-Meier does not drop the 2 still searching
    assert shares[0]["value"] < 75
