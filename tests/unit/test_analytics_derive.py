"""Derived variables and weights on tiny explicit frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.derive import _earns_more, formality, labour_status
from analytics.stats import weighted_median
from analytics.weights import response_weights

NA = None


def test_labour_status_missing_answers_stay_unknown():
    frame = pd.DataFrame({
        "fu_worked_last_week": ["yes", "no", "no", "no", "no", "no", NA],
        "fu_temp_absent": [NA, "yes", "no", "no", "no", NA, NA],
        "fu_looked_for_work": [NA, NA, "yes", "yes", "no", NA, NA],
        "fu_available": [NA, NA, "yes", "no", "yes", NA, NA],
    })
    assert labour_status(frame).tolist() == [
        "employed", "employed", "unemployed", "outside", "outside", None, None
    ]


def test_formality_rules():
    frame = pd.DataFrame({
        "fu_status_in_employment": ["employee", "employee", "own_account", "family_worker"],
        "fu_contract": ["written", "written", NA, NA],
        "fu_social_security": ["yes", "no", NA, NA],
        "fu_business_registered": [NA, NA, "yes", NA],
    })
    assert formality(frame).tolist() == ["formal", "informal", "formal", None]


def test_earns_more_counts_no_work_as_zero_and_ignores_other_currencies():
    frame = pd.DataFrame({
        "bl_activity_status": ["studying", "employee", "employee", "employee", "studying"],
        "bl_earnings": [np.nan, 100.0, 100.0, 100.0, np.nan],
        "bl_earnings_currency": [NA, "XOF", "XOF", "XOF", NA],
        "labour_status": ["employed", "employed", "unemployed", "employed", "outside"],
        "fu_earnings": [50.0, 80.0, np.nan, 300.0, np.nan],
        "fu_earnings_currency": ["XOF", "XOF", NA, "USD", NA],
    })
    result = _earns_more(frame)
    assert result.tolist()[:3] == [True, False, False]
    assert pd.isna(result.iloc[3])  # different currencies: not compared
    assert not pd.isna(result.iloc[4]) and not result.iloc[4]  # no work before or after


def test_weighted_median():
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0])) == 2.0
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 5.0])) == 3.0
    assert weighted_median(np.array([1.0, 2.0]), np.array([1.0, 1.0])) == 1.5


def test_weights_sum_to_trainees_due_and_fill_empty_cells():
    people = pd.DataFrame(
        {"w_sex": ["f", "f", "f", "m", "m", "m"], "w_age_band": ["a", "a", "b", "a", "b", "b"]},
        index=pd.Index([1, 2, 3, 4, 5, 6], name="trainee_id"),
    )
    due = np.ones(6, dtype=bool)
    responded = np.array([True, False, True, True, False, False])
    weights = response_weights(people, due, responded)
    assert weights.sum() == pytest.approx(6)
    assert weights.to_dict() == pytest.approx({1: 2.0, 3: 1.0, 4: 3.0})
