"""One turn of the survey conversation: read the trainee's message, store it, pick the next step.

This is the engine behind the ``survey_form`` loop.  It knows nothing about Rasa: the form
validation action turns a Rasa tracker into :class:`Incoming` and the :class:`TurnResult` back
into slot events and messages, so every path here is testable without a model.

The turn is split by job: reading a message (:mod:`bot.survey.classify`), commands
(:mod:`bot.survey.control`), applying a reply (:mod:`bot.survey.apply`), what comes next
(:mod:`bot.survey.progress`) and the question's wording (:mod:`bot.survey.prompts`).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from sqlalchemy.exc import OperationalError

from bot.answers.result import ParseResult
from bot.config import Settings
from bot.feedback.optout import results_choice_reply
from bot.i18n import guess_language, normalise_language, t
from bot.questionnaire.model import Question, Questionnaire
from bot.questionnaire.waves import wave_kind
from bot.storage.repository import TracerStore, TraineeInfo
from bot.survey import engine
from bot.survey.apply import apply_reply
from bot.survey.classify import (
    CONTROL_CONFIDENCE,
    CONTROL_INTENTS,
    MAX_TEXT_WORDS_FOR_CONTROL,
    is_control,
    language_named_in,
    leaving_step,
)
from bot.survey.confirm import (
    confirm_question,
    confirm_step,
    is_confirm_step,
    noted,
    read_confirm_step,
    retry_message,
)
from bot.survey.control import apply_control
from bot.survey.hints import hint_for
from bot.survey.incoming import Incoming, TurnResult
from bot.survey.occupation import (
    is_occupation_step,
    occupation_question,
    occupation_step,
    read_occupation_step,
    store_code,
    wants_isco,
)
from bot.survey.progress import advance
from bot.survey.prompts import prompt_for_step
from bot.survey.reads import reads_of
from bot.survey.step import Next, NextKind, Step
from bot.survey.steps import read_reply, system_question
from bot.survey.taps import answers_step, other_question_tap, tap_of, tapped_choice

__all__ = [
    "CONSENT_FREE_STEPS",
    "CONTROL_CONFIDENCE",
    "CONTROL_INTENTS",
    "MAX_TEXT_WORDS_FOR_CONTROL",
    "Incoming",
    "SurveyTurn",
    "TurnResult",
    "language_named_in",
    "prompt_for_step",
]

log = logging.getLogger(__name__)

# Steps a trainee without a current consent may answer: consent itself, and leaving.
CONSENT_FREE_STEPS = ("consent", "confirm_stop", "confirm_delete")
INVITE_CODE = re.compile(r"\b([A-HJ-NP-Z2-9]{10})\b")


class SurveyTurn:
    """Runs turns against one store and questionnaire."""

    def __init__(
        self,
        settings: Settings,
        questionnaire: Questionnaire,
        store: TracerStore,
        today: date | None = None,
    ) -> None:
        self.settings = settings
        self.questionnaire = questionnaire
        self._store = store
        self._today = today

    @property
    def store(self) -> TracerStore:
        """The store; inside a turn, a view that answers each read once (bot/survey/reads.py)."""
        return reads_of(self._store)

    @property
    def today(self) -> date:
        """The date used for due waves and relative dates (fixed in tests)."""
        return self._today or date.today()

    # -- entry point -------------------------------------------------------------------------
    def run(self, incoming: Incoming) -> TurnResult:
        """Handle one message; database outages become a polite retry message."""
        declared = incoming.entities.get("language") or incoming.language
        if not declared and not incoming.is_payload:
            declared = guess_language(incoming.text)
        language = normalise_language(declared)
        try:
            return self._run(incoming, TurnResult(language=language, language_known=bool(declared)))
        except OperationalError:
            log.warning("database unavailable; asking the trainee to retry")
            result = TurnResult(
                language=language, step=incoming.step if incoming.answers_step else None
            )
            result.messages.append(t("service_unavailable", language))
            result.outcome = None if result.step else "unavailable"
            return result

    def _run(self, incoming: Incoming, result: TurnResult) -> TurnResult:
        trainee = self.store.find_trainee(incoming.sender_id, incoming.channel)
        scheduled = incoming.scheduled
        if scheduled and trainee and trainee.consented and incoming.entities.get("wave"):
            self.store.start_wave(trainee.id, str(incoming.entities["wave"]))
        if self._gate(incoming, trainee, result):
            return result
        if incoming.answers_step and incoming.step and not scheduled:
            following = self._consume(incoming, trainee, result)
            if following.kind is NextKind.ASK:
                result.step = str(following.step) or None
                return result
            if following.kind is NextKind.END or result.outcome:
                result.step = None
                return result
            trainee = self.store.find_trainee(incoming.sender_id, incoming.channel)
        elif trainee is None:
            if incoming.intent in ("stop", "delete_data"):
                result.outcome = "declined"
                return result
            result.messages.append(t("welcome", result.language))
            result.step = "consent"
            return result
        elif trainee.language and not incoming.language:
            result.language = trainee.language
            result.language_known = True
        outside = not incoming.answers_step and not scheduled
        late = outside and trainee is not None and self._late_answer(incoming, trainee, result)
        if outside and not late and trainee is not None and self.has_answers(trainee):
            result.messages.append(t("welcome_back", result.language))
        advance(self, trainee, result)
        return result

    def _gate(self, incoming: Incoming, trainee: TraineeInfo | None, result: TurnResult) -> bool:
        """Opted-out trainees, leaving, and consent before anything; True when handled."""
        reconsenting = incoming.answers_step and incoming.step in ("consent", "confirm_delete")
        if trainee and trainee.status != "active" and not reconsenting:
            if incoming.intent in ("greet", "affirm") and not incoming.answers_step:
                result.messages.append(t("welcome", result.language))
                result.step = "consent"
            else:
                result.outcome = "opted_out_already"
            return True
        if trainee is None:
            return False
        lang = trainee.language or result.language
        reply = results_choice_reply(self.settings.database_url, trainee.id, incoming.text, lang)
        if reply is not None:  # issue 20: results off (or on again), then the pending question
            result.language = lang
            result.messages.append(reply)
            result.step = incoming.step if incoming.answers_step else None
            return True
        leaving = None
        if not incoming.scheduled and not incoming.answers_step:
            leaving = leaving_step(incoming)  # "stop" / "delete my data" as a first message
        answering_consent = incoming.answers_step and incoming.step in CONSENT_FREE_STEPS
        if not leaving and (trainee.consented or answering_consent):
            return False
        # Consent before anything, for everyone: also a new consent version asks again.
        result.language = trainee.language or result.language
        result.language_known = result.language_known or bool(trainee.language)
        if leaving:
            result.step = leaving
        else:
            result.messages.append(t("welcome", result.language))
            result.step = "consent"
        return True

    # -- reading a reply ---------------------------------------------------------------------
    def _reply_text(self, incoming: Incoming, question: Question) -> str:
        tapped = tapped_choice(self, tap_of(incoming, self.settings.secret_key), question, incoming)
        if tapped is not None:
            return tapped
        choice = incoming.entities.get("choice")
        return str(choice) if choice is not None else (incoming.text or "")

    def question_for_step(self, step: str) -> Question:
        """The question (or pseudo-question of a system step) that ``step`` asks."""
        code = Step(step).question_code
        if code is not None:
            return self.questionnaire.question(code)
        pending = read_confirm_step(step)
        if pending is not None:
            return confirm_question(self.questionnaire.question(pending[0]), pending[1])
        proposed = read_occupation_step(step) if is_occupation_step(step) else None
        if proposed is not None:
            return occupation_question(self.questionnaire.question(proposed[0]), proposed[1])
        if step == "programme":
            return system_question(step, programmes=self.store.programmes())
        if step.startswith("cohort:"):
            return system_question(step, cohorts=self.store.cohorts_of(step.split(":", 1)[1]))
        return system_question(step)

    def _stale(self, step: str) -> bool:
        """True when ``step`` names a question the questionnaire no longer has."""
        code = Step(step).question_code
        if code is not None:
            return not self.questionnaire.has_question(code)
        if is_confirm_step(step):
            pending = read_confirm_step(step)
            return pending is None or not self.questionnaire.has_question(pending[0])
        if is_occupation_step(step):
            proposed = read_occupation_step(step)
            return proposed is None or not self.questionnaire.has_question(proposed[0])
        return False

    def _consume(self, incoming: Incoming, trainee: TraineeInfo | None, result: TurnResult) -> Next:
        """Apply the reply to the step asked; what comes next."""
        step = incoming.step or ""
        if self._stale(step):
            return Next.advance()
        question = self.question_for_step(step)
        tap = tap_of(incoming, self.settings.secret_key)
        if tap is not None and not answers_step(self, tap, step, trainee):
            return other_question_tap(self, tap, incoming, trainee, result)
        reply = self._reply_text(incoming, question)
        country = trainee.country if trainee else None
        parsed = read_reply(question, reply, result.language, self.today, country)
        read = (parsed.ok or parsed.confirm) and not parsed.details.get("free_text")
        if is_control(incoming, question, read):
            return apply_control(self, incoming, trainee, question, result)
        if not parsed.ok and step == "consent" and incoming.intent == "greet":
            result.messages.append(t("welcome", result.language))  # greeted back, asked again
            return Next.ask(step)
        pending = read_confirm_step(step)
        if pending is not None:
            return self._confirmed(pending, parsed, reply, incoming, trainee, result)
        if is_occupation_step(step) and parsed.ok and trainee is not None:
            return self._occupation_code(step, parsed, incoming, trainee, result)
        if parsed.confirm and Step(step).is_question:
            return Next.ask(confirm_step(question.code, parsed.value))
        if not parsed.ok and step == "programme":
            return self._try_invite(incoming, trainee, result)
        if not parsed.ok:
            result.messages.append(
                hint_for(question, parsed, result.language, failures=incoming.failures)
            )
            return Next.ask(step)
        return self._store_read(Step(step), question, parsed, incoming, trainee, result)

    def _occupation_code(
        self,
        step: str,
        parsed: ParseResult,
        incoming: Incoming,
        trainee: TraineeInfo,
        result: TurnResult,
    ) -> Next:
        """A code chosen from "Is your work one of these?" (see bot/survey/occupation.py)."""
        proposed = read_occupation_step(step)
        if proposed is None:
            return Next.advance()
        wave = self.current_wave(trainee)
        if wave:
            note = store_code(
                self.store,
                trainee.id,
                wave,
                proposed[0],
                parsed.value,
                incoming.message_id,
                result.language,
            )
            result.messages.extend(note)
        return Next.advance()

    def _store_read(
        self,
        step: Step,
        question: Question,
        parsed: ParseResult,
        incoming: Incoming,
        trainee: TraineeInfo | None,
        result: TurnResult,
    ) -> Next:
        """Apply a parsed reply; echo it ("Noted: 2 out of 5") when it was read from words."""
        following = apply_reply(self, step, question, parsed.value, incoming, trainee, result)
        if following.advances and not result.outcome and wants_isco(question):
            proposals = occupation_step(question, str(parsed.value))
            following = Next.ask(proposals) if proposals else following
        if parsed.echo and step.is_question and following.advances and not result.outcome:
            result.messages.append(noted(question, parsed.value, result.language))
        return following

    def _confirmed(
        self,
        pending: tuple[str, Any],
        parsed: ParseResult,
        reply: str,
        incoming: Incoming,
        trainee: TraineeInfo | None,
        result: TurnResult,
    ) -> Next:
        """The reply to "2 out of 5 — is that right?" (see bot/survey/confirm.py)."""
        code, proposed = pending
        question = self.questionnaire.question(code)
        step = Step.question(code)
        if parsed.ok and parsed.value == "yes":
            sure = ParseResult(ok=True, value=proposed, echo=True)
            return self._store_read(step, question, sure, incoming, trainee, result)
        country = trainee.country if trainee else None
        fresh = read_reply(question, reply, result.language, self.today, country)
        if fresh.ok and not (parsed.ok and fresh.echo):  # a new answer instead of yes/no
            return self._store_read(step, question, fresh, incoming, trainee, result)
        if parsed.ok:  # no
            result.messages.append(retry_message(question, result.language))
            return Next.ask(step)
        if fresh.confirm:
            return Next.ask(confirm_step(code, fresh.value))
        asked = confirm_question(question, proposed)
        result.messages.append(hint_for(asked, parsed, result.language))
        return Next.ask(incoming.step or "")

    def _late_answer(self, incoming: Incoming, trainee: TraineeInfo, result: TurnResult) -> bool:
        """Store a reply that arrives after the conversation session expired (hours later).

        The loop is no longer active, but the question last asked is still in the ``step``
        slot: a message that is a valid answer to it is taken as one instead of re-asking.
        """
        step = incoming.step or ""
        tap = tap_of(incoming, self.settings.secret_key)
        if tap is not None and not answers_step(self, tap, step, trainee):
            other_question_tap(self, tap, incoming, trainee, result)  # an old keyboard's button
            return True
        code = Step(step).question_code
        if code is None or not self.questionnaire.has_question(code):
            return False
        if incoming.intent in CONTROL_INTENTS or incoming.intent == "greet":
            return False
        question = self.questionnaire.question(code)
        wave = self.current_wave(trainee)
        if wave is None or wave_kind(wave) != question.wave:
            return False
        if question.code in self.store.current_answers(trainee.id).get(wave, {}):
            return False
        reply = self._reply_text(incoming, question)
        parsed = read_reply(question, reply, result.language, self.today, trainee.country)
        if not parsed.ok or question.type == "text":
            return False
        self._store_read(Step(step), question, parsed, incoming, trainee, result)
        return True

    def _try_invite(
        self, incoming: Incoming, trainee: TraineeInfo | None, result: TurnResult
    ) -> Next:
        match = INVITE_CODE.search((incoming.text or "").upper())
        if (
            trainee
            and match
            and self.store.redeem_invite(
                trainee.id, match.group(1), incoming.channel, incoming.sender_id
            )
        ):
            return Next.advance()
        result.messages.append(t("invite_invalid", result.language))
        return Next.ask("programme")

    # -- where the trainee is ----------------------------------------------------------------
    def has_answers(self, trainee: TraineeInfo) -> bool:
        """True when the trainee has answered anything (a returning trainee is welcomed back)."""
        return bool(self.store.current_answers(trainee.id))

    def current_wave(self, trainee: TraineeInfo) -> str | None:
        """The wave the trainee should be answering today, if any."""
        return engine.open_wave(
            self.store.wave_progress(trainee.id),
            trainee.cohort_end,
            self.today,
            self.settings.followup_months,
            engine.baseline_closes(
                trainee.cohort_start, trainee.cohort_end, self.settings.baseline_grace_days
            ),
        )
