"""Scripted trainee journeys shared by the REST journey tests and the Rasa test stories.

A persona's answers are question codes → answer codes/values; :func:`reply_for` renders the
message a trainee would send in a given language, alternating taps (button payloads) and typed
labels so both paths are exercised.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.questionnaire.loader import default_questionnaire
from bot.questionnaire.model import Question
from bot.survey.steps import choice_payload

# "pt" is not built in: tests add it through the translation sheet (tests/fixtures/languages).
YES = {"en": "yes", "fr": "oui", "es": "sí", "pt": "sim"}
NO = {"en": "no", "fr": "non", "es": "no", "pt": "não"}
LANGUAGE_REPLY = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}

# An employee who completed the training; every value is what the database must hold.
EMPLOYEE: dict[str, object] = {
    "bl_sex": "female",
    "bl_birth_year": 2001,
    "bl_education": "upper_secondary",
    "bl_activity_status": "unemployed_looking",
    "bl_work_experience": "yes",
    "bl_enrol_reason": "get_job",
    "bl_expectation_main": "get_job",
    "bl_expected_months_to_job": 3,
    "bl_expected_earnings": {
        "amount": 150000.0,
        "currency": "XOF",
        "period": "month",
        "follow_up": None,
        "monthly": 150000.0,
    },
    "bl_desired_occupation": "electrician",
    "bl_desired_occupation_isco": "7411",  # the ISCO-08 button tapped after the title
    "ex_completed": "completed",
    "ex_certificate": "yes",
    "ex_duration_months": 6,
    "ex_practice_share": "about_half",
    "ex_workplace_learning": "yes",
    "ex_satisfaction": 4,
    "ex_usefulness": 5,
    "ex_missing": "equipment",
    "ex_recommend": "yes",
    "fu_worked_last_week": "yes",
    "fu_status_in_employment": "employee",
    "fu_months_to_first_job": 2,
    "fu_job_start": None,  # skipped: optional
    "fu_occupation": "electrician",
    "fu_occupation_isco": "7411",
    "fu_job_relevance": "same_field",
    "fu_skills_use": "often",
    "fu_contract": "written",
    "fu_social_security": "no",
    "fu_paid_annual_leave": "no",
    "fu_paid_sick_leave": "no",
    "fu_earnings": {
        "amount": 180000.0,
        "currency": "XOF",
        "period": "month",
        "follow_up": None,
        "monthly": 180000.0,
    },
    "fu_hours_week": 40,
    "fu_further_study": "no",
    "fu_expectation_met": "yes",
    "fu_satisfaction_hindsight": 5,
}

TYPED = {
    "bl_birth_year": {"en": "2001", "fr": "deux mille un", "es": "2001", "pt": "dois mil e um"},
    "bl_expected_months_to_job": {
        "en": "3 months",
        "fr": "trois mois",
        "es": "tres meses",
        "pt": "três meses",
    },
    "bl_expected_earnings": {
        "en": "150 000 FCFA",
        "fr": "150 000 FCFA",
        "es": "150.000 FCFA",
        "pt": "150 000 FCFA",
    },
    "bl_desired_occupation": {
        "en": "electrician",
        "fr": "electrician",
        "es": "electrician",
        "pt": "electrician",
    },
    "ex_duration_months": {
        "en": "6 months",
        "fr": "six mois",
        "es": "seis meses",
        "pt": "seis meses",
    },
    "fu_months_to_first_job": {"en": "2 months", "fr": "2 mois", "es": "2 meses", "pt": "2 meses"},
    "fu_occupation": {
        "en": "electrician",
        "fr": "electrician",
        "es": "electrician",
        "pt": "electrician",
    },
    "fu_earnings": {
        "en": "180000 CFA",
        "fr": "180 000 francs CFA",
        "es": "180000 CFA",
        "pt": "180 mil francos CFA",
    },
    "fu_hours_week": {"en": "40", "fr": "40", "es": "40", "pt": "quarenta"},
}


@dataclass(frozen=True)
class Turn:
    """One trainee message and the intent NLU should give it."""

    text: str
    intent: str


def reply_for(question: Question, value: object, language: str, index: int) -> Turn:
    """The message answering ``question`` with ``value`` (tap on even turns, type on odd)."""
    if value is None:
        return Turn("/skip", "skip")
    if question.code in TYPED:
        return Turn(TYPED[question.code][language], "inform")
    if question.type == "yes_no":
        if index % 2 == 0:
            return Turn(choice_payload(str(value)), "inform")
        return Turn(
            YES[language] if value == "yes" else NO[language],
            "affirm" if value == "yes" else "deny",
        )
    if question.type == "choice":
        if index % 2 == 0:
            return Turn(choice_payload(str(value)), "inform")
        return Turn(question.choice(str(value)).label_in(language), "inform")
    if question.type == "rating":
        return Turn(str(value), "inform")
    raise ValueError(f"no scripted reply for {question.code}")


def wave_script(
    wave_kind: str, language: str, persona: dict[str, object] = EMPLOYEE
) -> list[tuple[str, Turn]]:
    """(question code, turn) for every question the persona is asked in a wave, in order."""
    questionnaire = default_questionnaire()
    answered: dict[str, object] = {}
    script = []
    for index, question in enumerate(questionnaire.for_wave(wave_kind)):
        if not question.applies({**persona_context(persona), **answered}):
            continue
        value = persona[question.code]
        script.append((question.code, reply_for(question, value, language, index)))
        if value is not None:
            answered[question.code] = value
        isco = f"{question.code}_isco"
        if value is not None and isco in persona:  # the ISCO-08 proposal that follows a title
            script.append((isco, Turn(choice_payload(str(persona[isco])), "inform")))
    return script


def persona_context(persona: dict[str, object]) -> dict[str, object]:
    """Skip-logic values of the persona's earlier-wave answers."""
    return {k: v for k, v in persona.items() if v is not None}
