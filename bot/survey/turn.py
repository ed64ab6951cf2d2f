"""One turn of the survey conversation: read the trainee's message, store it, pick the next step.

This is the engine behind the ``survey_form`` loop.  It knows nothing about Rasa: the form
validation action turns a Rasa tracker into :class:`Incoming` and the :class:`TurnResult` back
into slot events and messages, so every path here is testable without a model.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from babel.dates import format_date
from sqlalchemy.exc import OperationalError

from bot.answers import parse_answer
from bot.answers.result import ParseResult
from bot.config import Settings
from bot.i18n import guess_language, normalise_language, t
from bot.questionnaire.loader import wave_kind
from bot.questionnaire.model import Question, Questionnaire
from bot.storage.repository import TracerStore, TraineeInfo
from bot.survey import engine
from bot.survey.amounts import TIME_WORKED_FOR, completed_money_answer
from bot.survey.confirm import (
    confirm_question,
    confirm_step,
    is_confirm_step,
    noted,
    read_confirm_step,
    retry_message,
)
from bot.survey.hints import hint_for
from bot.survey.occupation import (
    is_occupation_step,
    occupation_question,
    occupation_step,
    read_occupation_step,
    store_code,
    wants_isco,
)
from bot.survey.reads import reads_of
from bot.survey.steps import ButtonStamp, Prompt, render, system_question
from bot.survey.taps import (
    answers_step,
    confirmed_code,
    other_question_tap,
    tap_of,
    tapped_choice,
)

log = logging.getLogger(__name__)

CONTROL_INTENTS = {
    "stop",
    "delete_data",
    "help",
    "skip",
    "go_back",
    "change_language",
    "pause",
    "out_of_scope",
}
CONTROL_CONFIDENCE = 0.75
MAX_TEXT_WORDS_FOR_CONTROL = 6
LANGUAGE_WORDS = {
    "en": ("english", "anglais", "ingles", "inglés"),
    "fr": ("french", "francais", "français", "frances", "francés"),
    "es": ("spanish", "espagnol", "espanol", "español", "castellano"),
}
# Steps a trainee without a current consent may answer: consent itself, and leaving.
CONSENT_FREE_STEPS = ("consent", "confirm_stop", "confirm_delete")
INVITE_CODE = re.compile(r"\b([A-HJ-NP-Z2-9]{10})\b")


@dataclass(frozen=True)
class Incoming:
    """The facts of one user message that the engine needs."""

    sender_id: str
    channel: str
    text: str | None
    intent: str | None
    confidence: float
    entities: dict[str, Any]
    message_id: str
    step: str | None
    language: str | None
    answers_step: bool
    invite_code: str | None = None
    scheduled: bool = False  # a trigger_intent from the scheduler, never a user's typing
    failures: int = 0  # earlier failed tries at this step (bot/survey/retries.py)


@dataclass
class TurnResult:
    """What to say and where the conversation goes next."""

    language: str
    messages: list[str] = field(default_factory=list)
    step: str | None = None
    outcome: str | None = None
    wave: str | None = None
    clear_invite: bool = False
    # Whether the language was said (page, invitation, Telegram, the trainee's words or record)
    # rather than defaulted: a known language is confirmed in passing, not asked.
    language_known: bool = False

    @property
    def ends_form(self) -> bool:
        """True when the survey loop stops after this turn."""
        return self.step is None


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def language_named_in(text: str | None) -> str | None:
    """The supported language a message names ("en français" → "fr"), if exactly one."""
    plain = _plain(text or "")
    found = {
        code for code, words in LANGUAGE_WORDS.items() if any(_plain(w) in plain for w in words)
    }
    return found.pop() if len(found) == 1 else None


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

    @store.setter
    def store(self, store: TracerStore) -> None:
        self._store = store

    @property
    def today(self) -> date:
        """The date used for due waves and relative dates (fixed in tests)."""
        return self._today or date.today()

    # -- entry point -------------------------------------------------------------------------
    def run(self, incoming: Incoming) -> TurnResult:
        """Handle one message; database outages become a polite retry message."""
        declared = incoming.entities.get("language") or incoming.language
        if not declared and not (incoming.text or "").startswith("/"):
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
        reconsenting = incoming.answers_step and incoming.step in ("consent", "confirm_delete")
        if trainee and trainee.status != "active" and not reconsenting:
            if incoming.intent in ("greet", "affirm") and not incoming.answers_step:
                result.messages.append(t("welcome", result.language))
                result.step = "consent"
            else:
                result.outcome = "opted_out_already"
            return result
        if trainee is not None and not scheduled and not incoming.answers_step:
            leaving = self._leaving_step(incoming)
            if leaving:  # "stop" / "delete my data" as the first message of a conversation
                result.language = trainee.language or result.language
                result.language_known = result.language_known or bool(trainee.language)
                result.step = leaving
                return result
        answering_consent = incoming.answers_step and incoming.step in CONSENT_FREE_STEPS
        if trainee is not None and not trainee.consented and not answering_consent:
            # Consent before anything, for everyone: also a new consent version asks again.
            result.language = trainee.language or result.language
            result.language_known = result.language_known or bool(trainee.language)
            result.messages.append(t("welcome", result.language))
            result.step = "consent"
            return result
        if incoming.answers_step and incoming.step and not scheduled:
            explicit = self._consume(incoming, trainee, result)
            if explicit is not None or result.outcome:
                result.step = explicit or None
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
        late = (
            not incoming.answers_step
            and not scheduled
            and trainee is not None
            and self._late_answer(incoming, trainee, result)
        )
        resuming = not incoming.answers_step and not scheduled and not late
        if resuming and trainee is not None and self._has_answers(trainee):
            result.messages.append(t("welcome_back", result.language))
        self._advance(trainee, result, incoming)
        return result

    # -- reading a reply ---------------------------------------------------------------------
    def _leaving_step(self, incoming: Incoming) -> str | None:
        """``confirm_stop``/``confirm_delete`` when a message outside a question means to leave."""
        if incoming.intent not in ("stop", "delete_data"):
            return None
        typed = not (incoming.text or "").startswith("/")
        if typed and incoming.confidence < CONTROL_CONFIDENCE:
            return None
        return "confirm_stop" if incoming.intent == "stop" else "confirm_delete"

    def _is_control(self, incoming: Incoming, question: Question | None, parsed_ok: bool) -> bool:
        if incoming.intent not in CONTROL_INTENTS:
            return False
        if (incoming.text or "").startswith("/"):
            return True
        if incoming.confidence < CONTROL_CONFIDENCE:
            return False
        if incoming.intent in ("stop", "delete_data") and not parsed_ok:
            return True
        words = len((incoming.text or "").split())
        if question is not None and question.type == "text":
            return words <= MAX_TEXT_WORDS_FOR_CONTROL
        return not parsed_ok

    def _reply_text(self, incoming: Incoming, question: Question) -> str:
        tapped = tapped_choice(self, tap_of(incoming, self.settings.secret_key), question, incoming)
        if tapped is not None:
            return tapped
        choice = incoming.entities.get("choice")
        return str(choice) if choice is not None else (incoming.text or "")

    def _question_for_step(self, step: str) -> Question:
        if step.startswith("q:"):
            return self.questionnaire.question(step[2:])
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

    def _consume(
        self, incoming: Incoming, trainee: TraineeInfo | None, result: TurnResult
    ) -> str | None:
        """Apply the reply to the step asked; return an explicit next step, or None to advance."""
        step = incoming.step or ""
        if step.startswith("q:") and not self.questionnaire.has_question(step[2:]):
            return None
        pending = read_confirm_step(step)
        if is_confirm_step(step) and (
            pending is None or not self.questionnaire.has_question(pending[0])
        ):
            return None
        proposed = read_occupation_step(step) if is_occupation_step(step) else None
        if is_occupation_step(step) and (
            proposed is None or not self.questionnaire.has_question(proposed[0])
        ):
            return None
        question = self._question_for_step(step)
        tap = tap_of(incoming, self.settings.secret_key)
        if tap is not None and not answers_step(self, tap, step, trainee):
            return other_question_tap(self, tap, incoming, trainee, result)
        reply = self._reply_text(incoming, question)
        country = trainee.country if trainee else None
        parsed = parse_answer(question, reply, result.language, self.today, country)
        read = (parsed.ok or parsed.confirm) and not parsed.details.get("free_text")
        if self._is_control(incoming, question, read):
            return self._control(incoming, trainee, question, result)
        if not parsed.ok and step == "consent" and incoming.intent == "greet":
            result.messages.append(t("welcome", result.language))  # greeted back, asked again
            return step
        if pending is not None:
            return self._confirmed(pending, parsed, reply, incoming, trainee, result)
        if proposed is not None and parsed.ok and trainee is not None:
            wave = self._current_wave(trainee)
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
            return None
        if parsed.confirm and step.startswith("q:"):
            return confirm_step(question.code, parsed.value)
        if not parsed.ok and step == "programme":
            return self._try_invite(incoming, trainee, result)
        if not parsed.ok:
            result.messages.append(
                hint_for(question, parsed, result.language, failures=incoming.failures)
            )
            return step
        return self._store_read(step, question, parsed, incoming, trainee, result)

    def _store_read(
        self,
        step: str,
        question: Question,
        parsed: ParseResult,
        incoming: Incoming,
        trainee: TraineeInfo | None,
        result: TurnResult,
    ) -> str | None:
        """Apply a parsed reply; echo it ("Noted: 2 out of 5") when it was read from words."""
        following = self._apply(step, question, parsed.value, incoming, trainee, result)
        if following is None and not result.outcome and wants_isco(question):
            following = occupation_step(question, str(parsed.value))
        if parsed.echo and step.startswith("q:") and following is None and not result.outcome:
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
    ) -> str | None:
        """The reply to "2 out of 5 — is that right?" (see bot/survey/confirm.py)."""
        code, proposed = pending
        question = self.questionnaire.question(code)
        step = f"q:{code}"
        if parsed.ok and parsed.value == "yes":
            sure = ParseResult(ok=True, value=proposed, echo=True)
            return self._store_read(step, question, sure, incoming, trainee, result)
        country = trainee.country if trainee else None
        fresh = parse_answer(question, reply, result.language, self.today, country)
        if fresh.ok and not (parsed.ok and fresh.echo):  # a new answer instead of yes/no
            return self._store_read(step, question, fresh, incoming, trainee, result)
        if parsed.ok:  # no
            result.messages.append(retry_message(question, result.language))
            return step
        if fresh.confirm:
            return confirm_step(code, fresh.value)
        asked = confirm_question(question, proposed)
        result.messages.append(hint_for(asked, parsed, result.language))
        return incoming.step

    def _apply(
        self,
        step: str,
        question: Question,
        value: Any,
        incoming: Incoming,
        trainee: TraineeInfo | None,
        result: TurnResult,
    ) -> str | None:
        if step == "consent":
            if value != "yes":
                result.outcome = "declined"
                return ""
            known_language = trainee.language if trainee is not None else None
            self.store.register_consent(
                incoming.sender_id,
                incoming.channel,
                known_language or result.language,
                incoming.invite_code,
            )
            result.clear_invite = True
            if known_language:  # a new consent version: carry on where they were
                result.language = known_language
                result.language_known = True
                return None
            if result.language_known:  # said already: confirm in passing, do not ask
                result.messages.append(t("language_kept", result.language))
                return None
            return "language"
        if trainee is None:
            return "consent"
        if step == "language":
            result.language = str(value)
            result.language_known = True
            self.store.set_language(trainee.id, result.language)
            return None
        if step == "programme":
            cohorts = self.store.cohorts_of(str(value))
            if len(cohorts) == 1:
                self.store.set_cohort(trainee.id, cohorts[0][0])
                return None
            return f"cohort:{value}" if cohorts else None
        if step.startswith("cohort:"):
            self.store.set_cohort(trainee.id, int(value))
            return None
        if step == "confirm_stop":
            if value == "yes":
                self.store.opt_out(trainee.id)
                return "confirm_delete"
            result.messages.append(t("stop_cancelled", result.language))
            return None
        if step == "confirm_delete":
            if value == "yes":
                if trainee is not None:  # None: already erased (a repeated confirmation)
                    self.store.delete_personal_data(trainee.id)
                result.outcome = "deleted"
            else:
                if (
                    trainee.status == "active"
                    and self.store.trainee_by_id(trainee.id).status == "active"
                ):
                    self.store.opt_out(trainee.id)
                result.outcome = "opted_out"
            return ""
        wave = self._current_wave(trainee)
        if wave is None:
            return None
        self.store.store_answer(
            trainee.id,
            wave,
            question.code,
            value,
            raw_text=(incoming.text or "")[:4000],
            source_message_id=incoming.message_id,
        )
        self._complete_amount(trainee, wave, question, value, result)
        return None

    def _complete_amount(
        self, trainee: TraineeInfo, wave: str, question: Question, value: Any, result: TurnResult
    ) -> None:
        """Derive a daily/hourly amount's monthly equivalent once the time worked is known."""
        answers = self.store.current_answers(trainee.id).get(wave, {})
        completed = completed_money_answer(self.questionnaire, question, value, answers)
        if completed is None:
            return
        money, updated = completed
        self.store.update_money_answer(trainee.id, wave, money.code, updated)
        if question.extra.get(TIME_WORKED_FOR):
            result.messages.append(noted(money, updated, result.language))

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
        if not step.startswith("q:") or not self.questionnaire.has_question(step[2:]):
            return False
        if incoming.intent in CONTROL_INTENTS or incoming.intent == "greet":
            return False
        question = self.questionnaire.question(step[2:])
        wave = self._current_wave(trainee)
        if wave is None or wave_kind(wave) != question.wave:
            return False
        if question.code in self.store.current_answers(trainee.id).get(wave, {}):
            return False
        parsed = parse_answer(
            question,
            self._reply_text(incoming, question),
            result.language,
            self.today,
            trainee.country,
        )
        if not parsed.ok or question.type == "text":
            return False
        self._store_read(step, question, parsed, incoming, trainee, result)
        return True

    def _try_invite(
        self, incoming: Incoming, trainee: TraineeInfo | None, result: TurnResult
    ) -> str | None:
        match = INVITE_CODE.search((incoming.text or "").upper())
        if (
            trainee
            and match
            and self.store.redeem_invite(
                trainee.id, match.group(1), incoming.channel, incoming.sender_id
            )
        ):
            return None
        result.messages.append(t("invite_invalid", result.language))
        return "programme"

    # -- control intents ---------------------------------------------------------------------
    def _control(
        self,
        incoming: Incoming,
        trainee: TraineeInfo | None,
        question: Question,
        result: TurnResult,
    ) -> str | None:
        intent = incoming.intent
        step = incoming.step or ""
        pending = read_confirm_step(step)
        if pending is not None and intent in ("skip", "go_back"):  # about the question itself
            question = self.questionnaire.question(pending[0])
            if intent == "go_back":
                result.messages.append(retry_message(question, result.language))
                return f"q:{question.code}"
            incoming = replace(incoming, step=f"q:{question.code}")
        if intent in ("stop", "delete_data"):
            if trainee is None:
                result.outcome = "declined"
                return ""
            return "confirm_stop" if intent == "stop" else "confirm_delete"
        if intent == "help":
            result.messages.append(question.help_in(result.language))
            return step
        if intent == "out_of_scope":
            result.messages.append(t("about_bot", result.language))
            return step
        if intent == "pause":
            result.outcome = "paused"
            return ""
        if intent == "change_language":
            named = language_named_in(incoming.text)
            if named and trainee is not None:
                result.language = named
                result.language_known = True
                self.store.set_language(trainee.id, named)
                return step
            if named:
                result.language = named
                result.language_known = True
                return step
            return "language"
        if intent == "skip":
            return self._skip(incoming, trainee, question, result)
        if intent == "go_back":
            return self._go_back(incoming, trainee, result)
        return step

    def _skip(
        self,
        incoming: Incoming,
        trainee: TraineeInfo | None,
        question: Question,
        result: TurnResult,
    ) -> str | None:
        step = incoming.step or ""
        if trainee is None or not step.startswith("q:") or question.required:
            result.messages.append(t("skip_not_allowed", result.language))
            return step
        wave = self._current_wave(trainee)
        if wave:
            self.store.store_answer(
                trainee.id,
                wave,
                question.code,
                None,
                raw_text=None,
                source_message_id=incoming.message_id,
                status="skipped",
            )
        result.messages.append(t("skipped", result.language))
        return None

    def _go_back(self, incoming: Incoming, trainee: TraineeInfo | None, result: TurnResult) -> str:
        step = incoming.step or ""
        wave = self._current_wave(trainee) if trainee else None
        if not wave or not step.startswith("q:"):
            result.messages.append(t("nothing_to_go_back", result.language))
            return step
        answers = self.store.current_answers(trainee.id).get(wave, {})
        previous = engine.previous_question(self.questionnaire, wave, step[2:], answers)
        if previous is None:
            result.messages.append(t("nothing_to_go_back", result.language))
            return step
        result.messages.append(t("going_back", result.language))
        return f"q:{previous.code}"

    # -- choosing what comes next ------------------------------------------------------------
    def _has_answers(self, trainee: TraineeInfo) -> bool:
        return bool(self.store.current_answers(trainee.id))

    def _current_wave(self, trainee: TraineeInfo) -> str | None:
        return engine.open_wave(
            self.store.wave_progress(trainee.id),
            trainee.cohort_end,
            self.today,
            self.settings.followup_months,
            engine.baseline_closes(
                trainee.cohort_start, trainee.cohort_end, self.settings.baseline_grace_days
            ),
        )

    def _advance(self, trainee: TraineeInfo | None, result: TurnResult, incoming: Incoming) -> None:
        """Set ``result.step`` to the next thing to ask, or end with an outcome."""
        if trainee is None:
            result.step = "consent"
            return
        if trainee.cohort_id is None and self.store.programmes():
            result.step = "programme"
            return
        for _ in range(4):
            wave = self._current_wave(trainee)
            if wave is None:
                if result.outcome and result.outcome.startswith("completed_"):
                    self._announce_next_contact(trainee, result)
                result.outcome = result.outcome or "nothing_due"
                return
            all_answers = self.store.current_answers(trainee.id)
            answers = all_answers.get(wave, {})
            context = engine.skip_context(all_answers, wave)
            question = engine.next_question(self.questionnaire, wave, answers, context)
            if question is not None:
                if not answers:
                    self.store.start_wave(trainee.id, wave)
                    result.messages.append(self._intro(wave, answers, context, result.language))
                result.step = f"q:{question.code}"
                result.wave = wave
                return
            self.store.complete_wave(trainee.id, wave)
            result.messages.append(t(f"wave_done_{wave_kind(wave)}", result.language))
            result.outcome = f"completed_{wave}"
        result.outcome = result.outcome or "nothing_due"

    def _announce_next_contact(self, trainee: TraineeInfo, result: TurnResult) -> None:
        """After a wave: say roughly when Tracer will write again (month and year)."""
        when = engine.next_contact(
            trainee.cohort_end,
            self.store.wave_progress(trainee.id),
            self.today,
            self.settings.followup_months,
        )
        if when is not None:
            month = format_date(when, "MMMM y", locale=result.language)
            # baseline and exit thanks already say "I will write again": add the date only
            key = (
                "next_contact"
                if result.outcome.startswith("completed_followup")
                else ("next_contact_date")
            )
            result.messages.append(t(key, result.language, when=month))

    def _intro(self, wave: str, answers: dict, context: dict, language: str) -> str:
        first = engine.next_question(self.questionnaire, wave, answers, context)
        count = (
            engine.progress_of(self.questionnaire, wave, first, answers, context)[1] if first else 0
        )
        months = wave.split("_", 1)[1] if wave.startswith("followup_") else ""
        return t(f"wave_intro_{wave_kind(wave)}", language, count=count, months=months)


def prompt_for_step(
    turn: SurveyTurn, sender_id: str, step: str, language: str, channel: str | None = None
) -> Prompt:
    """The message that asks ``step``: question wording, progress and buttons."""
    if not step.startswith("q:"):
        stamp = ButtonStamp(turn.settings.secret_key, question=confirmed_code(step))
        return render(turn._question_for_step(step), language, stamp)
    question = turn.questionnaire.question(step[2:])
    trainee = turn.store.find_trainee(sender_id, channel)
    wave = turn._current_wave(trainee) if trainee else None
    all_answers = turn.store.current_answers(trainee.id) if trainee else {}
    answers = all_answers.get(wave or "", {})
    context = engine.skip_context(all_answers, wave) if wave else {}
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
