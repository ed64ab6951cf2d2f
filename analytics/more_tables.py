"""Tables of items collected but not in the core tables: the training as received, job
hours and reasons for inactivity, expectations against outcomes on the same scale, the panel
between follow-ups and respondents against non-respondents.

Each function takes the :class:`analytics.indicators.IndicatorBuilder` and returns its rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analytics.derive import UNKNOWN
from analytics.occupation_match import CURRENT, DESIRED, isco_codes
from analytics.stats import summarise
from bot.questionnaire.waves import EXIT

if TYPE_CHECKING:
    from analytics.indicators import IndicatorBuilder

STATUSES = ("employed", "unemployed", "outside")
BY_COHORT = ("cohort",)  # these items by cohort only (the expectation gap per cohort)
STATUS_LABELS = {
    "employed": "Employed",
    "unemployed": "Unemployed",
    "outside": "Outside the labour force",
}


def _yes(values: pd.Series) -> pd.Series:
    return (values == "yes").where(values.notna())


def distribution(
    b: IndicatorBuilder, frame: pd.DataFrame, wave: str, code: str, prefix: str, unit: str
) -> list[dict]:
    """One share per choice of question ``code`` among those who answered it (all only)."""
    answers = frame[code]
    rows: list[dict] = []
    for choice in b.choices(code):
        rows += b.rows(
            frame,
            wave,
            f"{prefix}: {b.label(code, choice)}",
            unit,
            "share",
            (answers == choice).where(answers.notna()),
            breakdowns=(),
        )
    return rows


def training_table(b: IndicatorBuilder) -> list[dict]:
    """Exit: would recommend, workplace learning, share of practice, what was most missing."""
    frame = b.exit
    rows = b.rows(
        frame,
        EXIT,
        "Would recommend the training",
        "%",
        "share",
        _yes(frame["ex_recommend"]),
        breakdowns=BY_COHORT,
    )
    rows += b.rows(
        frame,
        EXIT,
        "Internship or apprenticeship in a company",
        "%",
        "share",
        _yes(frame["ex_workplace_learning"]),
        breakdowns=BY_COHORT,
    )
    for code in ("ex_practice_share", "ex_missing"):
        rows += distribution(b, frame, EXIT, code, b.label_question(code), "%")
    return rows


def work_table(b: IndicatorBuilder) -> list[dict]:
    """Follow-up: usual hours of the employed; main reason for not looking for work."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        employed = frame["labour_status"] == "employed"
        rows += b.rows(
            frame,
            wave,
            "Usual hours per week (employed): mean",
            "hours",
            "mean",
            frame["usual_hours"],
            eligible=employed,
            breakdowns=BY_COHORT,
        )
        rows += distribution(
            b,
            frame,
            wave,
            "fu_inactive_reason",
            "Main reason for not looking for work",
            "% who did not look",
        )
    return rows


def expectation_gap_table(b: IndicatorBuilder) -> list[dict]:
    """The same trainee's baseline expectation against the follow-up outcome, on one scale."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        expected = frame["bl_expected_months_to_job"]
        months, event = frame["job_months"], frame["job_event"]
        found = event.eq(True) & expected.notna()
        late = event.eq(False) & expected.notna() & (months > expected)
        within = pd.Series(np.nan, index=frame.index, dtype=object)
        within[found] = (months <= expected)[found]
        within[late] = False
        rows += b.rows(
            frame,
            wave,
            "Found a first job within the months expected",
            "%",
            "share",
            within,
            breakdowns=BY_COHORT,
        )
        rows += b.rows(
            frame,
            wave,
            "Months to first job minus months expected: median",
            "months",
            "median",
            (months - expected).where(found),
            breakdowns=BY_COHORT,
        )
        wished = frame["bl_expected_earnings"]
        currency = frame["bl_expected_earnings_currency"].astype(object)
        same = (frame["labour_status"] == "employed") & (
            frame["fu_earnings_currency"].astype(object) == currency
        )
        gap = (frame["fu_earnings"] - wished).where(same & wished.notna())
        for code in sorted({str(c) for c in currency[gap.notna()].unique()}):
            mine = currency == code
            rows += b.rows(
                frame,
                wave,
                f"Earnings minus expected earnings ({code}): median",
                code,
                "median",
                gap,
                eligible=mine,
                breakdowns=BY_COHORT,
            )
            rows += b.rows(
                frame,
                wave,
                f"Earns at least the expected amount ({code})",
                "%",
                "share",
                (gap >= 0).where(gap.notna()).astype(object),
                eligible=mine,
                breakdowns=BY_COHORT,
            )
        rows += _occupation_rows(b, frame, wave)
    return rows


def _occupation_rows(b: IndicatorBuilder, frame: pd.DataFrame, wave: str) -> list[dict]:
    """The occupation wished at baseline against the one found (both coded to ISCO-08 with
    the trainee or by an officer): same 4-digit unit group, among the employed with both."""
    isco = b.ds.isco
    wished = isco_codes(isco, DESIRED, frame["trainee_id"])
    found = isco_codes(isco, CURRENT, frame["trainee_id"], frame["wave"])
    both = wished.notna() & found.notna() & (frame["labour_status"] == "employed")
    return b.rows(
        frame,
        wave,
        "Working in the occupation wished at baseline (ISCO-08 unit group)",
        "% of employed with both coded",
        "share",
        (wished == found).where(both).astype(object),
        breakdowns=BY_COHORT,
    )


def panel_table(b: IndicatorBuilder) -> list[dict]:
    """Status at the next follow-up of each status at the previous one, with attrition.

    Population: respondents of the earlier wave with a known status who are due for the later
    one; the four shares (three statuses and no answer) add up to 100 %.
    """
    rows: list[dict] = []
    due = b.ds.due
    for earlier, later in zip(b.followup_waves, b.followup_waves[1:], strict=False):
        first = b.followup(earlier)  # columns only: copying the wide frames costs
        ids = first["trainee_id"].to_numpy()
        before = first["labour_status"].to_numpy(dtype=object)
        keep = pd.notna(before) & due[later].reindex(ids).fillna(False).to_numpy(dtype=bool)
        ids, before = ids[keep], before[keep]
        later_rows = b.followup(later)
        second = pd.Series(
            later_rows["labour_status"].to_numpy(dtype=object),
            index=later_rows["trainee_id"].to_numpy(),
        )
        frame = pd.DataFrame(
            {
                "status_before": before,
                "status_after": second.reindex(ids).to_numpy(dtype=object),
                "answered": np.isin(ids, second.index.to_numpy()),
            },
        )
        ones = pd.Series(1.0, index=frame.index)
        wave = f"{earlier}→{later}"
        items = [(f"{STATUS_LABELS[s]} at {later}", frame["status_after"] == s) for s in STATUSES]
        items.append((f"No answer at {later} (attrition)", ~frame["answered"]))
        for label, values in items:
            result = summarise(frame, "share", values.astype(object), ones, ("status_before",))
            for row in result:
                if row["breakdown"] == "status_before":
                    row["breakdown"] = f"status at {earlier}"
            rows += b.label_rows(result, label, "%", wave)
    return rows


def nonresponse_table(b: IndicatorBuilder) -> list[dict]:
    """Respondents against non-respondents of each follow-up on what is known for both."""
    people = b.ds.people
    worked = (
        people["bl_activity_status"]
        .isin(["employee", "self_employed"])
        .where(people["bl_activity_status"].notna())
    )
    items = (
        ("Women (cohort file)", (people["w_sex"] == "female").where(people["w_sex"] != UNKNOWN)),
        (
            "Completed the training (cohort file)",
            (people["w_completion"] == "completed").where(people["w_completion"] != UNKNOWN),
        ),
        (
            "Aged under 25 (cohort file)",
            people["w_age_band"].isin(["under 20", "20-24"]).where(people["w_age_band"] != UNKNOWN),
        ),
        ("Worked before the training (baseline)", worked),
    )
    rows: list[dict] = []
    for wave in b.followup_waves:
        mask = b.ds.due[wave].to_numpy(dtype=bool)
        frame = pd.DataFrame(
            {"response": np.where(b.responded[wave][mask], "respondents", "non-respondents")},
            index=people.index[mask],
        )
        ones = pd.Series(1.0, index=frame.index)
        for label, values in items:
            result = summarise(frame, "share", values[mask].astype(object), ones, ("response",))
            rows += b.label_rows(result, label, "% of trainees due", wave)
    return rows
