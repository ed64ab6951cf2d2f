"""The message that asks a step: wording with placeholders filled, progress line and buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import t
from bot.survey import engine
from bot.survey.step import Step
from bot.survey.steps import ButtonStamp, Prompt, render
from bot.survey.taps import confirmed_code

if TYPE_CHECKING:
    from bot.survey.turn import SurveyTurn


def prompt_for_step(
    turn: SurveyTurn, sender_id: str, step: str, language: str, channel: str | None = None
) -> Prompt:
    """The message that asks ``step``: question wording, progress and buttons."""
    code = Step(step).question_code
    if code is None:
        stamp = ButtonStamp(turn.settings.secret_key, question=confirmed_code(step))
        return render(turn.question_for_step(step), language, stamp)
    question = turn.questionnaire.question(code)
    trainee = turn.store.find_trainee(sender_id, channel)
    wave = turn.current_wave(trainee) if trainee else None
    all_answers = turn.store.current_answers(trainee.id) if trainee else {}
    answers = all_answers.get(wave or "", {})
    context = (
        engine.skip_context(all_answers, wave, trainee.programme if trainee else None)
        if wave
        else {}
    )
    defaults = question.extra.get("x_placeholder_default")
    text = engine.fill_placeholders(
        question.text_in(language), turn.questionnaire, context, language, defaults
    )
    prefix = None
    if wave:
        position, total = engine.progress_of(turn.questionnaire, wave, question, answers, context)
        prefix = t("progress", language, n=position, total=total)
    stamp = ButtonStamp(turn.settings.secret_key, wave)
    return render(question, language, stamp, text=text, prefix=prefix)
