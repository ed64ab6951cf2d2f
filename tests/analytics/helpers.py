"""A small hand-made tracer-study database with explicit answers (not the generator).

13 trainees of programme ``weld`` (one cohort, start 2024-04-01, end 2025-01-15, region North):
1-6, 11, 12 women born 2000; 7, 8, 13 men born 2000; 9, 10 men born 1990 who never answered.
The expected figures in the tests are computed by hand from the answers below.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert

from bot.storage.db import engine_for
from bot.storage.models import Answer, Base, Cohort, Programme, Trainee

AS_OF = date(2026, 6, 1)
SKIP = object()

BASELINE: dict[int, dict[str, Any]] = {
    1: {"bl_expectation_main": "get_job", "bl_activity_status": "studying"},
    2: {"bl_expectation_main": "get_job", "bl_activity_status": "studying"},
    3: {"bl_expectation_main": "get_job", "bl_activity_status": "studying"},
    4: {"bl_expectation_main": "get_job", "bl_activity_status": "studying"},
    5: {"bl_expectation_main": "start_business", "bl_activity_status": "studying"},
    6: {"bl_expectation_main": "start_business", "bl_activity_status": "studying"},
    7: {
        "bl_expectation_main": "earn_more",
        "bl_activity_status": "employee",
        "bl_earnings": (100, "XOF"),
    },
    8: {"bl_expectation_main": "earn_more", "bl_activity_status": "unemployed_looking"},
    11: {"bl_expectation_main": "get_job", "bl_activity_status": "studying"},
    12: {
        "bl_expectation_main": "start_business",
        "bl_activity_status": "self_employed",
        "bl_earnings": (100, "USD"),
    },
    13: {"bl_expectation_main": "earn_more", "bl_activity_status": "unemployed_looking"},
}
EXIT: dict[int, dict[str, Any]] = {
    **{
        i: {"ex_completed": "completed", "ex_certificate": "yes", "ex_satisfaction": s}
        for i, s in ((1, 5), (2, 4), (3, 4), (4, 3), (5, 2), (6, 5))
    },
    7: {"ex_completed": "completed", "ex_certificate": "no", "ex_satisfaction": 4},
    8: {"ex_completed": "dropped_out", "ex_dropout_reason": "financial", "ex_satisfaction": 1},
}
_EMPLOYED = {"fu_worked_last_week": "yes"}
_NOT_WORKING = {"fu_worked_last_week": "no", "fu_temp_absent": "no"}
FOLLOWUP_6: dict[int, dict[str, Any]] = {
    1: {
        **_EMPLOYED,
        "fu_status_in_employment": "employee",
        "fu_contract": "written",
        "fu_social_security": "yes",
        "fu_earnings": (200, "XOF"),
        "fu_months_to_first_job": 2,
        "fu_job_relevance": "same_field",
        "fu_skills_use": "often",
        "fu_expectation_met": "yes",
        "fu_satisfaction_hindsight": 5,
    },
    2: {
        **_EMPLOYED,
        "fu_status_in_employment": "own_account",
        "fu_business_registered": "no",
        "fu_earnings": SKIP,
        "fu_months_to_first_job": 8,
        "fu_job_relevance": "unrelated",
        "fu_skills_use": "never",
        "fu_expectation_met": "partly",
        "fu_satisfaction_hindsight": 4,
    },
    3: {
        "fu_worked_last_week": "no",
        "fu_temp_absent": "yes",
        "fu_status_in_employment": "employee",
        "fu_contract": "verbal",
        "fu_social_security": "no",
        "fu_earnings": (100, "XOF"),
        "fu_months_to_first_job": 0,
        "fu_job_relevance": "related_field",
        "fu_skills_use": "sometimes",
        "fu_expectation_met": "yes",
        "fu_satisfaction_hindsight": 3,
    },
    4: {
        **_NOT_WORKING,
        "fu_looked_for_work": "yes",
        "fu_available": "yes",
        "fu_had_job_since": "no",
        "fu_expectation_met": "no",
        "fu_satisfaction_hindsight": 2,
    },
    5: {
        **_NOT_WORKING,
        "fu_looked_for_work": "no",
        "fu_available": "no",
        "fu_inactive_reason": "studying",
        "fu_had_job_since": "yes",
        "fu_months_to_first_job": 3,
        "fu_expectation_met": "no",
        "fu_satisfaction_hindsight": 1,
    },
    6: {
        **_NOT_WORKING,
        "fu_looked_for_work": "yes",
        "fu_available": "no",
        "fu_had_job_since": "no",
        "fu_expectation_met": "partly",
        "fu_satisfaction_hindsight": 3,
    },
    7: {
        **_EMPLOYED,
        "fu_status_in_employment": "employer",
        "fu_business_registered": "yes",
        "fu_earnings": (150, "XOF"),
        "fu_months_to_first_job": 1,
        "fu_job_relevance": "same_field",
        "fu_skills_use": "often",
        "fu_expectation_met": "yes",
        "fu_satisfaction_hindsight": 5,
    },
    11: {
        **_EMPLOYED,
        "fu_status_in_employment": "employee",
        "fu_contract": "written",
        "fu_social_security": "no",
        "fu_earnings": (300, "XOF"),
        "fu_months_to_first_job": 5,
        "fu_job_relevance": "same_field",
        "fu_skills_use": "often",
        "fu_expectation_met": "yes",
        "fu_satisfaction_hindsight": 4,
    },
    12: {
        **_EMPLOYED,
        "fu_status_in_employment": "own_account",
        "fu_business_registered": "yes",
        "fu_earnings": (120, "USD"),
        "fu_months_to_first_job": 7,
        "fu_job_relevance": "related_field",
        "fu_skills_use": "sometimes",
        "fu_expectation_met": "yes",
        "fu_satisfaction_hindsight": 4,
    },
    13: {
        **_EMPLOYED,
        "fu_status_in_employment": "family_worker",
        "fu_earnings": (50, "XOF"),
        "fu_months_to_first_job": 4,
        "fu_job_relevance": "unrelated",
        "fu_skills_use": "never",
        "fu_expectation_met": "no",
        "fu_satisfaction_hindsight": 3,
    },
}
FURTHER_STUDY_YES = {5, 12}


# Answer days inside each wave's fieldwork window of the cohorts 2024-04-01 → 2025-01-15
# (baseline until 2024-05-01; exit 2025-01-15 → 04-14; 6 months 2025-07-15 → 10-14; 12 months
# 2026-01-15 → 04-14).
WAVE_DAYS = {
    "baseline": datetime(2024, 3, 20),
    "exit": datetime(2025, 1, 20),
    "followup_6": datetime(2025, 8, 1),
    "followup_12": datetime(2026, 2, 1),
}


def _row(
    trainee_id: int, wave: str, code: str, value: Any, answered_at: datetime | None = None
) -> dict:
    number = text = None
    status = "answered"
    if value is SKIP:
        status, value = "skipped", None
    elif isinstance(value, tuple):
        number, text = float(value[0]), value[1]
        value = {"amount": value[0], "currency": value[1]}
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        text = value
    return {
        "trainee_id": trainee_id,
        "wave": wave,
        "question_code": code,
        "status": status,
        "value_json": value,
        "value_number": number,
        "value_text": text,
        "source_message_id": f"{wave}:{code}",
        "answered_at": answered_at or WAVE_DAYS[wave],
        "is_current": True,
    }


def build_fixture_database(database_url: str) -> None:
    """Create the schema and insert the fixture programme, trainees and answers."""
    engine = engine_for(database_url)
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(Programme).values(id=1, code="weld", name="Welding"))
        connection.execute(insert(Programme).values(id=2, code="other", name="Other"))
        connection.execute(
            insert(Cohort).values(
                id=1,
                programme_id=1,
                code="2024",
                name="Welding 2024",
                start_date=date(2024, 4, 1),
                end_date=date(2025, 1, 15),
                region="North",
            )
        )
        trainees = []
        for trainee_id in range(1, 14):
            male = trainee_id in (7, 8, 9, 10, 13)
            trainees.append(
                {
                    "id": trainee_id,
                    "pseudo_id": f"T{trainee_id:016x}",
                    "cohort_id": 1,
                    "status": "active",
                    "sex": "male" if male else "female",
                    "birth_year": 1990 if trainee_id in (9, 10) else 2000,
                }
            )
        connection.execute(insert(Trainee), trainees)
        rows = []
        for trainee_id, answers in BASELINE.items():
            male = trainee_id in (7, 8, 13)
            answers = {"bl_sex": "male" if male else "female", "bl_birth_year": 2000, **answers}
            rows += [_row(trainee_id, "baseline", c, v) for c, v in answers.items()]
        for trainee_id, answers in EXIT.items():
            rows += [_row(trainee_id, "exit", c, v) for c, v in answers.items()]
        for trainee_id, answers in FOLLOWUP_6.items():
            study = "yes" if trainee_id in FURTHER_STUDY_YES else "no"
            answers = {**answers, "fu_further_study": study}
            rows += [_row(trainee_id, "followup_6", c, v) for c, v in answers.items()]
        # A superseded answer must be ignored: trainee 4 first said they worked.
        old = _row(4, "followup_6", "fu_worked_last_week", "yes")
        rows.append({**old, "source_message_id": "old", "is_current": False})
        connection.execute(insert(Answer), rows)
