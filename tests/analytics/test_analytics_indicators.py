"""Every indicator against figures computed by hand from ``tests.analytics.helpers``."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.dataset import UnknownProgrammeError
from analytics.report import build_report
from analytics.stats import SUPPRESSED
from tests.analytics.helpers import AS_OF, build_fixture_database


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    url = f"sqlite:///{tmp_path_factory.mktemp('analytics') / 'fixture.db'}"
    build_fixture_database(url)
    return build_report(url, "weld", as_of=AS_OF).tables


def cell(
    table: pd.DataFrame,
    indicator: str,
    wave: str = "followup_6",
    breakdown: str = "all",
    group: str = "all",
    column: str = "value",
) -> object:
    rows = table[
        table["indicator"].str.startswith(indicator)
        & (table["wave"] == wave)
        & (table["breakdown"] == breakdown)
        & (table["group"] == group)
    ]
    assert len(rows) == 1, f"{indicator} {wave} {breakdown}={group}: {len(rows)} rows"
    return rows[column].iloc[0]


def test_response_rate_denominator_is_trainees_due(tables):
    response = tables["response"].set_index(["wave", "breakdown", "group"])
    assert response.loc[("baseline", "all", "all"), ["due", "responded"]].tolist() == [13, 11]
    assert response.loc[("exit", "all", "all"), "response_rate"] == pytest.approx(100 * 8 / 13)
    assert response.loc[("followup_6", "all", "all"), "response_rate"] == pytest.approx(
        100 * 10 / 13
    )
    assert response.loc[("followup_12", "all", "all"), ["due", "responded"]].tolist() == [13, 0]
    # sex breakdown falls back to the cohort import for trainees who never answered
    assert response.loc[("baseline", "sex", "male"), ["due", "responded"]].tolist() == [5, 3]


def test_completion_comes_from_the_cohort_file_not_exit_answers(tables):
    # the fixture's cohort file has no completion status: no rate, not 7/8 exit respondents
    table = tables["completion"]
    assert cell(table, "Completion rate (cohort file)", "cohort file", column="n") == 0
    assert pd.isna(cell(table, "Completion rate (cohort file)", "cohort file"))
    assert cell(table, "Completion status missing", "cohort file") == pytest.approx(100.0)
    assert cell(table, "Completion status missing", "cohort file", column="n") == 13
    assert cell(table, "Dropout reason: Money problems", "exit") == SUPPRESSED  # 1 dropout


def test_weighted_completion_carries_the_empty_cell(tables):
    # women 20-24: 8 due, 6 answered → 8/6; men: 20-24 cell 3 due / 2 answered, 30-34 cell
    # (2 due) has nobody, so the men's weights are scaled to 5 due → 2.5 each.
    expected = 100 * (6 * 8 / 6 + 2.5) / 13
    assert (
        cell(tables["satisfaction"], "Satisfaction with training: rated", "exit", column="n") == 8
    )
    rated = {1: 5, 2: 4, 3: 4, 4: 3, 5: 2, 6: 5, 7: 4, 8: 1}
    women = sum(8 / 6 for i, r in rated.items() if r >= 4 and i <= 6)
    men = sum(2.5 for i, r in rated.items() if r >= 4 and i > 6)
    assert expected == pytest.approx(100 * (8 + 2.5) / 13)
    assert cell(
        tables["satisfaction"], "Satisfaction with training: rated", "exit", column="value_weighted"
    ) == pytest.approx(100 * (women + men) / 13)


def test_labour_status(tables):
    table = tables["labour"]
    assert cell(table, "Employment rate") == pytest.approx(70.0)
    assert cell(table, "Employment rate", column="n") == 10
    assert cell(table, "Unemployment rate") == pytest.approx(12.5)  # 1 / (7 + 1)
    assert cell(table, "Unemployment rate", column="n") == 8
    assert cell(table, "Outside the labour force") == pytest.approx(20.0)
    assert cell(table, "Employment rate", column="value_weighted") == pytest.approx(100 * 10 / 13)
    assert cell(table, "Employment rate", breakdown="age_band", group="20-24") == pytest.approx(70)
    assert cell(table, "Employment rate", column="response_rate") == pytest.approx(100 * 10 / 13)


def test_small_cells_are_suppressed_with_a_complement(tables):
    table = tables["labour"]
    # men: 2 respondents; women (8) are hidden too, else men = all − women
    assert cell(table, "Employment rate", breakdown="sex", group="female") == SUPPRESSED
    for column in ("n", "value", "value_weighted", "count", "ci_low", "deff"):
        assert (
            cell(table, "Employment rate", breakdown="sex", group="male", column=column)
            == SUPPRESSED
        )


def test_wage_and_self_employment(tables):
    table = tables["employment_type"]
    assert cell(table, "Wage employment") == pytest.approx(100 * 3 / 7)
    assert cell(table, "Self-employment") == pytest.approx(100 * 3 / 7)
    assert cell(table, "Contributing family") == pytest.approx(100 * 1 / 7)


def test_time_to_first_job(tables):
    # spells: jobs at 0 (trainee 3: studying before, so found, not kept), 1, 2, 3, 4, 5, 7, 8;
    # trainees 4 and 6 never had a job: censored at 6. Trainee 7 (employee before) reports
    # month 1: found, not kept. KM: S drops by 1/10 at 0..5 → S(5) = 0.4, median at 4.
    table = tables["first_job"]
    assert cell(table, "Median months to first job (Kaplan") == pytest.approx(4.0)
    assert cell(table, "First job within 6 months (Kaplan") == pytest.approx(60.0)
    assert cell(table, "First job within 6 months (Kaplan", column="n") == 10
    assert cell(table, "Still without a first job") == pytest.approx(20.0)


def test_relevance_and_skills(tables):
    table = tables["job_match"]
    assert cell(table, "Job in the same or a related field") == pytest.approx(100 * 5 / 7)
    assert cell(table, "Uses skills learnt: Often") == pytest.approx(100 * 3 / 7)


def test_formality(tables):
    table = tables["formality"]
    # employees 1 (social security: formal), 3, 11 (no social security: informal); employer 7
    # and own-account 12 registered, own-account 2 not; family worker 13: informal
    assert cell(table, "Formal (all employed") == pytest.approx(100 * 3 / 7)
    assert cell(table, "Formal (all employed", column="n") == 7
    assert cell(table, "Formal employees") == SUPPRESSED  # 3 employees
    assert cell(table, "Registered businesses") == SUPPRESSED  # 3 self-employed


def test_earnings_skip_logic_is_not_zero(tables):
    table = tables["earnings"]
    # XOF: 50, 100, 150, 200, 300 — the unemployed (not asked) and the skipped are left out
    assert cell(table, "Median monthly earnings (XOF)") == pytest.approx(150.0)
    assert cell(table, "Median monthly earnings (XOF)", column="n") == 5
    assert cell(table, "Median monthly earnings (USD)") == SUPPRESSED
    assert cell(table, "Median change vs baseline earnings (XOF)", column="n") == SUPPRESSED


def test_further_study_and_hindsight_satisfaction(tables):
    assert cell(tables["further_study"], "In education") == pytest.approx(20.0)
    table = tables["satisfaction"]
    assert cell(table, "Satisfaction with training (looking back): mean") == pytest.approx(3.4)
    assert cell(table, "Satisfaction with training (looking back): rated") == pytest.approx(50.0)
    assert cell(table, "Satisfaction with training: mean", "exit") == pytest.approx(3.5)
    assert cell(table, "Satisfaction with training: rated", "exit") == pytest.approx(62.5)


def test_expectations_vs_outcomes(tables):
    table = tables["expectations"]
    args = {"breakdown": "expectation", "group": "get_job"}
    assert cell(table, "Expectation met: yes", **args) == pytest.approx(60.0)
    assert cell(table, "Expectation met: partly", **args) == pytest.approx(20.0)
    assert cell(table, "Expectation met: no", **args) == pytest.approx(20.0)
    assert cell(table, "Objective check: employed", **args) == pytest.approx(80.0)
    assert (
        cell(table, "Expectation met: yes", breakdown="expectation", group="start_business")
        == SUPPRESSED
    )


def test_unknown_programme_and_cohort(tmp_path):
    url = f"sqlite:///{tmp_path / 'fixture.db'}"
    build_fixture_database(url)
    with pytest.raises(UnknownProgrammeError, match="known programmes: other, weld"):
        build_report(url, "nope", as_of=AS_OF)
    with pytest.raises(UnknownProgrammeError, match="no cohort"):
        build_report(url, "weld", "1999", as_of=AS_OF)
