"""Derived variables: breakdowns (sex, age band, completion), due waves, labour-market status.

Everything here is a vectorised function of the tidy frames; nothing reads the database.
Missing stays missing: a question not asked (skip logic), skipped or not answered is ``NaN`` /
``None``, never "no" or 0.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from bot.survey.engine import add_months

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
)
EXIT_COLUMNS = (
    "ex_completed",
    "ex_dropout_reason",
    "ex_certificate",
    "ex_satisfaction",
    "ex_usefulness",
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
    rows = responses[responses["wave"] == wave]
    present = [c for c in columns if c in rows.columns]
    return rows.drop_duplicates("trainee_id").set_index("trainee_id")[present]


def add_person_variables(
    trainees: pd.DataFrame, responses: pd.DataFrame, as_of: date
) -> pd.DataFrame:
    """One row per trainee (index ``trainee_id``) with baseline/exit answers and breakdowns.

    Breakdowns prefer the trainee's own baseline answer and fall back to the cohort import
    (``trainee.sex`` / ``trainee.birth_year``); weighting cells (``w_sex``, ``w_age_band``)
    prefer the import, which is known for non-respondents too.
    """
    people = trainees.set_index("trainee_id").copy()
    people = people.join(_wave_values(responses, "baseline", BASELINE_COLUMNS))
    people = people.join(_wave_values(responses, "exit", EXIT_COLUMNS))
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
    people["completion"] = _first_known(
        people["ex_completed"],
        people["registered_completion"].where(
            people["registered_completion"].isin(["completed", "dropped_out"])
        ),
    ).fillna(UNKNOWN)
    people["region"] = people["region"].fillna(UNKNOWN)
    people["cohort"] = people["cohort"].fillna(UNKNOWN)
    people["expectation"] = people["bl_expectation_main"].fillna(UNKNOWN)
    return people


def due_for_wave(people: pd.DataFrame, wave: str, as_of: date) -> np.ndarray:
    """True for trainees whose ``wave`` date has come by ``as_of`` (baseline: everyone)."""
    if wave == "baseline":
        return np.ones(len(people), dtype=bool)
    months = 0 if wave == "exit" else int(wave.split("_", 1)[1])
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


def formality(frame: pd.DataFrame) -> pd.Series:
    """``formal`` / ``informal`` / missing for employed follow-up rows.

    Employees: formal = written contract AND employer social security; informal when either is
    answered and fails. Employers and own-account workers: formal = business registered.
    Contributing family workers and unknown status: missing.
    """
    status = frame["fu_status_in_employment"]
    contract = frame["fu_contract"]
    social = frame["fu_social_security"]
    registered = frame["fu_business_registered"]
    employee = status == "employee"
    own = status.isin(SELF_EMPLOYED)
    emp_formal = employee & (contract == "written") & (social == "yes")
    emp_informal = employee & (
        contract.isin(["verbal", "none"]) | (social == "no")
    )
    own_formal = own & (registered == "yes")
    own_informal = own & (registered == "no")
    result = np.select(
        [
            (emp_formal | own_formal).to_numpy(),
            (emp_informal | own_informal).to_numpy(),
        ],
        ["formal", "informal"],
        default="",
    )
    return pd.Series(result, index=frame.index).replace("", None)


def followup_frame(dataset_people: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Follow-up rows with person variables and derived status, formality and earnings change."""
    rows = responses[responses["wave_kind"] == "followup"]
    person_columns = [
        "cohort",
        "region",
        "sex",
        "age_band",
        "completion",
        "expectation",
        "bl_activity_status",
        "bl_earnings",
        "bl_earnings_currency",
        "ex_certificate",
    ]
    rows = rows.drop(columns=[c for c in person_columns if c in rows.columns])
    rows = rows.join(dataset_people[person_columns], on="trainee_id")
    rows["labour_status"] = labour_status(rows)
    rows["formality"] = formality(rows)
    same_currency = rows["fu_earnings_currency"].astype(object) == rows[
        "bl_earnings_currency"
    ].astype(object)
    both = rows["fu_earnings"].notna() & rows["bl_earnings"].notna() & same_currency
    rows["earnings_change"] = (rows["fu_earnings"] - rows["bl_earnings"]).where(both)
    rows["earns_more"] = _earns_more(rows)
    return rows


def _earns_more(rows: pd.DataFrame) -> pd.Series:
    """Earnings above baseline (objective check for "earn more"); missing when unknown.

    Work income is 0 for someone not working (baseline activity not employee/self-employed,
    or not employed at follow-up). Amounts in different currencies are not compared.
    """
    working_before = rows["bl_activity_status"].isin(["employee", "self_employed"])
    known_before = rows["bl_activity_status"].notna() & (
        ~working_before | rows["bl_earnings"].notna()
    )
    before = rows["bl_earnings"].where(working_before, 0.0)
    employed = rows["labour_status"] == "employed"
    known_after = rows["labour_status"].notna() & (~employed | rows["fu_earnings"].notna())
    after = rows["fu_earnings"].where(employed, 0.0)
    comparable = ~(
        working_before
        & employed
        & (
            rows["fu_earnings_currency"].astype(object)
            != rows["bl_earnings_currency"].astype(object)
        )
    )
    known = known_before & known_after & comparable
    return (after > before).where(known)


def converted_from_other_period(amounts: pd.Series, periods: pd.Series | None) -> pd.Series:
    """True where an amount was typed per hour, day, week, fortnight or year and converted to
    its monthly equivalent; False for amounts typed per month; missing where no amount."""
    if periods is None:
        periods = pd.Series(None, index=amounts.index, dtype=object)
    typed = periods.astype(object)
    converted = typed.notna() & (typed != "month")
    return converted.astype(object).where(amounts.notna())
