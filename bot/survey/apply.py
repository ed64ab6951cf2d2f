"""Applying a reply that was read: consent, language, programme, leaving, or an answer stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.i18n import language_kept, t
from bot.questionnaire.model import Question
from bot.survey.amounts import TIME_WORKED_FOR, completed_money_answer
from bot.survey.confirm import noted
from bot.survey.incoming import Incoming, TurnResult
from bot.survey.step import Next, Step, StepKind

if TYPE_CHECKING:
    from bot.storage.repository import TraineeInfo
    from bot.survey.turn import SurveyTurn


def apply_reply(
    turn: SurveyTurn,
    step: Step,
    question: Question,
    value: Any,
    incoming: Incoming,
    trainee: TraineeInfo | None,
    result: TurnResult,
) -> Next:
    """Act on ``value``, the reply read at ``step``: register, set, store; what comes next."""
    if step.kind is StepKind.CONSENT:
        return _consent(turn, value, incoming, trainee, result)
    if trainee is None:
        return Next.ask("consent")
    if step.kind is StepKind.LANGUAGE:
        result.language = str(value)
        result.language_known = True
        turn.store.set_language(trainee.id, result.language)
        return Next.advance()
    if step.kind is StepKind.PROGRAMME:
        cohorts = turn.store.cohorts_of(str(value))
        if len(cohorts) == 1:
            turn.store.set_cohort(trainee.id, cohorts[0][0])
            return Next.advance()
        return Next.ask(f"cohort:{value}") if cohorts else Next.advance()
    if step.kind is StepKind.COHORT:
        turn.store.set_cohort(trainee.id, int(value))
        return Next.advance()
    if step.kind is StepKind.CONFIRM_STOP:
        if value == "yes":
            turn.store.opt_out(trainee.id)
            return Next.ask("confirm_delete")
        result.messages.append(t("stop_cancelled", result.language))
        return Next.advance()
    if step.kind is StepKind.CONFIRM_DELETE:
        return _confirm_delete(turn, value, trainee, result)
    return _store_answer(turn, question, value, incoming, trainee, result)


def _consent(
    turn: SurveyTurn,
    value: Any,
    incoming: Incoming,
    trainee: TraineeInfo | None,
    result: TurnResult,
) -> Next:
    if value != "yes":
        result.outcome = "declined"
        return Next.end()
    known_language = trainee.language if trainee is not None else None
    turn.store.register_consent(
        incoming.sender_id,
        incoming.channel,
        known_language or result.language,
        incoming.invite_code,
    )
    result.clear_invite = True
    if known_language:  # a new consent version: carry on where they were
        result.language = known_language
        result.language_known = True
        return Next.advance()
    if result.language_known:  # said already: confirm in passing, do not ask
        result.messages.append(language_kept(result.language))
        return Next.advance()
    return Next.ask("language")


def _confirm_delete(turn: SurveyTurn, value: Any, trainee: TraineeInfo, result: TurnResult) -> Next:
    if value == "yes":
        turn.store.delete_personal_data(trainee.id)
        result.outcome = "deleted"
        return Next.end()
    if trainee.status == "active" and turn.store.trainee_by_id(trainee.id).status == "active":
        turn.store.opt_out(trainee.id)
    result.outcome = "opted_out"
    return Next.end()


def _store_answer(
    turn: SurveyTurn,
    question: Question,
    value: Any,
    incoming: Incoming,
    trainee: TraineeInfo,
    result: TurnResult,
) -> Next:
    wave = turn.current_wave(trainee)
    if wave is None:
        return Next.advance()
    turn.store.store_answer(
        trainee.id,
        wave,
        question.code,
        value,
        raw_text=(incoming.text or "")[:4000],
        source_message_id=incoming.message_id,
    )
    complete_amount(turn, trainee, wave, question, value, result)
    return Next.advance()


def complete_amount(
    turn: SurveyTurn,
    trainee: TraineeInfo,
    wave: str,
    question: Question,
    value: Any,
    result: TurnResult,
) -> None:
    """Derive a daily/hourly amount's monthly equivalent once the time worked is known."""
    answers = turn.store.current_answers(trainee.id).get(wave, {})
    completed = completed_money_answer(turn.questionnaire, question, value, answers)
    if completed is None:
        return
    money, updated = completed
    turn.store.update_money_answer(trainee.id, wave, money.code, updated)
    if question.extra.get(TIME_WORKED_FOR):
        result.messages.append(noted(money, updated, result.language))
