"""Commands at a pending step: stop, delete, help, pause, change language, skip, go back."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.i18n import t
from bot.questionnaire.model import Question
from bot.survey import engine
from bot.survey.classify import language_named_in
from bot.survey.confirm import read_confirm_step, retry_message
from bot.survey.incoming import Incoming, TurnResult
from bot.survey.step import Next, Step

if TYPE_CHECKING:
    from bot.storage.repository import TraineeInfo
    from bot.survey.turn import SurveyTurn


def apply_control(
    turn: SurveyTurn,
    incoming: Incoming,
    trainee: TraineeInfo | None,
    question: Question,
    result: TurnResult,
) -> Next:
    """Carry out the command ``incoming.intent`` given at the pending step."""
    intent = incoming.intent
    step = incoming.step or ""
    pending = read_confirm_step(step)
    if pending is not None and intent in ("skip", "go_back"):  # about the question itself
        question = turn.questionnaire.question(pending[0])
        if intent == "go_back":
            result.messages.append(retry_message(question, result.language))
            return Next.ask(Step.question(question.code))
        incoming = replace(incoming, step=str(Step.question(question.code)))
    if intent in ("stop", "delete_data"):
        if trainee is None:
            result.outcome = "declined"
            return Next.end()
        return Next.ask("confirm_stop" if intent == "stop" else "confirm_delete")
    if intent == "help":
        result.messages.append(question.help_in(result.language))
        return Next.ask(step)
    if intent == "out_of_scope":
        result.messages.append(t("about_bot", result.language))
        return Next.ask(step)
    if intent == "pause":
        result.outcome = "paused"
        return Next.end()
    if intent == "change_language":
        return _change_language(turn, incoming, trainee, result)
    if intent == "skip":
        return _skip(turn, incoming, trainee, question, result)
    if intent == "go_back":
        return _go_back(turn, incoming, trainee, result)
    return Next.ask(step)


def _change_language(
    turn: SurveyTurn, incoming: Incoming, trainee: TraineeInfo | None, result: TurnResult
) -> Next:
    named = language_named_in(incoming.text)
    if not named:
        return Next.ask("language")
    result.language = named
    result.language_known = True
    if trainee is not None:
        turn.store.set_language(trainee.id, named)
    return Next.ask(incoming.step or "")


def _skip(
    turn: SurveyTurn,
    incoming: Incoming,
    trainee: TraineeInfo | None,
    question: Question,
    result: TurnResult,
) -> Next:
    step = Step(incoming.step or "")
    if trainee is None or not step.is_question or question.required:
        result.messages.append(t("skip_not_allowed", result.language))
        return Next.ask(step)
    wave = turn.current_wave(trainee)
    if wave:
        turn.store.store_answer(
            trainee.id,
            wave,
            question.code,
            None,
            raw_text=None,
            source_message_id=incoming.message_id,
            status="skipped",
        )
    result.messages.append(t("skipped", result.language))
    return Next.advance()


def _go_back(
    turn: SurveyTurn, incoming: Incoming, trainee: TraineeInfo | None, result: TurnResult
) -> Next:
    step = Step(incoming.step or "")
    wave = turn.current_wave(trainee) if trainee else None
    code = step.question_code
    if not wave or code is None or trainee is None:
        result.messages.append(t("nothing_to_go_back", result.language))
        return Next.ask(step)
    answers = turn.store.current_answers(trainee.id).get(wave, {})
    previous = engine.previous_question(turn.questionnaire, wave, code, answers)
    if previous is None:
        result.messages.append(t("nothing_to_go_back", result.language))
        return Next.ask(step)
    result.messages.append(t("going_back", result.language))
    return Next.ask(Step.question(previous.code))
