"""One synthetic trainee's answers to every wave, following the questionnaire's skip logic.

Used by :mod:`bot.demo_data`; the random draws come from the generator's seeded ``rng`` in a
fixed order, so a seed always gives the same answers.
"""

from __future__ import annotations

import random
from typing import Any

EDUCATION: dict[str, float] = {
    "none": 3,
    "primary": 15,
    "lower_secondary": 30,
    "upper_secondary": 35,
    "tvet": 10,
    "tertiary": 7,
}

ACTIVITY: dict[str, float] = {
    "employee": 14,
    "self_employed": 12,
    "unemployed_looking": 40,
    "studying": 18,
    "not_working_other": 16,
}

ENROL_REASON: dict[str, float] = {
    "get_job": 40,
    "better_job": 12,
    "start_business": 18,
    "learn_skill": 15,
    "get_certificate": 10,
    "other": 5,
}

EXPECTATION: dict[str, float] = {
    "get_job": 40,
    "start_business": 18,
    "earn_more": 17,
    "learn_skill": 15,
    "get_certificate": 10,
}

DROPOUT_REASON: dict[str, float] = {
    "found_job": 25,
    "financial": 25,
    "family": 18,
    "course_quality": 10,
    "health": 7,
    "moved": 8,
    "other": 7,
}

MISSING: dict[str, float] = {
    "practical_work": 35,
    "equipment": 25,
    "trainer_quality": 10,
    "workplace_learning": 20,
    "nothing": 10,
}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _rating(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


def _money(rng: random.Random, median: float) -> float:
    return float(round(rng.lognormvariate(0, 0.45) * median, -2))


class TraineeAnswers:
    """Generate one trainee's answers, wave by wave, honouring the skip logic."""

    def __init__(self, rng: random.Random, sex: str, birth_year: int) -> None:
        self.rng = rng
        self.sex = sex
        self.birth_year = birth_year
        self.currency = "USD" if rng.random() < 0.03 else "XOF"
        self.baseline: dict[str, Any] = {}
        self.completed = rng.random() < 0.85

    def baseline_answers(self) -> dict[str, Any]:
        """The baseline answers (kept: later waves read them)."""
        rng = self.rng
        a: dict[str, Any] = {"bl_sex": self.sex, "bl_birth_year": self.birth_year}
        a["bl_education"] = _pick(rng, EDUCATION)
        status = _pick(rng, ACTIVITY)
        a["bl_activity_status"] = status
        if status in ("employee", "self_employed"):
            a["bl_earnings"] = {
                "amount": _money(rng, 55_000 if self.currency == "XOF" else 95),
                "currency": self.currency,
            }
        a["bl_work_experience"] = (
            "yes" if status in ("employee", "self_employed") or (rng.random() < 0.35) else "no"
        )
        a["bl_enrol_reason"] = _pick(rng, ENROL_REASON)
        a["bl_expectation_main"] = _pick(rng, EXPECTATION)
        if a["bl_expectation_main"] == "get_job":
            a["bl_expected_months_to_job"] = None if rng.random() < 0.15 else rng.randint(0, 9)
        a["bl_expected_earnings"] = (
            None
            if rng.random() < 0.2
            else {
                "amount": _money(rng, 90_000 if self.currency == "XOF" else 160),
                "currency": self.currency,
            }
        )
        self.baseline = a
        return a

    def exit_answers(self) -> dict[str, Any]:
        """The exit answers: completion, training, satisfaction."""
        rng = self.rng
        a: dict[str, Any] = {"ex_completed": "completed" if self.completed else "dropped_out"}
        if self.completed:
            a["ex_certificate"] = "yes" if rng.random() < 0.9 else "no"
        else:
            a["ex_dropout_reason"] = _pick(rng, DROPOUT_REASON)
        a["ex_duration_months"] = rng.randint(6, 10) if self.completed else rng.randint(1, 6)
        a["ex_practice_share"] = _pick(
            rng, {"none": 5, "less_quarter": 25, "about_half": 45, "most": 25}
        )
        a["ex_workplace_learning"] = "yes" if rng.random() < 0.45 else "no"
        a["ex_satisfaction"] = _rating(rng, 4.0 if self.completed else 3.0)
        a["ex_usefulness"] = _rating(rng, 3.9 if self.completed else 3.1)
        a["ex_missing"] = _pick(rng, MISSING)
        a["ex_recommend"] = "yes" if rng.random() < 0.82 else "no"
        return a

    def followup_answers(self, months: int) -> dict[str, Any]:
        """The answers of the follow-up ``months`` after the end of training."""
        rng = self.rng
        expectation = self.baseline.get("bl_expectation_main", "get_job")
        p_employed = 0.42 + (0.12 if self.completed else 0) + (0.08 if months >= 12 else 0)
        p_employed -= 0.07 if self.sex == "female" else 0
        a: dict[str, Any] = {}
        employed = rng.random() < p_employed
        if employed:
            a["fu_worked_last_week"] = "yes" if rng.random() < 0.92 else "no"
            if a["fu_worked_last_week"] == "no":
                a["fu_temp_absent"] = "yes"
        else:
            a["fu_worked_last_week"] = "no"
            a["fu_temp_absent"] = "no"
            looked = rng.random() < 0.55
            a["fu_looked_for_work"] = "yes" if looked else "no"
            a["fu_available"] = "yes" if rng.random() < (0.85 if looked else 0.4) else "no"
            if not looked:
                a["fu_inactive_reason"] = _pick(
                    rng, {"studying": 35, "care": 30, "illness": 5, "discouraged": 20, "other": 10}
                )
            a["fu_had_job_since"] = "yes" if rng.random() < 0.2 else "no"
        if employed or a.get("fu_had_job_since") == "yes":
            a["fu_months_to_first_job"] = min(months, int(rng.expovariate(1 / 3.5)))
        if employed:
            self._job(a, expectation)
        a["fu_further_study"] = (
            "yes"
            if rng.random() < (0.4 if a.get("fu_inactive_reason") == "studying" else 0.08)
            else "no"
        )
        met = 0.35 + (0.35 if employed else 0) + (0.1 if self.completed else 0)
        roll = rng.random()
        a["fu_expectation_met"] = "yes" if roll < met else ("partly" if roll < met + 0.25 else "no")
        a["fu_satisfaction_hindsight"] = _rating(rng, 3.9 if employed else 3.2)
        return a

    def _job(self, a: dict[str, Any], expectation: str) -> None:
        """The questions about the job of a trainee in work, written into ``a``."""
        rng = self.rng
        business = 0.25 if expectation == "start_business" else 0.0
        status = _pick(
            rng,
            {
                "employee": 55 - business * 100,
                "own_account": 28 + business * 80,
                "employer": 7 + business * 20,
                "family_worker": 10,
            },
        )
        a["fu_status_in_employment"] = status
        a["fu_job_relevance"] = _pick(rng, {"same_field": 50, "related_field": 25, "unrelated": 25})
        a["fu_skills_use"] = _pick(rng, {"often": 50, "sometimes": 35, "never": 15})
        if status == "employee":
            a["fu_contract"] = _pick(rng, {"written": 45, "verbal": 35, "none": 20})
            a["fu_social_security"] = "yes" if rng.random() < 0.4 else "no"
        if status in ("employer", "own_account"):
            a["fu_business_registered"] = "yes" if rng.random() < 0.3 else "no"
        if rng.random() < 0.9:
            base = self.baseline.get("bl_earnings")
            median = base["amount"] * 1.25 if base else (70_000 if self.currency == "XOF" else 120)
            a["fu_earnings"] = {"amount": _money(rng, median), "currency": self.currency}
        a["fu_hours_week"] = max(1, min(84, round(rng.gauss(42, 10))))
