"""Acceptance (issue 14): every indicator of ``docs/indicators.md``, computed by hand from
``acceptance_helpers`` (plain arithmetic below, trainee ids in the comments), against the
CSV files of ``tracer report``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from analytics.cpi import read_cpi
from analytics.render import write_report
from analytics.report import build_report
from tests.analytics.acceptance_helpers import AS_OF, CPI_CSV, build_acceptance_database
from tests.analytics.disclosure_attack import recover_hidden_cells

ROOT = Path(__file__).resolve().parents[2]
FU6 = "followup_6"
REG = "cohort file"
PANEL = "followup_6→followup_12"
X = "x"  # the suppression mark

# Follow-up weights (cohort × completion × sex × age band, at least 2 respondents per cell):
# completed women 20-24: 16 due / 14 answered; dropouts (women 17-20 had 1 respondent, the
# lone man 35+ 40 had none: merged into all dropouts) 9 / 3 (17, 29, 30); completed women
# 30-34: 4 / 3; completed men (35+ had one: merged with 20-24) 9 / 7; men without a status
# in the cohort file 2 / 2. No weight exceeds 3.5 × the mean (40 / 29): no trimming.
W = {
    **{i: 16 / 14 for i in range(1, 15)},
    **{i: 3.0 for i in (17, 29, 30)},
    **{i: 4 / 3 for i in (35, 36, 37)},
    **{i: 9 / 7 for i in (21, 22, 23, 24, 25, 26, 39)},
    33: 1.0,
    34: 1.0,
}
EMPLOYED = [1, 2, 3, 4, 5, 6, 7, 8, 13, 21, 22, 23, 26, 29, 33, 35, 36, 37, 39]  # 19 of 29


def wilson(count: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


# doc name → [(indicator in the CSV, wave, column, expected[, breakdown, group])]
HAND: dict[str, list[tuple]] = {
    "Response rate": [],  # checked in test_response_rates
    "Completion rate (cohort file)": [
        # completed 1-16, 21-28, 35-39 = 29; dropped out 17-20, 29-32, 40 = 9; 33-34 unknown.
        # Exit respondents would say 25 of 28 (17 says completed): not used.
        ("Completion rate (cohort file)", REG, "value", 100 * 29 / 38),
        ("Completion rate (cohort file)", REG, "n", 38),
        ("Completion rate (cohort file)", REG, "ci_low", wilson(29, 38)[0]),
        ("Completion rate (cohort file)", REG, "ci_high", wilson(29, 38)[1]),
    ],
    "Dropout rate (cohort file)": [("Dropout rate (cohort file)", REG, "value", 100 * 9 / 38)],
    "Completion status missing from the cohort file": [
        ("Completion status missing from the cohort file", REG, "value", 100 * 2 / 40)
    ],
    # dropouts who answered the reason: 18, 29, 30 → 3 < 5
    "Dropout reason: <reason>": [("Dropout reason: Money problems", "exit", "value", X)],
    "Employment rate (employed / respondents)": [
        ("Employment rate", FU6, "value", 100 * 19 / 29),
        ("Employment rate", FU6, "count", 19),
        (
            "Employment rate",
            FU6,
            "value_weighted",
            100 * (9 * 16 / 14 + 3 * 4 / 3 + 5 * 9 / 7 + 3 + 1) / 40,
        ),
        ("Employment rate", FU6, "n_eff", 40**2 / sum(w * w for w in W.values())),
        ("Employment rate", FU6, "deff", 29 / (40**2 / sum(w * w for w in W.values()))),
    ],
    # unemployed 9, 10, 14, 24, 30; labour force 19 + 5
    "Unemployment rate (unemployed / labour force)": [
        ("Unemployment rate", FU6, "value", 100 * 5 / 24),
        ("Unemployment rate", FU6, "n", 24),
    ],
    # outside: 11, 12, 17, 25, 34
    "Outside the labour force (inactivity rate)": [
        ("Outside the labour force", FU6, "value", 100 * 5 / 29)
    ],
    # not employed and not studying: 9, 10, 12, 14, 17, 24, 30, 34 (11 and 25 study)
    "NEET rate, all respondents": [("NEET rate, all", FU6, "value", 100 * 8 / 29)],
    # youth = 20-24 (everyone but 35, 36, 37, 39): 25 respondents, all 8 NEET among them
    "NEET rate, youth 15-24 (SDG 8.6.1)": [
        ("NEET rate, youth", FU6, "value", 100 * 8 / 25),
        ("NEET rate, youth", FU6, "n", 25),
    ],
    # employees 1, 2, 3, 4, 13, 21, 22, 29, 33, 35, 37; employer 36; own-account 5, 6, 23,
    # 39; family workers 7, 8, 26
    "Wage employment (employees)": [("Wage employment", FU6, "value", 100 * 11 / 19)],
    "Self-employment (employers + own-account)": [("Self-employment", FU6, "value", 100 * 5 / 19)],
    "Contributing family workers": [("Contributing family workers", FU6, "value", 100 * 3 / 19)],
    # spells (kept jobs 3 and 36 left out): 27; first jobs at months 0 (33), 1 (4, 21, 35, 39),
    # 2 (1, 7, 22, 29, 37), 3 (2, 10, 23), 4 (5, 26), 5 (6, 30), 6 (8), 8 (13); censored at 6:
    # 9, 11, 12, 14, 17, 24, 25, 34. S(t) = 26/27, 22/27, 17/27, 14/27, 12/27, 10/27, then at 6
    # × 9/10 = 9/27: median 4 (first S ≤ 1/2); within 6 months 1 − 9/27.
    "Median months to first job (Kaplan-Meier)": [
        ("Median months to first job", FU6, "value", 4.0),
        ("Median months to first job", FU6, "n", 27),
    ],
    "First job within 6 months (Kaplan-Meier)": [
        ("First job within 6 months", FU6, "value", 100 * (1 - 9 / 27)),
        ("First job within 6 months", FU6, "count", 18),
    ],
    "Still without a first job (censored)": [
        ("Still without a first job", FU6, "value", 100 * 8 / 27)
    ],
    "Kept a job held before the training": [
        ("Kept a job held before the training", FU6, "value", 100 * 2 / 29)
    ],
    # same field 1, 3, 5, 13, 21, 22, 35, 36, 39; related 2, 4, 29, 33
    "Job in the same or a related field": [
        ("Job in the same or a related field", FU6, "value", 100 * 13 / 19)
    ],
    "Job relevance: <category>": [("Job relevance: Not related", FU6, "value", 100 * 6 / 19)],
    # often: 1, 3, 13, 21, 35, 36
    "Uses skills learnt: <frequency>": [("Uses skills learnt: Often", FU6, "value", 100 * 6 / 19)],
    # employees with social security 1, 3, 13, 21 (verbal contract: still formal), 22, 33, 35;
    # registered 5, 36, 39; family workers informal, in the denominator
    "Formal (all employed, family workers informal)": [
        ("Formal (all employed", FU6, "value", 100 * 10 / 19),
        ("Formal (all employed", FU6, "n", 19),
    ],
    "Formal employees (social security or paid leave)": [
        ("Formal employees", FU6, "value", 100 * 7 / 11)
    ],
    "Registered businesses (self-employed)": [("Registered businesses", FU6, "value", 100 * 3 / 5)],
    # XOF: 50 100 120 150 150 180 200 200 250 250 300 300 400 500 (6, 8, 26 skipped)
    "Median monthly earnings (<currency>)": [
        ("Median monthly earnings (XOF)", FU6, "value", (200 + 200) / 2),
        ("Median monthly earnings (XOF)", FU6, "n", 14),
        ("Median monthly earnings (USD)", FU6, "value", X),
    ],
    # amounts: 14 in XOF, 1 in USD (37), 1 without a currency (39)
    "Earnings given without a currency (not used)": [
        ("Earnings given without a currency", FU6, "value", 100 * 1 / 16)
    ],
    # baseline amounts: 3 (+80), 4 (−50), 14 (no work now: −100), 22 (+50), 29 (0), 35 (+100),
    # 36 (+100); 37 now earns USD: not compared; 6 skipped it; 7 (student) was not asked
    "Median change vs baseline earnings (<currency>)": [
        ("Median change vs baseline earnings (XOF)", FU6, "value", 50.0),
        ("Median change vs baseline earnings (XOF)", FU6, "n", 7),
    ],
    "Earns more than before training (<currency>)": [
        ("Earns more than before training (XOF)", FU6, "value", 100 * 4 / 7)
    ],
    # in baseline-month prices (CPI 100 in 2024-03, 125 carried from 2025-07 to 2025-08):
    # follow-up × 100 / 125 − baseline: 3 (144 − 100 = 44), 4 (200 − 300 = −100), 14 (0 − 100),
    # 22 (240 − 250 = −10), 29 (120 − 150 = −30), 35 (400 − 400 = 0), 36 (240 − 200 = 40)
    "Median real change vs baseline earnings (<currency>)": [
        ("Median real change vs baseline earnings (XOF, baseline prices)", FU6, "value", -10.0),
        ("Median real change vs baseline earnings (XOF, baseline prices)", FU6, "n", 7),
    ],
    "Earns more than before training in real terms (<currency>)": [
        ("Earns more than before training in real terms (XOF)", FU6, "value", 100 * 2 / 7)
    ],
    # studying now: 5, 11, 21, 25
    "In education or training": [("In education or training", FU6, "value", 100 * 4 / 29)],
    # exit ratings of 28 respondents sum to 50 + 3 + 1 + 21 + 2 + 1 + 16 = 94; 4-5: 14
    "<rating>: mean": [
        ("Satisfaction with training: mean", "exit", "value", 94 / 28),
        ("Usefulness of training for work: mean", "exit", "value", (13 * 4 + 2) / 14),
        ("Satisfaction with training (looking back): mean", FU6, "value", (19 * 4 + 10 * 2) / 29),
    ],
    "<rating>: rated 4-5": [
        ("Satisfaction with training: rated 4-5", "exit", "value", 100 * 14 / 28),
        ("Satisfaction with training (looking back): rated 4-5", FU6, "value", 100 * 19 / 29),
    ],
    # exit: 24 of 28 would recommend (not 6, 14, 18, 30); 1-7 of 1-14 had an internship;
    # practice about half for 1-10 of 1-14 and 21-26; equipment most missing for 1-5 of 1-14
    "Would recommend the training": [
        ("Would recommend the training", "exit", "value", 100 * 24 / 28)
    ],
    "Internship or apprenticeship in a company": [
        ("Internship or apprenticeship", "exit", "value", 100 * 7 / 14)
    ],
    "Share of practical work: <share>": [
        ("Share of practical work: About half", "exit", "value", 100 * 10 / 20)
    ],
    "What was most missing: <item>": [
        ("What was most missing: Equipment", "exit", "value", 100 * 5 / 14)
    ],
    # 19 employed: 40 hours but 7, 8 (20) and 26 (30, given with an hourly pay)
    "Usual hours per week (employed): mean": [
        ("Usual hours per week", FU6, "value", (16 * 40 + 20 + 20 + 30) / 19)
    ],
    # did not look for work: 11 and 25 studying, 12 care, 17 other, 34 discouraged
    "Main reason for not looking for work: <reason>": [
        ("Main reason for not looking for work: Studying", FU6, "value", 100 * 2 / 5)
    ],
    # expected months (get a job): within for 1, 7, 10, 21, 22, 26, 33; not for 2, 8, 13, 30
    # (later) and 9, 24 (still searching at 6 > expected); 17 (expects 12, censored at 6): unknown
    "Found a first job within the months expected": [
        ("Found a first job within the months expected", FU6, "value", 100 * 7 / 13)
    ],
    # found − expected: −1 +1 −4 +3 −3 +2 0 0 −2 +2 −1 → median 0 of 11
    "Months to first job minus months expected: median": [
        ("Months to first job minus months expected", FU6, "value", 0.0),
        ("Months to first job minus months expected", FU6, "n", 11),
    ],
    # employed with both amounts in XOF: 1 +50, 2 −50, 4 −50, 13 +100, 21 0, 22 −100, 35 +100
    # (9 not employed, 37 earns USD, 23 expected USD: left out)
    "Earnings minus expected earnings (<currency>): median": [
        ("Earnings minus expected earnings (XOF)", FU6, "value", 0.0),
        ("Earnings minus expected earnings (XOF)", FU6, "n", 7),
    ],
    "Earns at least the expected amount (<currency>)": [
        ("Earns at least the expected amount (XOF)", FU6, "value", 100 * 4 / 7)
    ],
    # 6-month respondents (29, all due at 12); at 12: employed 1, 9, 24; unemployed 21;
    # outside 11, 34; the 23 others did not answer
    "<status> at <later wave>": [
        ("Employed at followup_12", PANEL, "value", 100 * 3 / 29),
        ("Unemployed at followup_12", PANEL, "value", 100 * 1 / 29),
        ("Outside the labour force at followup_12", PANEL, "value", 100 * 2 / 29),
        (
            "Employed at followup_12",
            PANEL,
            "value",
            100 * 2 / 5,
            "status at followup_6",
            "unemployed",
        ),
        (
            "Employed at followup_12",
            PANEL,
            "value",
            100 * 1 / 19,
            "status at followup_6",
            "employed",
        ),
    ],
    "No answer at <later wave> (attrition)": [
        ("No answer at followup_12", PANEL, "value", 100 * 23 / 29),
        (
            "No answer at followup_12",
            PANEL,
            "value",
            100 * 17 / 19,
            "status at followup_6",
            "employed",
        ),
    ],
    # employed at 6 months with both codes: 1 2 3 4 13 21 22; same unit group 1 3 4 13 22
    "Working in the occupation wished at baseline (ISCO-08 unit group)": [
        ("Working in the occupation wished at baseline", FU6, "value", 100 * 5 / 7),
        ("Working in the occupation wished at baseline", FU6, "n", 7),
    ],
    # due at 6 months: 29 respondents, 11 not (15 16 18 19 20 27 28 31 32 38 40)
    "Women (cohort file)": [
        ("Women (cohort file)", FU6, "value", 100 * 18 / 29, "response", "respondents"),
        ("Women (cohort file)", FU6, "value", 100 * 6 / 11, "response", "non-respondents"),
    ],
    "Completed the training (cohort file)": [
        ("Completed the training", FU6, "value", 100 * 24 / 27, "response", "respondents"),
        ("Completed the training", FU6, "value", 100 * 5 / 11, "response", "non-respondents"),
    ],
    "Aged under 25 (cohort file)": [
        ("Aged under 25", FU6, "value", 100 * 25 / 29, "response", "respondents"),
        ("Aged under 25", FU6, "value", 100 * 9 / 11, "response", "non-respondents"),
    ],
    # baseline: 9 of 29 respondents worked (3 4 6 14 22 29 35 36 37); 15, 18, 27 (3 < 5):
    # hidden, and so the respondents' row too (else 9/32 − 9/29 gives 0/3)
    "Worked before the training (baseline)": [
        ("Worked before the training", FU6, "value", 100 * 9 / 32),
        ("Worked before the training", FU6, "value", X, "response", "non-respondents"),
        ("Worked before the training", FU6, "value", X, "response", "respondents"),
    ],
}
# expectation groups (breakdown "expectation"): (indicator, group, column, expected)
EXPECTATIONS: dict[str, list[tuple[str, str, str, object]]] = {
    # get a job: 1 2 7 8 9 10 13 17 21 22 24 26 30 33 — yes 1 7 13 21 22 33, partly 2 8 26
    "Expectation met: yes / partly / no": [
        ("Expectation met: yes", "get_job", "value", 100 * 6 / 14),
        ("Expectation met: partly", "get_job", "value", 100 * 3 / 14),
        ("Expectation met: no", "get_job", "value", 100 * 5 / 14),
        ("Expectation met: yes", "learn_skill", "value", X),
    ],  # 11, 25, 34
    "Objective check: <check>": [
        ("Objective check: employed", "get_job", "value", 100 * 9 / 14),
        # earn more: 3 and 35 earn more; 4, 14, 29 do not; 37 (USD) unknown
        ("Objective check: earns more", "earn_more", "value", 100 * 2 / 5),
        ("Objective check: self-employed", "start_business", "value", 100 * 5 / 5),
        # exact interval for 5 of 5: lower bound 0.025^(1/5)
        ("Objective check: self-employed", "start_business", "ci_low", 100 * 0.025 ** (1 / 5)),
        ("Objective check: certificate", "get_certificate", "value", X),
    ],
}


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("acceptance")
    url = f"sqlite:///{folder / 'acc.db'}"
    build_acceptance_database(url)
    (folder / "cpi.csv").write_text(CPI_CSV, encoding="utf-8")
    report = build_report(url, "acc", as_of=AS_OF, cpi=read_cpi(folder / "cpi.csv"))
    write_report(report, "csv", folder / "csv")
    return folder / "csv"


def read(csv_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(csv_dir / f"{name}.csv", dtype=str, keep_default_na=False)


def figure(
    csv_dir: Path,
    indicator: str,
    wave: str,
    column: str,
    breakdown: str = "all",
    group: str = "all",
) -> object:
    for path in sorted(csv_dir.glob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "indicator" not in table.columns:
            continue
        rows = table[
            table["indicator"].str.startswith(indicator)
            & (table["wave"] == wave)
            & (table["breakdown"] == breakdown)
            & (table["group"] == group)
        ]
        if len(rows):
            assert len(rows) == 1, f"{indicator} {wave} {breakdown}={group}"
            text = rows[column].iloc[0]
            return text if text == X else float(text)
    raise AssertionError(f"no row for {indicator} {wave} {breakdown}={group}")


def _check(actual: object, expected: object, label: str) -> None:
    if expected == X:
        assert actual == X, label
    else:
        assert actual == pytest.approx(expected, rel=1e-6), label


def documented_indicators() -> list[str]:
    """Indicator names of the table in docs/indicators.md (first column, in backquotes)."""
    text = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE)


def test_every_documented_indicator_is_checked_by_hand():
    documented = documented_indicators()
    assert len(documented) >= 30
    assert sorted(documented) == sorted([*HAND, *EXPECTATIONS])


@pytest.mark.parametrize("name", sorted(HAND))
def test_indicator_matches_the_hand_computation(csv_dir: Path, name: str):
    for indicator, wave, column, expected, *where in HAND[name]:
        _check(
            figure(csv_dir, indicator, wave, column, *where),
            expected,
            f"{indicator} {column} {where}",
        )


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_expectation_indicator_matches_the_hand_computation(csv_dir: Path, name: str):
    for indicator, group, column, expected in EXPECTATIONS[name]:
        actual = figure(csv_dir, indicator, FU6, column, "expectation", group)
        _check(actual, expected, f"{indicator} {group} {column}")


def test_response_rates(csv_dir: Path):
    table = read(csv_dir, "response").set_index(["wave", "breakdown", "group"])
    # baseline: the 29 follow-up respondents + 15, 18, 27; exit: 28; 6 months: 29; 12: 6
    assert table.loc[("baseline", "all", "all"), ["due", "responded"]].tolist() == ["40", "32"]
    assert float(table.loc[("exit", "all", "all"), "response_rate"]) == pytest.approx(70.0)
    assert float(table.loc[(FU6, "all", "all"), "response_rate"]) == pytest.approx(72.5)
    assert table.loc[("followup_12", "all", "all"), "responded"] == "6"
    # age 35+: 2 due (39, 40) → not printed; 30-34 (4 due) hidden too
    assert table.loc[(FU6, "age_band", "35+"), ["due", "responded", "response_rate"]].tolist() == [
        X,
        X,
        X,
    ]
    assert table.loc[(FU6, "age_band", "30-34"), "due"] == X


def test_answers_outside_the_fieldwork_window_are_left_out_and_counted(csv_dir: Path):
    # the fixture's late answers: 16's baseline on 2025-06-01 (the window closed on
    # 2024-04-01 + 30 days = 2024-05-01) and 15's 6-month answers on 2026-03-15 (month 14; the
    # window is 2025-07-15 + 3 months − 1 day = 2025-10-14). Every figure checked above is the
    # hand computation without them (they would make 33 baseline and 30 six-month
    # respondents, and 20 of 30 employed); here they are counted.
    late_baseline_answers = 5  # sex, birth year, activity, earnings, expectation
    late_followup_answers = 9 + 3  # the employee's 9 answers + study, expectation met, hours
    table = read(csv_dir, "response").set_index(["wave", "breakdown", "group"])
    assert table.loc[("baseline", "all", "all"), ["responded", "outside_window"]].tolist() == [
        "32",
        "1",
    ]
    assert table.loc[(FU6, "all", "all"), ["responded", "outside_window"]].tolist() == ["29", "1"]
    assert table.loc[("exit", "all", "all"), "outside_window"] == "0"
    assert table.loc[(FU6, "sex", "female"), "outside_window"] == ""  # totals only
    about = dict(read(csv_dir, "about").itertuples(index=False))
    total = late_baseline_answers + late_followup_answers
    assert about["outside fieldwork window"].startswith(
        f"{total} answers outside the fieldwork window were left out"
    )
    assert (
        f"baseline: 1 response(s), {late_baseline_answers} answers"
        in about["outside fieldwork window"]
    )
    assert (
        f"{FU6}: 1 response(s), {late_followup_answers} answers"
        in about["outside fieldwork window"]
    )
    assert figure(csv_dir, "Employment rate", FU6, "n") == 29
    assert figure(csv_dir, "Employment rate", FU6, "count") == 19


def test_lone_respondent_is_hidden_with_its_complement(csv_dir: Path):
    # 39 is the only respondent aged 35+: hidden, and so is the 30-34 group (n = 3), so that
    # neither can be had as all − 20-24 − the other
    for group in ("35+", "30-34"):
        for column in ("n", "count", "value", "ci_low", "value_weighted", "deff", "due"):
            assert figure(csv_dir, "Employment rate", FU6, column, "age_band", group) == X
    assert figure(csv_dir, "Employment rate", FU6, "n", "age_band", "20-24") == 25


def test_weighted_figure_reports_effective_n(csv_dir: Path):
    n_eff = figure(csv_dir, "Employment rate", FU6, "n_eff")
    assert n_eff < 29
    low, high = (
        figure(csv_dir, "Employment rate", FU6, c) for c in ("ci_low_weighted", "ci_high_weighted")
    )
    weighted = figure(csv_dir, "Employment rate", FU6, "value_weighted")
    assert low < weighted < high


def test_no_hidden_cell_of_the_fixture_can_be_recovered(csv_dir: Path):
    tables = {p.stem: read(csv_dir, p.stem) for p in csv_dir.glob("*.csv") if p.stem != "about"}
    assert recover_hidden_cells(tables) == []


def test_a_later_wave_does_not_read_an_earlier_waves_job_answers(tmp_path: Path):
    # 21 was an employee with social security at 6 months and is unemployed at 12: at 12 he
    # has no contract, no social security and no formality (the 6-month answers stay at 6)
    from analytics.dataset import load_dataset
    from analytics.derive import followup_frame

    url = f"sqlite:///{tmp_path / 'acc.db'}"
    build_acceptance_database(url)
    dataset = load_dataset(url, "acc", as_of=AS_OF)
    rows = followup_frame(dataset.people, dataset.responses).set_index(["trainee_id", "wave"])
    at_6, at_12 = rows.loc[(21, FU6)], rows.loc[(21, "followup_12")]
    assert (at_6["labour_status"], at_6["formality"]) == ("employed", "formal")
    assert at_12["labour_status"] == "unemployed"
    for column in ("fu_social_security", "fu_contract", "formality", "fu_earnings"):
        assert pd.isna(at_12[column]), column


def test_the_cpi_file_is_checked_politely(tmp_path: Path):
    from analytics.cpi import CpiError

    bad = tmp_path / "bad.csv"
    for text, message in (
        ("year,month,index\n2024,13,100\n", "line 2: month 1-12"),
        ("year,month,index\n2024,3,abc\n", "line 2: year, month and index must be numbers"),
        ("year,month,index\n2024,3,100\n2024,3,101\n", "line 3: the month 3/2024 is given twice"),
        ("year,month,index\n", "no rows"),
    ):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(CpiError, match=message):
            read_cpi(bad)
