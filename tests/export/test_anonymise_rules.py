"""Disclosure-control building blocks: generalisation, top-coding and greedy suppression."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.anonymise.config import RulesError, default_rules, rules_from_mapping
from analytics.anonymise.generalise import age_bands, merge_rare, to_period, top_code
from analytics.anonymise.kanon import enforce_k, match_counts
from bot.questionnaire.loader import default_questionnaire


def test_age_bands_are_five_years_wide_with_open_ends():
    born = pd.Series([2012, 2006, 2002, 1999, 1950, None])
    assert list(age_bands(born, 2026, 5, 15, 60)) == [
        "<15",
        "20-24",
        "20-24",
        "25-29",
        "60+",
        pd.NA,
    ]


def test_dates_become_quarters_or_years():
    assert list(to_period(pd.Series(["2025-03", "2025-11"]), "quarter")) == ["2025Q1", "2025Q4"]
    assert list(to_period(pd.Series(["2025-03"]), "year")) == ["2025"]


def test_rare_values_are_merged_and_earnings_top_coded_per_currency():
    merged, rare = merge_rare(pd.Series(["a"] * 5 + ["b"] * 2), 5, "other")
    assert rare == ["b"] and list(merged).count("other") == 2
    amounts = pd.Series([float(v) for v in range(1, 101)] + [10_000_000.0, 50.0])
    currency = pd.Series(["XOF"] * 101 + ["USD"])
    capped, caps = top_code(amounts, currency, 99)
    assert capped.iloc[100] == caps["XOF"] < 10_000_000 and capped.iloc[101] == 50.0


def test_greedy_suppression_reaches_k_with_few_cells():
    frame = pd.DataFrame(
        {
            "age": ["20-24"] * 6 + ["25-29"] * 5 + ["60+"],
            "region": ["N"] * 6 + ["S"] * 5 + ["N"],
        }
    )
    result = enforce_k(frame, 5, ["age", "region"])
    assert int(result.suppressed.to_numpy().sum()) == 1
    assert result.suppressed.loc[11, "age"]
    assert match_counts(frame, result.suppressed).min() >= 5


def test_rules_come_from_the_questionnaire_and_reject_unknown_keys():
    rules = default_rules(default_questionnaire())
    assert {"sex", "age_band", "fu_job_start", "region"} <= set(rules.quasi_identifiers)
    assert "bl_desired_occupation" in rules.free_text and "fu_earnings" in rules.sensitive_money
    assert rules_from_mapping(rules, {"cohort_date_grain": "year"}).cohort_date_grain == "year"
    with pytest.raises(RulesError):
        rules_from_mapping(rules, {"kk": 3})
