"""Every indicator against figures computed by hand from ``analytics_fixture``."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.dataset import UnknownProgrammeError
from analytics.report import build_report
from analytics.stats import SUPPRESSED
from tests.unit.analytics_fixture import AS_OF, build_fixture_database


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    url = f"sqlite:///{tmp_path_factory.mktemp('analytics') / 'fixture.db'}"
    build_fixture_database(url)
    return build_report(url, "weld", as_of=AS_OF).tables


def cell(
    table: pd.DataFrame, indicator: str, wave: str = "followup_6", breakdown: str = "all",
    group: str = "all", column: str = "value",
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


def test_completion_and_dropout(tables):
    table = tables["completion"]
    assert cell(table, "Completion rate", "exit") == pytest.approx(87.5)
    assert cell(table, "Completion rate", "exit", column="n") == 8
    assert cell(table, "Dropout rate", "exit", column="count") == 1
    assert cell(table, "Dropout reason: Money problems", "exit") == SUPPRESSED  # 1 dropout


def test_weighted_completion_carries_the_empty_cell(tables):
    # women 20-24: 8 due, 6 answered → 8/6; men: 20-24 cell 3 due / 2 answered, 30-34 cell
    # (2 due) has nobody, so the men's weights are scaled to 5 due → 2.5 each.
    expected = 100 * (6 * 8 / 6 + 2.5) / 13
    assert cell(tables["completion"], "Completion rate", "exit",
                column="value_weighted") == pytest.approx(expected)


def test_labour_status(tables):
    table = tables["labour"]
    assert cell(table, "Employment rate") == pytest.approx(70.0)
    assert cell(table, "Employment rate", column="n") == 10
    assert cell(table, "Unemployment rate") == pytest.approx(12.5)  # 1 / (7 + 1)
    assert cell(table, "Unemployment rate", column="n") == 8
    assert cell(table, "Outside the labour force") == pytest.approx(20.0)
    assert cell(table, "Employment rate", column="value_weighted") == pytest.approx(
        100 * 10 / 13
    )
    assert cell(table, "Employment rate", breakdown="sex", group="female") == pytest.approx(62.5)
    assert cell(table, "Employment rate", column="response_rate") == pytest.approx(100 * 10 / 13)


def test_small_cells_are_suppressed(tables):
    table = tables["labour"]
    assert cell(table, "Employment rate", breakdown="sex", group="male", column="n") == 2
    for column in ("value", "value_weighted", "count"):
        assert cell(table, "Employment rate", breakdown="sex", group="male",
                    column=column) == SUPPRESSED


def test_wage_and_self_employment(tables):
    table = tables["employment_type"]
    assert cell(table, "Wage employment") == pytest.approx(100 * 3 / 7)
    assert cell(table, "Self-employment") == pytest.approx(100 * 3 / 7)
    assert cell(table, "Contributing family") == pytest.approx(100 * 1 / 7)


def test_time_to_first_job(tables):
    table = tables["first_job"]
    assert cell(table, "Median months") == pytest.approx(3.5)
    assert cell(table, "First job within 6 months") == pytest.approx(75.0)
    assert cell(table, "Had a job within 6 months (all") == pytest.approx(60.0)


def test_relevance_and_skills(tables):
    table = tables["job_match"]
    assert cell(table, "Job in the same or a related field") == pytest.approx(100 * 5 / 7)
    assert cell(table, "Uses skills learnt: Often") == pytest.approx(100 * 3 / 7)


def test_formality(tables):
    table = tables["formality"]
    assert cell(table, "Formal (employees and self-employed)") == pytest.approx(50.0)
    assert cell(table, "Formal (employees and self-employed)", column="n") == 6
    assert cell(table, "Formal employees") == SUPPRESSED  # 3 employees


def test_earnings_skip_logic_is_not_zero(tables):
    table = tables["earnings"]
    # XOF: 50, 100, 150, 200, 300 — the unemployed (not asked) and the skipped are left out
    assert cell(table, "Median monthly earnings (XOF)") == pytest.approx(150.0)
    assert cell(table, "Median monthly earnings (XOF)", column="n") == 5
    assert cell(table, "Median monthly earnings (USD)") == SUPPRESSED
    assert cell(table, "Median change vs baseline earnings (XOF)", column="n") == 1


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
    assert cell(table, "Expectation met: yes", breakdown="expectation",
                group="start_business") == SUPPRESSED


def test_unknown_programme_and_cohort(tmp_path):
    url = f"sqlite:///{tmp_path / 'fixture.db'}"
    build_fixture_database(url)
    with pytest.raises(UnknownProgrammeError, match="known programmes: other, weld"):
        build_report(url, "nope", as_of=AS_OF)
    with pytest.raises(UnknownProgrammeError, match="no cohort"):
        build_report(url, "weld", "1999", as_of=AS_OF)
