"""Report tables on status: completion (cohort file), labour-market status, status in
employment, time to first job, job match and formality. Each function takes the
:class:`analytics.indicators.IndicatorBuilder` and returns its rows; definitions in
``docs/indicators.md``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analytics.derive import SELF_EMPLOYED, YOUTH_BANDS
from analytics.stats import summarise
from analytics.survival import WITHIN_MONTHS, km_rows
from bot.questionnaire.waves import EXIT

if TYPE_CHECKING:
    from analytics.indicators import IndicatorBuilder

REGISTRY = "cohort file"  # the "wave" of figures from the cohort import, not from a survey


def completion_table(b: IndicatorBuilder) -> list[dict]:
    """Completion and dropout rates from the cohort file (all trainees whose training has
    ended, not only exit respondents); dropout reasons (exit respondents who dropped out)."""
    people = b.ds.people
    columns = [*b.breakdowns, "registered_completion"]
    ended = people.loc[b.ds.due[EXIT].to_numpy(dtype=bool), columns]
    status = ended["registered_completion"].where(
        ended["registered_completion"].isin(["completed", "dropped_out"])
    )
    known = status.notna()
    ones = pd.Series(1.0, index=ended.index)
    breakdowns = tuple(x for x in b.breakdowns if x != "completion")
    rows: list[dict] = []
    for label, values, by in (
        ("Completion rate (cohort file)", (status == "completed").where(known), breakdowns),
        ("Dropout rate (cohort file)", (status == "dropped_out").where(known), breakdowns),
        ("Completion status missing from the cohort file", ~known, ("cohort",)),
    ):
        result = summarise(ended, "share", values, ones, by)
        rows += b.label_rows(result, label, "% of trainees", REGISTRY)
    frame = b.exit
    reasons = frame["ex_dropout_reason"]
    dropped = frame["completion"] == "dropped_out"
    for reason in b.choices("ex_dropout_reason"):
        rows += b.rows(
            frame,
            EXIT,
            f"Dropout reason: {b.label('ex_dropout_reason', reason)}",
            "% of dropouts",
            "share",
            (reasons == reason).where(reasons.notna()),
            eligible=dropped,
            breakdowns=(),
        )
    return rows


def labour_table(b: IndicatorBuilder) -> list[dict]:
    """Employment-to-population ratio, unemployment rate and inactivity per follow-up."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        status = frame["labour_status"]
        known = status.notna()
        in_force = status.isin(["employed", "unemployed"])
        for label, share in (
            ("Employment rate (employed / respondents)", (status == "employed").where(known)),
            (
                "Unemployment rate (unemployed / labour force)",
                (status == "unemployed").where(in_force),
            ),
            ("Outside the labour force (inactivity rate)", (status == "outside").where(known)),
        ):
            rows += b.rows(frame, wave, label, "%", "share", share)
        neet = frame["neet"]
        rows += b.rows(
            frame,
            wave,
            "NEET rate, youth 15-24 (SDG 8.6.1)",
            "%",
            "share",
            neet,
            eligible=frame["age_band"].isin(YOUTH_BANDS),
        )
        rows += b.rows(frame, wave, "NEET rate, all respondents", "%", "share", neet)
    return rows


def employment_type_table(b: IndicatorBuilder) -> list[dict]:
    """Status in employment (ICSE-18) among the employed."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        status = frame["fu_status_in_employment"]
        known = status.notna() & (frame["labour_status"] == "employed")
        for label, codes in (
            ("Wage employment (employees)", ("employee",)),
            ("Self-employment (employers + own-account)", SELF_EMPLOYED),
            ("Contributing family workers", ("family_worker",)),
        ):
            rows += b.rows(
                frame, wave, label, "% of employed", "share", status.isin(codes).where(known)
            )
    return rows


def first_job_table(b: IndicatorBuilder) -> list[dict]:
    """Time to first job (Kaplan–Meier, censored at the wave's month for those still
    without a first job); share still without one; share who kept a pre-training job."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        weights = b.weights_for(frame, wave)
        medians, shares = km_rows(
            frame, frame["job_months"], frame["job_event"], weights, b.breakdowns
        )
        rows += b.label_rows(medians, "Median months to first job (Kaplan-Meier)", "months", wave)
        rows += b.label_rows(
            shares, f"First job within {WITHIN_MONTHS} months (Kaplan-Meier)", "%", wave
        )
        rows += b.rows(
            frame,
            wave,
            "Still without a first job (censored)",
            "%",
            "share",
            frame["no_job_yet"].astype(object),
        )
        rows += b.rows(
            frame,
            wave,
            "Kept a job held before the training",
            "%",
            "share",
            frame["kept_job"].astype(object),
        )
    return rows


def job_match_table(b: IndicatorBuilder) -> list[dict]:
    """Relevance of the job to the training and use of the skills (employed)."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        relevance = frame["fu_job_relevance"]
        known = relevance.notna()
        rows += b.rows(
            frame,
            wave,
            "Job in the same or a related field",
            "% of employed",
            "share",
            relevance.isin(["same_field", "related_field"]).where(known),
        )
        for code in b.choices("fu_job_relevance"):
            label = f"Job relevance: {b.label('fu_job_relevance', code)}"
            rows += b.rows(
                frame, wave, label, "% of employed", "share", (relevance == code).where(known)
            )
        skills = frame["fu_skills_use"]
        for code in b.choices("fu_skills_use"):
            label = f"Uses skills learnt: {b.label('fu_skills_use', code)}"
            rows += b.rows(
                frame,
                wave,
                label,
                "% of employed",
                "share",
                (skills == code).where(skills.notna()),
            )
    return rows


def formality_table(b: IndicatorBuilder) -> list[dict]:
    """Formal employment (ILO): all employed (family workers informal), employees, the
    self-employed."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        formal = (frame["formality"] == "formal").where(frame["formality"].notna())
        status = frame["fu_status_in_employment"]
        rows += b.rows(
            frame,
            wave,
            "Formal (all employed, family workers informal)",
            "% of employed",
            "share",
            formal,
        )
        rows += b.rows(
            frame,
            wave,
            "Formal employees (social security or paid leave)",
            "% of employees",
            "share",
            formal,
            eligible=status == "employee",
        )
        rows += b.rows(
            frame,
            wave,
            "Registered businesses (self-employed)",
            "% of self-employed",
            "share",
            formal,
            eligible=status.isin(SELF_EMPLOYED),
        )
    return rows
