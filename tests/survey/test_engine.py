"""Wave scheduling, next-question choice, progress and going back (pure engine logic)."""

from __future__ import annotations

from datetime import date, datetime

from bot.questionnaire.loader import default_questionnaire
from bot.storage.repository import StoredAnswer
from bot.survey import engine

NOW = datetime(2026, 1, 1)


def stored(**values):
    return {code: StoredAnswer(code, "answered", value, NOW) for code, value in values.items()}


def test_add_months_clamps_to_month_end():
    assert engine.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert engine.add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)


def test_due_waves_follow_the_completion_date():
    end = date(2026, 6, 30)
    assert engine.due_waves(end, date(2026, 6, 1), (6, 12)) == []
    assert engine.due_waves(end, date(2026, 7, 1), (6, 12)) == ["exit"]
    assert engine.due_waves(end, date(2027, 1, 1), (6, 12)) == ["exit", "followup_6"]
    assert engine.due_waves(end, date(2027, 7, 1), (6, 12)) == ["exit", "followup_6", "followup_12"]


def test_open_wave_prefers_an_unfinished_wave_then_baseline_then_latest_due():
    end = date(2026, 6, 30)
    assert engine.open_wave({}, end, date(2027, 7, 1), (6, 12)) == "baseline"
    done = {"baseline": (NOW, NOW)}
    assert engine.open_wave(done, end, date(2026, 1, 1), (6, 12)) is None
    assert engine.open_wave(done, end, date(2027, 7, 1), (6, 12)) == "followup_12"
    started = {**done, "exit": (NOW, None)}
    assert engine.open_wave(started, end, date(2027, 7, 1), (6, 12)) == "exit"


def test_job_questions_are_skipped_for_someone_not_working():
    q = default_questionnaire()
    answers = stored(
        fu_worked_last_week="no",
        fu_temp_absent="no",
        fu_looked_for_work="yes",
        fu_available="yes",
        fu_had_job_since="no",
    )
    context = engine.answered_values(answers)
    remaining = []
    current = dict(answers)
    while (question := engine.next_question(q, "followup_6", current, context)) is not None:
        remaining.append(question.code)
        current[question.code] = StoredAnswer(question.code, "answered", "no", NOW)
    assert "fu_earnings" not in remaining and "fu_occupation" not in remaining
    assert "fu_further_study" in remaining


def test_progress_counts_questions_still_possible():
    q = default_questionnaire()
    first = engine.next_question(q, "baseline", {}, {})
    position, total = engine.progress_of(q, "baseline", first, {}, {})
    assert position == 1
    assert total == len(q.for_wave("baseline"))


def test_previous_question_is_the_last_answered_before_the_current_one():
    q = default_questionnaire()
    answers = stored(bl_sex="female", bl_birth_year=2001)
    previous = engine.previous_question(q, "baseline", "bl_education", answers)
    assert previous.code == "bl_birth_year"
    assert engine.previous_question(q, "baseline", "bl_sex", {}) is None


def test_placeholder_takes_the_baseline_label_in_the_trainee_language():
    q = default_questionnaire()
    text = q.question("fu_expectation_met").text_in("fr")
    filled = engine.fill_placeholders(text, q, {"bl_expectation_main": "get_job"}, "fr")
    label = q.question("bl_expectation_main").choice("get_job").label_in("fr")
    assert label in filled and "{" not in filled


def test_first_message_language_is_guessed_only_when_clear():
    from bot.i18n import guess_language

    assert guess_language("Bonjour !") == "fr"
    assert guess_language("hola, buenos días") == "es"
    assert guess_language("hi there") == "en"
    assert guess_language("ok") is None


def test_a_later_follow_up_is_not_steered_by_an_earlier_one():
    """An employee at 6 months who is not working at 12 is not asked about a contract at 12."""
    q = default_questionnaire()
    all_answers = {
        "baseline": stored(bl_activity_status="employee"),
        "followup_6": stored(fu_worked_last_week="yes", fu_status_in_employment="employee"),
        "followup_12": stored(
            fu_worked_last_week="no",
            fu_temp_absent="no",
            fu_looked_for_work="yes",
            fu_available="yes",
            fu_had_job_since="no",
        ),
    }
    context = engine.skip_context(all_answers, "followup_12")
    assert "fu_status_in_employment" not in context  # the 6-month answer stays in its wave
    assert context["bl_activity_status"] == "employee"  # the baseline may be read
    current = dict(all_answers["followup_12"])
    asked = []
    while (question := engine.next_question(q, "followup_12", current, context)) is not None:
        asked.append(question.code)
        current[question.code] = StoredAnswer(question.code, "answered", "no", NOW)
        context = engine.skip_context({**all_answers, "followup_12": current}, "followup_12")
    assert "fu_contract" not in asked and "fu_social_security" not in asked
    old_way = {}
    for answers in all_answers.values():
        old_way.update(engine.answered_values(answers))
    assert q.question("fu_contract").applies(old_way)  # what the mixed context used to ask


def test_a_late_joiner_is_not_asked_the_before_training_baseline():
    start, end = date(2026, 1, 12), date(2026, 6, 30)
    closes = engine.baseline_closes(start, end, 30)
    assert closes == date(2026, 2, 11)
    assert engine.open_wave({}, end, date(2026, 2, 11), (6, 12), closes) == "baseline"
    # joined in training, after the grace: nothing to ask until the exit
    assert engine.open_wave({}, end, date(2026, 2, 12), (6, 12), closes) is None
    # joined after the training: the exit, or the latest due follow-up
    assert engine.open_wave({}, end, date(2026, 7, 1), (6, 12), closes) == "exit"
    assert engine.open_wave({}, end, date(2027, 7, 1), (6, 12), closes) == "followup_12"
    # a baseline started in time is resumed even after its window
    started = {"baseline": (NOW, None)}
    assert engine.open_wave(started, end, date(2026, 7, 1), (6, 12), closes) == "baseline"
    # no start date: the end date + grace; no dates at all: no limit
    assert engine.baseline_closes(None, end, 30) == date(2026, 7, 30)
    assert engine.baseline_closes(None, None, 30) is None


def test_an_hourly_earner_is_not_asked_their_hours_twice():
    q = default_questionnaire()

    def asked_after(pay: dict | None, status: str = "answered") -> list[str]:
        answers = stored(fu_worked_last_week="yes", fu_status_in_employment="employee")
        asked: list[str] = []
        while True:
            context = engine.answered_values(answers)
            question = engine.next_question(q, "followup_6", answers, context)
            if question is None:
                return asked
            asked.append(question.code)
            value = pay if question.code == "fu_earnings" else "yes"
            if q.question(question.code).type in ("integer", "duration", "rating"):
                value = 40
            answer_status = status if question.code == "fu_earnings" else "answered"
            answers[question.code] = StoredAnswer(question.code, answer_status, value, NOW)

    hourly = {"amount": 5, "currency": "USD", "period": "hour", "follow_up": "hours_per_week"}
    asked = asked_after(hourly)
    assert "fu_earnings_hours" in asked and "fu_hours_week" not in asked
    monthly = asked_after({"amount": 500, "currency": "USD"})
    assert "fu_earnings_hours" not in monthly and "fu_hours_week" in monthly
    # pay not given: the usual hours are still asked
    assert "fu_hours_week" in asked_after(None, status="skipped")
