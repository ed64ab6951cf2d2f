"""40 trainees of programme ``acc`` whose every indicator is computed by hand in
``test_analytics_acceptance.py``.

One cohort ``2024`` (2024-04-01 → 2025-01-15, region South), report date 2026-06-01: every wave
up to the 12-month follow-up is due for everyone; nobody has answered the 12-month one yet.

Cohort file (registry): women born 2002 (20-24) 1-20, completed 1-16, dropped out 17-20;
men born 2002 (20-24) 21-34, completed 21-28, dropped out 29-32, no status 33-34;
women born 1990 (30-34) 35-38, completed; men born 1985 (35+) 39 completed, 40 dropped out.

Cases: trainee 17 says "completed" at exit but the cohort file says dropped out; family
workers 7, 8, 26; baseline earnings observed for 3, 4, 14, 22, 29, 35, 36, 37 only (6 was
self-employed but skipped the amount; 7 is a student with a side income: not asked); 3 and
36 kept the job they held before the training (month 0); 39 is the lone respondent of his
age band; 37 earns in another currency than at baseline; 39 gave an amount without a
currency. Six trainees answered the 12-month follow-up (1, 9, 11, 21, 24, 34): the panel.

Fieldwork windows (defaults: baseline until 2024-05-01, 6 months 2025-07-15 → 2025-10-14):
every answer above is dated inside its wave's window. Two responses are not (``LATE``): 16,
a late joiner, answers the "before training" baseline on 2025-06-01, after the training
ended; 15 answers the 6-month follow-up on 2026-03-15, at month 14. Both stay in the
database and must change no figure of the report.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert

from bot.storage.db import engine_for
from bot.storage.models import Answer, Base, Cohort, Programme, Trainee
from tests.analytics.helpers import SKIP, _row

AS_OF = date(2026, 6, 1)
WOMEN = set(range(1, 21)) | {35, 36, 37, 38}
BORN = {**{i: 2002 for i in range(1, 35)}, **{i: 1990 for i in range(35, 39)}, 39: 1985, 40: 1985}
REGISTRY = {
    **{i: "completed" for i in [*range(1, 17), *range(21, 29), *range(35, 40)]},
    **{i: "dropped_out" for i in [*range(17, 21), *range(29, 33), 40]},
}


def _employed(sie: str, months: int, relevance: str, skills: str, **extra: Any) -> dict:
    return {
        "fu_worked_last_week": "yes",
        "fu_status_in_employment": sie,
        "fu_months_to_first_job": months,
        "fu_job_relevance": relevance,
        "fu_skills_use": skills,
        "fu_satisfaction_hindsight": 4,
        **extra,
    }


def _employee(
    months: int, social: str, earnings: Any, relevance: str, skills: str, contract: str = "written"
) -> dict:
    return _employed(
        "employee",
        months,
        relevance,
        skills,
        fu_contract=contract,
        fu_social_security=social,
        fu_earnings=earnings,
    )


def _business(
    sie: str, months: int, registered: str, earnings: Any, relevance: str, skills: str
) -> dict:
    return _employed(
        sie, months, relevance, skills, fu_business_registered=registered, fu_earnings=earnings
    )


def _family(months: int, earnings: Any, relevance: str, skills: str) -> dict:
    return _employed("family_worker", months, relevance, skills, fu_earnings=earnings)


def _not_working(
    looked: str, available: str, had_job: str, months: int | None = None, reason: str | None = None
) -> dict:
    answers = {
        "fu_worked_last_week": "no",
        "fu_temp_absent": "no",
        "fu_looked_for_work": looked,
        "fu_available": available,
        "fu_had_job_since": had_job,
        "fu_satisfaction_hindsight": 2,
    }
    if months is not None:
        answers["fu_months_to_first_job"] = months
    if reason is not None:
        answers["fu_inactive_reason"] = reason
    return answers


def _unemployed(had_job: str, months: int | None = None) -> dict:
    return _not_working("yes", "yes", had_job, months)


def _outside(reason: str, had_job: str = "no") -> dict:
    return _not_working("no", "no", had_job, reason=reason)


XOF = "XOF"
FOLLOWUP_6: dict[int, dict[str, Any]] = {
    1: _employee(2, "yes", (200, XOF), "same_field", "often"),
    2: _employee(3, "no", (150, XOF), "related_field", "sometimes"),
    3: _employee(0, "yes", (180, XOF), "same_field", "often"),
    4: _employee(1, "no", (250, XOF), "related_field", "sometimes"),
    5: _business("own_account", 4, "yes", (120, XOF), "same_field", "sometimes"),
    6: _business("own_account", 5, "no", SKIP, "unrelated", "never"),
    7: _family(2, (50, XOF), "unrelated", "never"),
    8: _family(6, SKIP, "unrelated", "never"),
    9: _unemployed("no"),
    10: _unemployed("yes", 3),
    11: _outside("studying"),
    12: _outside("care"),
    13: _employee(8, "yes", (400, XOF), "same_field", "often"),
    14: _unemployed("no"),
    17: _outside("other"),
    21: _employee(1, "yes", (250, XOF), "same_field", "often", contract="verbal"),
    22: _employee(2, "yes", (300, XOF), "same_field", "sometimes"),
    23: _business("own_account", 3, "no", (100, XOF), "unrelated", "never"),
    24: _unemployed("no"),
    25: _outside("studying"),
    26: _family(4, SKIP, "unrelated", "never"),
    29: _employee(2, "no", (150, XOF), "related_field", "sometimes"),
    30: _unemployed("yes", 5),
    33: _employee(0, "yes", (200, XOF), "related_field", "sometimes"),
    34: _outside("discouraged"),
    35: _employee(1, "yes", (500, XOF), "same_field", "often"),
    36: _business("employer", 0, "yes", (300, XOF), "same_field", "often"),
    37: _employee(2, "no", (100, "USD"), "unrelated", "never"),
    39: _business("own_account", 1, "yes", (80, None), "same_field", "sometimes"),
}
FOLLOWUP_12: dict[int, dict[str, Any]] = {
    1: _employee(2, "yes", (220, XOF), "same_field", "often"),
    9: _employee(7, "no", (100, XOF), "related_field", "sometimes"),
    24: _business("own_account", 8, "no", (90, XOF), "unrelated", "never"),
    21: _unemployed("yes", 1),
    11: _outside("studying"),
    34: _outside("discouraged"),
}
HOURS = {7: 20, 8: 20, 26: 30}  # every other employed respondent: 40
# paid by the hour: gave their usual hours with their pay (fu_earnings_hours), so the survey
# did not ask fu_hours_week again
HOURLY = {26}
EXPECTED_MONTHS = {
    1: 3,
    2: 2,
    7: 6,
    8: 3,
    9: 4,
    10: 6,
    13: 6,
    17: 12,
    21: 1,
    22: 2,
    24: 3,
    26: 6,
    30: 3,
    33: 1,
}
EXPECTED_EARNINGS = {
    1: (150, XOF),
    2: (200, XOF),
    4: (300, XOF),
    13: (300, XOF),
    21: (250, XOF),
    22: (400, XOF),
    35: (400, XOF),
    37: (100, XOF),
    9: (200, XOF),
    23: (100, "USD"),
}
NOT_RECOMMENDING = {6, 14, 18, 30}
STUDYING_NOW = {5, 11, 21, 25}
MET = {
    1: "yes",
    2: "partly",
    3: "yes",
    4: "no",
    5: "yes",
    6: "partly",
    7: "yes",
    8: "partly",
    9: "no",
    10: "no",
    11: "yes",
    12: "no",
    13: "yes",
    14: "no",
    17: "no",
    21: "yes",
    22: "yes",
    23: "yes",
    24: "no",
    25: "partly",
    26: "partly",
    29: "partly",
    30: "no",
    33: "yes",
    34: "no",
    35: "yes",
    36: "yes",
    37: "partly",
    39: "yes",
}
EXPECTATION = {
    **{i: "get_job" for i in (1, 2, 7, 8, 9, 10, 13, 15, 17, 18, 21, 22, 24, 26, 27, 30, 33)},
    **{i: "earn_more" for i in (3, 4, 14, 29, 35, 37)},
    **{i: "start_business" for i in (5, 6, 23, 36, 39)},
    11: "learn_skill",
    25: "learn_skill",
    12: "get_certificate",
    34: "learn_skill",
}
ACTIVITY = {
    **{
        i: ("employee", (amount, XOF))
        for i, amount in ((3, 100), (4, 300), (14, 100), (22, 250), (29, 150), (35, 400), (37, 100))
    },
    36: ("self_employed", (200, XOF)),
    6: ("self_employed", SKIP),
    8: ("unemployed_looking", None),
    13: ("unemployed_looking", None),
    33: ("unemployed_looking", None),
    12: ("not_working_other", None),
}
EXIT_SATISFACTION = {
    1: 5,
    2: 4,
    3: 4,
    4: 3,
    5: 5,
    6: 2,
    7: 4,
    8: 3,
    9: 2,
    10: 3,
    11: 5,
    12: 4,
    13: 5,
    14: 1,
    17: 3,
    18: 1,
    21: 4,
    22: 5,
    23: 3,
    24: 2,
    25: 4,
    26: 3,
    29: 2,
    30: 1,
    35: 5,
    36: 4,
    37: 3,
    39: 4,
}
EXIT_DROPOUT = {18: "financial", 29: "financial", 30: "found_job"}


# ISCO-08 unit groups (desired at baseline, current at 6 months): employed with both 1, 2, 3,
# 4, 13, 21, 22 (same: 1, 3, 4, 13, 22); 9 is unemployed at 6 months; 33 has no desired code
ISCO = {
    1: ("7411", "7411"),
    2: ("7411", "7412"),
    3: ("7411", "7411"),
    4: ("5141", "5141"),
    9: ("7411", "7411"),
    13: ("7411", "7411"),
    21: ("7411", "7231"),
    22: ("7412", "7412"),
    33: (None, "7411"),
}
# An officer's consumer price index (CSV): baseline answers 2024-03 (index 100), 6-month
# answers 2025-08 (no row: July's 125 carries forward)
CPI_CSV = "year,month,index\n2024,1,98\n2024,3,100\n2025,7,125\n"
LATE_BASELINE_DAY = datetime(2025, 6, 1)  # trainee 16, after the training ended
LATE_FOLLOWUP_6_DAY = datetime(2026, 3, 15)  # trainee 15, month 14 of a 6-month wave
LATE_BASELINE = {
    "bl_sex": "female",
    "bl_birth_year": 2002,
    "bl_activity_status": "employee",
    "bl_earnings": (999, XOF),
    "bl_expectation_main": "get_job",
}
LATE_FOLLOWUP_6 = {
    **_employee(1, "yes", (900, XOF), "same_field", "often"),
    "fu_further_study": "no",
    "fu_expectation_met": "yes",
    "fu_hours_week": 40,
}


def _baseline(trainee_id: int) -> dict:
    activity, amount = ACTIVITY.get(trainee_id, ("studying", None))
    answers: dict[str, Any] = {
        "bl_sex": "female" if trainee_id in WOMEN else "male",
        "bl_birth_year": BORN[trainee_id],
        "bl_activity_status": activity,
        "bl_expectation_main": EXPECTATION[trainee_id],
    }
    if amount is not None:
        answers["bl_earnings"] = amount
    if trainee_id in EXPECTED_MONTHS:
        answers["bl_expected_months_to_job"] = EXPECTED_MONTHS[trainee_id]
    if trainee_id in EXPECTED_EARNINGS:
        answers["bl_expected_earnings"] = EXPECTED_EARNINGS[trainee_id]
    return answers


def _exit(trainee_id: int) -> dict:
    answers: dict[str, Any] = {"ex_satisfaction": EXIT_SATISFACTION[trainee_id]}
    if trainee_id in EXIT_DROPOUT:
        answers.update(ex_completed="dropped_out", ex_dropout_reason=EXIT_DROPOUT[trainee_id])
    else:
        answers.update(
            ex_completed="completed", ex_certificate="no" if trainee_id in (4, 23) else "yes"
        )
    if trainee_id <= 14:
        answers["ex_usefulness"] = 2 if trainee_id == 14 else 4
        answers["ex_workplace_learning"] = "yes" if trainee_id <= 7 else "no"
        answers["ex_missing"] = "equipment" if trainee_id <= 5 else "nothing"
    if trainee_id <= 14 or 21 <= trainee_id <= 26:
        answers["ex_practice_share"] = "about_half" if trainee_id <= 10 else "most"
    answers["ex_recommend"] = "no" if trainee_id in NOT_RECOMMENDING else "yes"
    return answers


def build_acceptance_database(database_url: str) -> None:
    """Create the schema and insert programme ``acc``, its 40 trainees and their answers."""
    engine = engine_for(database_url)
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(Programme).values(id=1, code="acc", name="Acceptance"))
        connection.execute(
            insert(Cohort).values(
                id=1,
                programme_id=1,
                code="2024",
                name="Acceptance 2024",
                start_date=date(2024, 4, 1),
                end_date=date(2025, 1, 15),
                region="South",
            )
        )
        connection.execute(
            insert(Trainee),
            [
                {
                    "id": i,
                    "pseudo_id": f"A{i:016x}",
                    "cohort_id": 1,
                    "status": "active",
                    "sex": "female" if i in WOMEN else "male",
                    "birth_year": BORN[i],
                    "completion_status": REGISTRY.get(i),
                }
                for i in range(1, 41)
            ],
        )
        rows = []
        for trainee_id in sorted(set(FOLLOWUP_6) | {15, 18, 27}):
            rows += [_row(trainee_id, "baseline", c, v) for c, v in _baseline(trainee_id).items()]
        for trainee_id in EXIT_SATISFACTION:
            rows += [_row(trainee_id, "exit", c, v) for c, v in _exit(trainee_id).items()]
        for wave, answers_of in (("followup_6", FOLLOWUP_6), ("followup_12", FOLLOWUP_12)):
            for trainee_id, answers in answers_of.items():
                answers = {
                    **answers,
                    "fu_further_study": "yes" if trainee_id in STUDYING_NOW else "no",
                    "fu_expectation_met": MET[trainee_id],
                }
                if answers["fu_worked_last_week"] == "yes":
                    hours = "fu_earnings_hours" if trainee_id in HOURLY else "fu_hours_week"
                    answers[hours] = HOURS.get(trainee_id, 40)
                rows += [_row(trainee_id, wave, c, v) for c, v in answers.items()]
        for trainee_id, (wished, found) in ISCO.items():
            if wished:
                rows.append(_row(trainee_id, "baseline", "bl_desired_occupation_isco", wished))
            if found:
                rows.append(_row(trainee_id, "followup_6", "fu_occupation_isco", found))
        rows += [_row(16, "baseline", c, v, LATE_BASELINE_DAY) for c, v in LATE_BASELINE.items()]
        rows += [
            _row(15, "followup_6", c, v, LATE_FOLLOWUP_6_DAY) for c, v in LATE_FOLLOWUP_6.items()
        ]
        for row in rows:
            row["source_message_id"] = f"{row['trainee_id']}:{row['source_message_id']}"
        connection.execute(insert(Answer), rows)
