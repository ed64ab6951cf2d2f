"""Derived variables: breakdowns (sex, age band, completion), due waves, labour-market status.

Everything here is a vectorised function of the tidy frames; nothing reads the database.
Missing stays missing: a question not asked (skip logic), skipped or not answered is ``NaN`` /
``None``, never "no" or 0.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from analytics.masks import rows_equal
from bot.questionnaire.waves import (
    BASELINE,
    EXIT,
    FOLLOWUP,
    add_months,
    followup_months_of,
    wave_month,
)

UNKNOWN = "unknown"
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 19, "under 20"),
    (20, 24, "20-24"),
    (25, 29, "25-29"),
    (30, 34, "30-34"),
    (35, 200, "35+"),
)
BASELINE_COLUMNS = (
    "bl_sex",
    "bl_birth_year",
    "bl_activity_status",
    "bl_earnings",
    "bl_earnings_currency",
    "bl_expectation_main",
    "bl_expected_months_to_job",
    "bl_expected_earnings",
    "bl_expected_earnings_currency",
)
EXIT_COLUMNS = (
    "ex_completed",
    "ex_dropout_reason",
    "ex_certificate",
    "ex_satisfaction",
    "ex_usefulness",
    "ex_recommend",
    "ex_practice_share",
    "ex_workplace_learning",
    "ex_missing",
)
SELF_EMPLOYED = ("employer", "own_account")


def age_band(birth_year: pd.Series, reference_year: pd.Series) -> pd.Series:
    """Age band (age in the reference year) as a label; ``unknown`` when the year is missing."""
    age = pd.to_numeric(reference_year, errors="coerce") - pd.to_numeric(
        birth_year, errors="coerce"
    )
    labels = pd.Series(UNKNOWN, index=birth_year.index, dtype=object)
    for low, high, label in AGE_BANDS:
        labels[(age >= low) & (age <= high)] = label
    return labels


def _first_known(*series: pd.Series) -> pd.Series:
    result = series[0].astype(object)
    for other in series[1:]:
        result = result.where(result.notna(), other.astype(object))
    return result


def _wave_values(responses: pd.DataFrame, wave: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """``columns`` of the ``wave`` rows, by trainee; coded answers as plain codes (object): the
    person variables fill and combine them with values outside their choices."""
    present = [c for c in columns if c in responses.columns]
    rows = responses.loc[rows_equal(responses, "wave", wave), ["trainee_id", *present]]
    values = rows.drop_duplicates("trainee_id").set_index("trainee_id")
    coded = [c for c in present if isinstance(values[c].dtype, pd.CategoricalDtype)]
    return values.astype({c: object for c in coded}) if coded else values


def add_person_variables(
    trainees: pd.DataFrame, responses: pd.DataFrame, as_of: date
) -> pd.DataFrame:
    """One row per trainee (index ``trainee_id``) with baseline/exit answers and breakdowns.

    Breakdowns prefer the trainee's own baseline answer and fall back to the cohort import
    (``trainee.sex`` / ``trainee.birth_year``); weighting cells (``w_sex``, ``w_age_band``)
    prefer the import, which is known for non-respondents too.
    """
    people = trainees.set_index("trainee_id").copy()
    people = people.join(_wave_values(responses, BASELINE, BASELINE_COLUMNS))
    people = people.join(_wave_values(responses, EXIT, EXIT_COLUMNS))
    for column in BASELINE_COLUMNS + EXIT_COLUMNS:
        if column not in people.columns:
            people[column] = np.nan
    reference_year = pd.Series(
        [
            (start or end or as_of).year
            for start, end in zip(people["cohort_start"], people["cohort_end"], strict=False)
        ],
        index=people.index,
    )
    registered_sex = people["registered_sex"].where(
        people["registered_sex"].isin(["female", "male", "other"])
    )
    people["sex"] = _first_known(people["bl_sex"], registered_sex).fillna(UNKNOWN)
    people["age_band"] = age_band(
        _first_known(people["bl_birth_year"], people["registered_birth_year"]), reference_year
    )
    people["w_sex"] = _first_known(registered_sex, people["bl_sex"]).fillna(UNKNOWN)
    people["w_age_band"] = age_band(
        _first_known(people["registered_birth_year"], people["bl_birth_year"]), reference_year
    )
    registered_completion = people["registered_completion"].where(
        people["registered_completion"].isin(["completed", "dropped_out"])
    )
    people["w_completion"] = registered_completion.fillna(UNKNOWN)
    people["completion"] = _first_known(registered_completion, people["ex_completed"]).fillna(
        UNKNOWN
    )
    people["region"] = people["region"].fillna(UNKNOWN)
    people["cohort"] = people["cohort"].fillna(UNKNOWN)
    people["expectation"] = people["bl_expectation_main"].fillna(UNKNOWN)
    return people


def due_for_wave(people: pd.DataFrame, wave: str, as_of: date) -> np.ndarray:
    """True for trainees whose ``wave`` date has come by ``as_of`` (baseline: everyone)."""
    months = wave_month(wave)
    if months is None:
        return np.ones(len(people), dtype=bool)
    ends = people["cohort_end"]
    due_by_end = {
        end: add_months(end, months) <= as_of for end in ends.dropna().unique()
    }  # one date computation per cohort, not per trainee
    return ends.map(due_by_end).fillna(False).to_numpy(dtype=bool)


def labour_status(frame: pd.DataFrame) -> pd.Series:
    """ICLS status per follow-up row: ``employed``, ``unemployed``, ``outside`` or missing.

    employed = worked last week or temporarily absent; unemployed = not employed, looked for
    work and available; outside the labour force = not employed and did not look or is not
    available. Missing when the answers needed to decide are missing.
    """
    worked = frame["fu_worked_last_week"]
    absent = frame["fu_temp_absent"]
    looked = frame["fu_looked_for_work"]
    available = frame["fu_available"]
    employed = (worked == "yes") | (absent == "yes")
    not_employed = (worked == "no") & (absent == "no")
    unemployed = not_employed & (looked == "yes") & (available == "yes")
    outside = not_employed & ((looked == "no") | (available == "no"))
    status = np.select(
        [employed.to_numpy(), unemployed.to_numpy(), outside.to_numpy()],
        ["employed", "unemployed", "outside"],
        default="",
    )
    return pd.Series(status, index=frame.index).replace("", None)


PAID_LEAVE_CODES = ("fu_paid_annual_leave", "fu_paid_sick_leave")


def formality(frame: pd.DataFrame) -> pd.Series:
    """``formal`` / ``informal`` / missing for employed follow-up rows (ILO, ICLS 17th/21st).

    Employees: formal when the employer pays social-security contributions for them, or when
    they have paid annual leave and paid sick leave (questions ``PAID_LEAVE_CODES``, used when
    the questionnaire has them); informal when social security is answered "no" and paid leave
    is not both "yes". The contract does not decide. Employers and own-account workers: formal
    when the business is registered. Contributing family workers: always informal.
    Unknown status in employment: missing.
    """
    status = frame["fu_status_in_employment"]
    social = frame["fu_social_security"]
    registered = frame["fu_business_registered"]
    leave = pd.Series(all(c in frame.columns for c in PAID_LEAVE_CODES), index=frame.index)
    for code in PAID_LEAVE_CODES:
        if code in frame.columns:
            leave &= frame[code] == "yes"
    employee = status == "employee"
    own = status.isin(SELF_EMPLOYED)
    emp_formal = employee & ((social == "yes") | leave)
    emp_informal = employee & (social == "no") & ~leave
    own_formal = own & (registered == "yes")
    own_informal = own & (registered == "no")
    family = status == "family_worker"
    result = np.select(
        [
            (emp_formal | own_formal).to_numpy(),
            (emp_informal | own_informal | family).to_numpy(),
        ],
        ["formal", "informal"],
        default="",
    )
    return pd.Series(result, index=frame.index).replace("", None)


PERSON_COLUMNS = (
    "cohort",
    "region",
    "sex",
    "age_band",
    "completion",
    "expectation",
    "bl_activity_status",
    "bl_earnings",
    "bl_earnings_currency",
    "bl_expected_months_to_job",
    "bl_expected_earnings",
    "bl_expected_earnings_currency",
    "ex_certificate",
)


def followup_frame(dataset_people: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Follow-up rows with person variables and derived status, formality, earnings change,
    first-job spells and NEET.

    Built column by column on one copy of the follow-up rows (a join or ``assign`` would copy
    every column of the wide frame again)."""
    columns = [
        c
        for c in responses.columns
        if (c.startswith("fu_") or c in ("trainee_id", "wave", "wave_kind"))
        and c not in PERSON_COLUMNS
    ]
    rows = responses.loc[(responses["wave_kind"] == FOLLOWUP).to_numpy(), columns]
    person = dataset_people[list(PERSON_COLUMNS)].reindex(rows["trainee_id"].to_numpy())
    person.index = rows.index
    for column in PERSON_COLUMNS:  # as a join on trainee_id would add them
        rows[column] = person[column]
    _as_categories(rows)
    rows["labour_status"] = labour_status(rows).astype("category")
    rows["formality"] = formality(rows)
    rows["earnings_change"] = earnings_change(rows)
    rows["earns_more"] = (rows["earnings_change"] > 0).where(rows["earnings_change"].notna())
    for column, values in first_job_spells(rows).items():  # no join: it copies every column
        rows[column] = values
    rows["neet"] = neet(rows)
    rows["usual_hours"] = usual_hours(rows)
    return rows


def usual_hours(rows: pd.DataFrame) -> pd.Series:
    """Usual weekly hours of work: ``fu_hours_week``, or for an hourly earner, who gave them
    with their pay (``fu_earnings_hours``) and is not asked again, those."""
    missing = pd.Series(np.nan, index=rows.index)
    asked = pd.to_numeric(rows.get("fu_hours_week", missing), errors="coerce")
    return asked.fillna(pd.to_numeric(rows.get("fu_earnings_hours", missing), errors="coerce"))


def _as_categories(rows: pd.DataFrame) -> None:
    """Coded (text) columns as categoricals, in place: the indicators compare them with codes
    hundreds of times, and comparing category codes is much cheaper than comparing Python
    strings."""
    for column in list(rows.columns):
        if rows[column].dtype == object and column.startswith(("fu_", "bl_activity")):
            rows[column] = rows[column].astype("category")


def earnings_change(rows: pd.DataFrame) -> pd.Series:
    """Follow-up minus baseline monthly work income; the one definition of "earns more".

    Only for trainees with an observed baseline amount (asked of those working before the
    training); compared in the baseline's currency: a follow-up amount in another currency or
    skipped is missing. Someone not employed at follow-up has no work income (0). Everyone
    without a baseline amount (not working before, skipped) is missing, never 0.
    """
    before = rows["bl_earnings"]
    same_currency = rows["fu_earnings_currency"].astype(object) == rows[
        "bl_earnings_currency"
    ].astype(object)
    status = rows["labour_status"]
    employed = status == "employed"
    after = rows["fu_earnings"].where(employed & same_currency)
    after = after.where(employed, 0.0).where(status.notna())
    return (after - before).where(before.notna() & after.notna())


def first_job_spells(rows: pd.DataFrame) -> pd.DataFrame:
    """Time to first job as a survival spell per follow-up row.

    ``kept_job``: worked before the training (baseline employee or self-employed) and had the
    current or first job at month 0 — a job kept, not found: left out of the spells and
    reported apart. ``job_months``: months from the end of training to the first job (event)
    or, for those who have had no job since (still without a first job), the wave's month
    (censored). ``job_event``: True for an observed first job, False for censored, missing
    when unknown or kept.
    """
    status = rows["labour_status"]
    months = rows["fu_months_to_first_job"]
    had_job = (status == "employed") | (rows["fu_had_job_since"] == "yes")
    never = status.isin(["unemployed", "outside"]) & (rows["fu_had_job_since"] == "no")
    worked_before = rows["bl_activity_status"].isin(["employee", "self_employed"])
    kept = had_job & worked_before & (months == 0)
    months_of_wave = {w: _wave_month(str(w)) for w in rows["wave"].unique()}
    wave_month = rows["wave"].map(months_of_wave).astype(float)
    event = had_job & months.notna() & ~kept
    spell = pd.Series(np.nan, index=rows.index)
    spell[event] = months[event]
    spell[never] = wave_month[never]
    outcome = pd.Series(np.where(event, True, np.where(never, False, None)), index=rows.index)  # type: ignore[call-overload]
    known_kept = (had_job & months.notna()) | never
    return pd.DataFrame(
        {
            "kept_job": kept.where(known_kept),
            "job_months": spell,
            "job_event": outcome,
            "no_job_yet": never.where(known_kept & ~kept),
        },
        index=rows.index,
    )


def _wave_month(wave: str) -> float:
    """``followup_6`` → 6.0; NaN for a wave without a month."""
    months = followup_months_of(wave)
    return float("nan") if months is None else float(months)


YOUTH_BANDS = ("under 20", "20-24")


def neet(rows: pd.DataFrame) -> pd.Series:
    """Not in employment, education or training (SDG 8.6.1) for every respondent.

    Employed → False; not employed and not studying/in training → True; not employed with
    the further-study answer missing → missing. The youth rate restricts to ages 15-24.
    """
    status = rows["labour_status"]
    study = rows["fu_further_study"]
    not_employed = status.isin(["unemployed", "outside"])
    result = pd.Series(np.nan, index=rows.index, dtype=object)
    result[status == "employed"] = False
    result[not_employed & (study == "no")] = True
    result[not_employed & (study == "yes")] = False
    return result


def converted_from_other_period(amounts: pd.Series, periods: pd.Series | None) -> pd.Series:
    """True where an amount was typed per hour, day, week, fortnight or year and converted to
    its monthly equivalent; False for amounts typed per month; missing where no amount."""
    if periods is None:
        periods = pd.Series(None, index=amounts.index, dtype=object)
    typed = periods.astype(object)
    converted = typed.notna() & (typed != "month")
    return converted.astype(object).where(amounts.notna())
