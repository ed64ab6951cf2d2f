"""Issue 25 in the report and the export: earnings typed per day or week count at their monthly
equivalent, and both say how many amounts were converted from another pay period."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.anonymise.codebook import codebook, codebook_markdown
from analytics.anonymise.config import default_rules, rules_from_mapping
from analytics.anonymise.pipeline import anonymise
from analytics.report import build_report
from bot.answers import parse_answer
from bot.config import load_settings
from bot.questionnaire.loader import default_questionnaire
from bot.storage.repository import TracerStore
from bot.survey.amounts import with_time_worked
from tests.analytics.helpers import AS_OF, build_fixture_database

# trainee → (typed at follow-up, days worked per week or None); the fixture's other XOF amounts
# (trainees 7 and 13) stay 150 and 50 per month.
TYPED = {
    1: ("2000 FCFA par jour", 5),
    3: ("1000 FCFA par jour", 6),
    11: ("300 FCFA par semaine", 5),
}
MONTHLY = {1: 2000 * 5 * 52 / 12, 3: 1000 * 6 * 52 / 12, 11: 300 * 52 / 12}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    workdir = tmp_path_factory.mktemp("monthly")
    url = f"sqlite:///{workdir / 'fixture.db'}"
    build_fixture_database(url)
    settings = load_settings(
        {
            "TRACER_ENV_FILE": str(workdir / "none.env"),
            "TRACER_SECRET_KEY": "k",
            "TRACER_DATABASE_URL": url,
            "TRACER_ENCRYPTION_KEY": "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U=",
        }
    )
    store = TracerStore(settings)
    question = default_questionnaire().question("fu_earnings")
    for trainee_id, (text, days) in TYPED.items():
        value = parse_answer(question, text, "fr").value
        value = with_time_worked(value, "days_per_week", days)
        store.update_money_answer(trainee_id, "followup_6", "fu_earnings", value)
    return url


def _row(table: pd.DataFrame, indicator: str) -> pd.Series:
    rows = table[(table["indicator"] == indicator) & (table["breakdown"] == "all")]
    assert len(rows) == 1, indicator
    return rows.iloc[0]


def test_the_report_uses_monthly_equivalents_and_counts_the_conversions(database):
    earnings = build_report(database, "weld", as_of=AS_OF).tables["earnings"]
    median = _row(earnings, "Median monthly earnings (XOF)")
    expected = sorted([MONTHLY[1], MONTHLY[3], MONTHLY[11], 150.0, 50.0])[2]
    assert median["value"] == pytest.approx(expected)
    converted = _row(earnings, "Amounts converted to monthly from another pay period (XOF)")
    assert (converted["count"], converted["n"]) == (3, 5)


def test_the_export_carries_the_monthly_amount_the_period_and_the_rule(database):
    rules = rules_from_mapping(
        default_rules(default_questionnaire()), {"k": 2, "max_suppression": 1.0}
    )  # a 13-trainee fixture: disclosure control is not what is tested here
    release = anonymise(database, "weld", secret="s", waves=["followup_6"], rules=rules)
    frame = release.frame()
    amounts = sorted(frame["fu_earnings_f6"].dropna().round(2))
    assert amounts[-1] <= max(MONTHLY.values())  # top-coded, but monthly, not per day
    assert pytest.approx(MONTHLY[3], abs=0.01) in amounts
    periods = [p for p in frame["fu_earnings_f6_per"].dropna() if not p.startswith(".")]
    # the one USD amount is suppressed as a rare currency
    assert sorted(periods) == ["day", "day", "month", "month", "week"]
    recoding = release.table.variables["fu_earnings_f6"].recoding
    assert any("3 amounts converted from another pay period" in r for r in recoding)
    book = codebook(
        release.table,
        {
            "programme": "weld",
            "layout": "wide",
            "waves": [],
            "generated_at": "now",
            "questionnaire_version": "1",
        },
    )
    assert "× days worked in a usual week × 52/12" in codebook_markdown(book)
