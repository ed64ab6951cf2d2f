"""Which wave is open and which question comes next: pure functions over stored answers.

The wave calendar itself (ids, order, due dates) is :mod:`bot.questionnaire.waves`;
``add_months`` and ``due_waves`` are re-exported here for existing callers.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from bot.questionnaire.model import PROGRAMME_KEY, Question, Questionnaire
from bot.questionnaire.waves import (  # noqa: F401  (add_months, due_waves: re-exported)
    BASELINE,
    add_months,
    due_waves,
    fieldwork_window,
    wave_dates,
    wave_kind,
)

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def next_contact(
    cohort_end: date | None,
    started_waves: Iterable[str],
    today: date,
    followup_months: tuple[int, ...],
) -> date | None:
    """When Tracer will next write: the date of the earliest wave not yet started, if later."""
    if cohort_end is None:
        return None
    started = set(started_waves)
    planned = wave_dates(cohort_end, followup_months)
    upcoming = [when for wave, when in planned if wave not in started and when > today]
    return min(upcoming) if upcoming else None


def baseline_closes(
    cohort_start: date | None, cohort_end: date | None, grace_days: int
) -> date | None:
    """Last day a "before the training" baseline can be asked: the cohort's start date (else
    its end date) + ``grace_days``; ``None`` when the cohort has neither date (no limit)."""
    return fieldwork_window(BASELINE, cohort_start, cohort_end, grace_days).last_day


def open_wave(
    progress: Mapping[str, tuple[datetime, datetime | None]],
    cohort_end: date | None,
    today: date,
    followup_months: tuple[int, ...],
    baseline_last_day: date | None = None,
) -> str | None:
    """The wave to ask now: a started unfinished one, else baseline, else the latest due one.

    A late joiner (``today`` after ``baseline_last_day``, see :func:`baseline_closes`) is not
    asked the "before the training" baseline: the answers would describe the trainee during
    or after the training. The wave goes to the exit or the due follow-up instead.
    """
    unfinished = [(started, wave) for wave, (started, done) in progress.items() if done is None]
    if unfinished:
        return max(unfinished)[1]
    baseline_open = baseline_last_day is None or today <= baseline_last_day
    if BASELINE not in progress and baseline_open:
        return BASELINE
    pending = [w for w in due_waves(cohort_end, today, followup_months) if w not in progress]
    return pending[-1] if pending else None


def answered_values(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Question code → value for answered (not skipped) questions, for skip logic."""
    return {code: a.value for code, a in answers.items() if a.status == "answered"}


def skip_context(
    all_answers: Mapping[str, Mapping[str, Any]], wave: str, programme: str | None = None
) -> dict[str, Any]:
    """Values skip logic and placeholders may read while asking ``wave``: code → value.

    The current wave's answers, plus those of waves of *other* kinds (the baseline's, the
    exit's), never those of another wave of the same kind: a 12-month follow-up is not steered
    by what the trainee said at 6 months (an employee then, not working now, is not asked about
    a contract).  ``programme`` (the trainee's) lets programme-module questions apply.
    """
    kind = wave_kind(wave)
    context: dict[str, Any] = {PROGRAMME_KEY: programme} if programme else {}
    for other, answers in all_answers.items():
        if other != wave and wave_kind(other) != kind:
            context.update(answered_values(answers))
    context.update(answered_values(all_answers.get(wave, {})))
    return context


def next_question(
    questionnaire: Questionnaire, wave: str, answers: Mapping[str, Any], context: Mapping[str, Any]
) -> Question | None:
    """The first question of ``wave`` that applies and has no answer yet (None when done).

    ``answers`` are this wave's stored answers (code → StoredAnswer); ``context`` holds values of
    every wave (code → value) for skip logic that looks back at earlier waves.
    """
    for question in questionnaire.for_wave(wave_kind(wave)):
        if question.code in answers:
            continue
        if question.applies(context):
            return question
    return None


def _undecided(question: Question, context: Mapping[str, Any]) -> bool:
    if question.ask_if is None:
        return False
    return any(code not in context for code in question.ask_if.referenced_codes())


def progress_of(
    questionnaire: Questionnaire,
    wave: str,
    current: Question,
    answers: Mapping[str, Any],
    context: Mapping[str, Any],
) -> tuple[int, int]:
    """(position of ``current``, expected total) in the wave, given skip logic so far."""
    done = [q for q in questionnaire.for_wave(wave_kind(wave)) if q.code in answers]
    remaining = [
        q
        for q in questionnaire.for_wave(wave_kind(wave))
        if q.code not in answers and (q.applies(context) or _undecided(q, context))
    ]
    position = len(done) + 1 if current.code not in answers else done.index(current) + 1
    total = len(done) + len(remaining)
    return position, max(total, position)


def changeable_questions(
    questionnaire: Questionnaire, wave: str, current_code: str | None, answers: Mapping[str, Any]
) -> list[Question]:
    """The answered questions of this wave asked before ``current_code``, in order: the ones
    "go back" can reach and a tap on their old buttons may change."""
    ordered = [q for q in questionnaire.for_wave(wave_kind(wave)) if q.code in answers]
    if current_code is not None and current_code in answers:
        return ordered[: [q.code for q in ordered].index(current_code)]
    questions = [q.code for q in questionnaire.for_wave(wave_kind(wave))]
    if current_code in questions:
        limit = questions.index(current_code)
        ordered = [q for q in ordered if questions.index(q.code) < limit]
    return ordered


def previous_question(
    questionnaire: Questionnaire, wave: str, current_code: str | None, answers: Mapping[str, Any]
) -> Question | None:
    """The answered question asked just before ``current_code`` in this wave, if any."""
    ordered = changeable_questions(questionnaire, wave, current_code, answers)
    return ordered[-1] if ordered else None


def fill_placeholders(
    text: str,
    questionnaire: Questionnaire,
    context: Mapping[str, Any],
    language: str,
    defaults: Mapping[str, str] | None = None,
) -> str:
    """Replace ``{question_code}`` in a question text by the trainee's answer label."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        value = context.get(code)
        if value is not None and questionnaire.has_question(code):
            choice = questionnaire.question(code).choice(str(value))
            return choice.label_in(language) if choice else str(value)
        return (defaults or {}).get(language) or (defaults or {}).get("en", "")

    return _PLACEHOLDER.sub(replace, text)
