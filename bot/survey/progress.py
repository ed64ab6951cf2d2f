"""Choosing what comes next: the next due question of the open wave, or the end of a wave."""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel.dates import format_date

from bot.i18n import t
from bot.questionnaire.waves import followup_months_of, wave_kind
from bot.survey import engine
from bot.survey.incoming import TurnResult
from bot.survey.step import Step

if TYPE_CHECKING:
    from bot.storage.repository import TraineeInfo
    from bot.survey.turn import SurveyTurn

# Waves that can complete in one turn (one ends, the next is already due and empty...).
MAX_WAVES_PER_TURN = 4


def advance(turn: SurveyTurn, trainee: TraineeInfo | None, result: TurnResult) -> None:
    """Set ``result.step`` to the next thing to ask, or end with an outcome."""
    if trainee is None:
        result.step = "consent"
        return
    if trainee.cohort_id is None and turn.store.programmes():
        result.step = "programme"
        return
    for _ in range(MAX_WAVES_PER_TURN):
        wave = turn.current_wave(trainee)
        if wave is None:
            if result.outcome and result.outcome.startswith("completed_"):
                announce_next_contact(turn, trainee, result)
            result.outcome = result.outcome or "nothing_due"
            return
        all_answers = turn.store.current_answers(trainee.id)
        answers = all_answers.get(wave, {})
        context = engine.skip_context(all_answers, wave, trainee.programme)
        question = engine.next_question(turn.questionnaire, wave, answers, context)
        if question is not None:
            if not answers:
                turn.store.start_wave(trainee.id, wave)
                result.messages.append(wave_intro(turn, wave, answers, context, result.language))
            result.step = str(Step.question(question.code))
            result.wave = wave
            return
        turn.store.complete_wave(trainee.id, wave)
        result.messages.append(t(f"wave_done_{wave_kind(wave)}", result.language))
        result.outcome = f"completed_{wave}"
    result.outcome = result.outcome or "nothing_due"


def announce_next_contact(turn: SurveyTurn, trainee: TraineeInfo, result: TurnResult) -> None:
    """After a wave: say roughly when Tracer will write again (month and year)."""
    when = engine.next_contact(
        trainee.cohort_end,
        turn.store.wave_progress(trainee.id),
        turn.today,
        turn.settings.followup_months,
    )
    if when is None:
        return
    month = format_date(when, "MMMM y", locale=result.language)
    # baseline and exit thanks already say "I will write again": add the date only
    outcome = result.outcome or ""
    key = "next_contact" if outcome.startswith("completed_followup") else "next_contact_date"
    result.messages.append(t(key, result.language, when=month))


def wave_intro(turn: SurveyTurn, wave: str, answers: dict, context: dict, language: str) -> str:
    """The message that opens ``wave``: what it is about and how many questions it has."""
    first = engine.next_question(turn.questionnaire, wave, answers, context)
    count = engine.progress_of(turn.questionnaire, wave, first, answers, context)[1] if first else 0
    months = followup_months_of(wave) or ""
    return t(f"wave_intro_{wave_kind(wave)}", language, count=count, months=months)
