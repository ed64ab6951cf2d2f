"""Derived variables and weights on tiny explicit frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.derive import earnings_change, formality, labour_status
from analytics.stats import weighted_median
from analytics.weights import response_weights

NA = None


def test_labour_status_missing_answers_stay_unknown():
    frame = pd.DataFrame(
        {
            "fu_worked_last_week": ["yes", "no", "no", "no", "no", "no", NA],
            "fu_temp_absent": [NA, "yes", "no", "no", "no", NA, NA],
            "fu_looked_for_work": [NA, NA, "yes", "yes", "no", NA, NA],
            "fu_available": [NA, NA, "yes", "no", "yes", NA, NA],
        }
    )
    assert labour_status(frame).tolist() == [
        "employed",
        "employed",
        "unemployed",
        "outside",
        "outside",
        None,
        None,
    ]


def test_formality_rules_follow_the_ilo():
    frame = pd.DataFrame(
        {
            "fu_status_in_employment": [
                "employee",
                "employee",
                "employee",
                "own_account",
                "family_worker",
                "employee",
            ],
            "fu_contract": ["written", "written", "none", NA, NA, "written"],
            "fu_social_security": ["yes", "no", "yes", NA, NA, NA],
            "fu_business_registered": [NA, NA, NA, "yes", NA, NA],
        }
    )
    # the contract does not decide; family workers are informal; unknown stays unknown
    assert formality(frame).tolist() == ["formal", "informal", "formal", "formal", "informal", None]


def test_paid_leave_makes_an_employee_formal_when_the_questionnaire_asks_it():
    frame = pd.DataFrame(
        {
            "fu_status_in_employment": ["employee", "employee", "employee"],
            "fu_social_security": ["no", "no", "no"],
            "fu_business_registered": [NA, NA, NA],
            "fu_paid_annual_leave": ["yes", "yes", "no"],
            "fu_paid_sick_leave": ["yes", "no", "yes"],
        }
    )
    assert formality(frame).tolist() == ["formal", "informal", "informal"]


def test_earnings_change_needs_an_observed_baseline_amount():
    frame = pd.DataFrame(
        {
            "bl_earnings": [np.nan, 100.0, 100.0, 100.0, np.nan, 100.0],
            "bl_earnings_currency": [NA, "XOF", "XOF", "XOF", NA, "XOF"],
            "labour_status": [
                "employed",
                "employed",
                "unemployed",
                "employed",
                "outside",
                "employed",
            ],
            "fu_earnings": [50.0, 80.0, np.nan, 300.0, np.nan, np.nan],
            "fu_earnings_currency": ["XOF", "XOF", NA, "USD", NA, NA],
        }
    )
    change = earnings_change(frame)
    # no baseline amount (student with a side income now): missing, not "earns more"
    assert pd.isna(change.iloc[0]) and pd.isna(change.iloc[4])
    assert change.iloc[1] == -20.0
    assert change.iloc[2] == -100.0  # no work now: no work income
    assert pd.isna(change.iloc[3])  # other currency: not compared
    assert pd.isna(change.iloc[5])  # earnings skipped


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
    weights = response_weights(people, due, responded, ("sex", "age_band"), min_respondents=1)
    assert weights.sum() == pytest.approx(6)
    assert weights.to_dict() == pytest.approx({1: 2.0, 3: 1.0, 4: 3.0})


def test_small_cells_are_collapsed_by_dropping_the_last_variable():
    # completers: 10 due, 10 answered; dropouts: 10 due, 1 answered → the dropout cell is
    # too small (min 2 respondents) and is pooled with... nobody else small: the whole wave.
    people = pd.DataFrame(
        {"w_completion": ["c"] * 10 + ["d"] * 10, "cohort": ["2024"] * 20},
        index=pd.Index(range(1, 21), name="trainee_id"),
    )
    responded = np.array([True] * 10 + [True] + [False] * 9)
    weights = response_weights(
        people, np.ones(20, bool), responded, ("cohort", "completion"), trim=0
    )
    assert weights.to_numpy() == pytest.approx([20 / 11] * 11)
    # with min 1 respondent: weight 10 for the lone dropout, then trimmed at 3.5 × mean
    weights = response_weights(
        people, np.ones(20, bool), responded, ("cohort", "completion"), min_respondents=1
    )
    mean = 20 / 11
    assert weights.iloc[-1] == pytest.approx(3.5 * mean)
    assert weights.sum() == pytest.approx(20)
    assert weights.iloc[0] == pytest.approx((20 - 3.5 * mean) / 10)


def test_weighting_by_completion_corrects_what_sex_and_age_cannot():
    # issue 14: 20 trainees in one sex × age cell, 10 completers (all answered, 9 employed)
    # and 10 dropouts (2 answered, none employed): 75 % unweighted, 45 % weighted
    people = pd.DataFrame(
        {
            "cohort": "2024",
            "w_completion": ["completed"] * 10 + ["dropped_out"] * 10,
            "w_sex": "female",
            "w_age_band": "20-24",
        },
        index=pd.Index(range(1, 21), name="trainee_id"),
    )
    responded = np.array([True] * 12 + [False] * 8)
    employed = pd.Series([True] * 9 + [False] * 3, index=range(1, 13))
    weights = response_weights(people, np.ones(20, bool), responded)
    assert weights.loc[11] == pytest.approx(5.0)
    assert 100 * weights[employed].sum() / weights.sum() == pytest.approx(45.0)
    old = response_weights(people, np.ones(20, bool), responded, ("sex", "age_band"))
    assert 100 * old[employed].sum() / old.sum() == pytest.approx(75.0)
