"""Button taps in the survey turn: which question a tap answers, and taps on old keyboards.

Every button names the question and wave it was sent with (:mod:`bot.survey.buttons`). A tap
that names the pending question answers it. Any other tap is never taken as the pending
question's answer: when it names an answered question of the open wave that "go back" could
reach, that answer is changed (the old one is kept as history) and the trainee is told;
otherwise the trainee hears that the button belongs to an earlier question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answers import parse_answer
from bot.i18n import t
from bot.questionnaire.model import Question
from bot.questionnaire.waves import wave_kind
from bot.survey import engine
from bot.survey.buttons import ENTITY, Tap, read_tap
from bot.survey.confirm import read_confirm_step
from bot.survey.occupation import is_occupation_step, read_occupation_step
from bot.survey.step import Next
from bot.survey.steps import choice_codes, choice_label

if TYPE_CHECKING:
    from bot.storage.repository import TraineeInfo
    from bot.survey.incoming import Incoming, TurnResult
    from bot.survey.turn import SurveyTurn


def tap_of(incoming: Incoming, secret: str) -> Tap | None:
    """The button tap carried by ``incoming``; None for typed text and bare-choice payloads."""
    return read_tap(secret, incoming.entities.get(ENTITY))


def confirmed_code(step: str) -> str | None:
    """What the buttons of a follow-up step name: ``confirm:<question code>`` for a
    confirmation, ``isco:<question code>`` for occupation proposals, so a button kept from the
    same kind of step about another question answers nothing (None for other steps)."""
    pending = read_confirm_step(step)
    if pending is not None:
        return f"confirm:{pending[0]}"
    proposed = read_occupation_step(step) if is_occupation_step(step) else None
    return f"isco:{proposed[0]}" if proposed is not None else None


def _confirmed_question(turn: SurveyTurn, step: str) -> Question | None:
    pending = read_confirm_step(step)
    if pending is None or not turn.questionnaire.has_question(pending[0]):
        return None
    return turn.questionnaire.question(pending[0])


def tapped_choice(
    turn: SurveyTurn, tap: Tap | None, question: Question, incoming: Incoming
) -> str | None:
    """The choice code a tap stands for: on ``question``'s keyboard or, at a confirmation, on
    the keyboard of the question being confirmed."""
    if tap is None:
        return None
    found = tap.choice_among(choice_codes(question))
    confirmed = _confirmed_question(turn, incoming.step or "")
    if found is None and confirmed is not None and tap.is_for(confirmed.code):
        found = tap.choice_among(choice_codes(confirmed))
    return found


def answers_pending(tap: Tap, question: Question, wave: str | None) -> bool:
    """True when ``tap`` was sent with the pending ``question`` of ``wave``."""
    return tap.valid and tap.is_for(question.code) and tap.wave == wave


def answers_step(turn: SurveyTurn, tap: Tap, step: str, trainee: TraineeInfo | None) -> bool:
    """True when ``tap`` was sent with the pending ``step`` (and, for questions, its wave)."""
    if not tap.valid or not step:
        return False
    confirmed = _confirmed_question(turn, step)
    if confirmed is not None:  # the confirmation's yes/no, or the confirmed question's keyboard
        wave = turn.current_wave(trainee) if trainee is not None else None
        own = tap.is_for(confirmed_code(step) or "") and tap.wave is None
        return own or (wave is not None and answers_pending(tap, confirmed, wave))
    if step.startswith("q:"):
        if not turn.questionnaire.has_question(step[2:]) or trainee is None:
            return False
        question = turn.questionnaire.question(step[2:])
        return answers_pending(tap, question, turn.current_wave(trainee))
    named = confirmed_code(step)
    if named is not None:
        return tap.is_for(named) and tap.wave is None
    return answers_pending(tap, turn.question_for_step(step), None)


def other_question_tap(
    turn: SurveyTurn,
    tap: Tap,
    incoming: Incoming,
    trainee: TraineeInfo | None,
    result: TurnResult,
) -> Next:
    """Handle a tap that is not for the pending step.

    Advances (the pending question is asked again, or what skip logic now asks after the
    change) or re-asks the pending step with an explanation.
    """
    step = incoming.step or ""
    if _change_earlier_answer(turn, tap, incoming, trainee, result):
        return Next.advance()
    result.messages.append(t("tap_earlier_question", result.language))
    return Next.ask(step) if step else Next.advance()


def _change_earlier_answer(
    turn: SurveyTurn,
    tap: Tap,
    incoming: Incoming,
    trainee: TraineeInfo | None,
    result: TurnResult,
) -> bool:
    step = incoming.step or ""
    if not tap.valid or trainee is None or not step.startswith("q:"):
        return False
    if incoming.intent != "inform":
        return False  # an old Skip button: skipping an answered question is not a change
    wave = turn.current_wave(trainee)
    if wave is None or tap.wave != wave:
        return False
    answers = turn.store.current_answers(trainee.id).get(wave, {})
    reachable = engine.changeable_questions(turn.questionnaire, wave, step[2:], answers)
    code = tap.question_among(q.code for q in reachable)
    if code is None:
        return False
    question = turn.questionnaire.question(code)
    choice = tap.choice_among(choice_codes(question))
    if choice is None or wave_kind(wave) != question.wave:
        return False
    parsed = parse_answer(question, choice, result.language, today=turn.today)
    if not parsed.ok:
        return False
    label = question.label_in(result.language)
    answer = choice_label(question, choice, result.language)
    stored = answers[code]
    if stored.status == "answered" and stored.value == parsed.value:
        result.messages.append(t("tap_unchanged", result.language, question=label, answer=answer))
        return True
    turn.store.store_answer(
        trainee.id,
        wave,
        code,
        parsed.value,
        raw_text=None,
        source_message_id=incoming.message_id,
    )
    result.messages.append(t("tap_changed", result.language, question=label, answer=answer))
    return True
