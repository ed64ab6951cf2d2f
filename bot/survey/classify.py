"""Reading a user message: the engine's view of it, and whether it is a command or an answer.

Used by the survey turn, by the form action (``actions/survey_form.py``) and by
``bot/ops/reconcile.py``, so a message replayed from the tracker store is classified exactly as
it was when it arrived.
"""

from __future__ import annotations

import logging
from enum import Enum
from typing import Any, Mapping

from bot.answers.normalize import fold
from bot.i18n.languages import names_of_languages
from bot.questionnaire.model import Question
from bot.survey.incoming import Incoming

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
LEAVING_INTENTS = ("stop", "delete_data")
CONTROL_CONFIDENCE = 0.75
MAX_TEXT_WORDS_FOR_CONTROL = 6
SCHEDULER_INTENT_PREFIX = "EXTERNAL_"


class ReplyKind(Enum):
    """What a reply to a pending step is."""

    CONTROL = "control"  # a command: stop, help, skip, go back, change language...
    ANSWER = "answer"  # an answer to the step (readable or not)


def incoming_from_message(
    sender_id: str,
    message: Mapping[str, Any],
    *,
    channel: str,
    message_id: str,
    step: str | None,
    language: str | None,
    answers_step: bool,
    scheduled: bool = False,
    invite_code: str | None = None,
    failures: int = 0,
) -> Incoming:
    """The engine's view of a Rasa parsed message (``latest_message`` or an event's
    ``parse_data`` with its ``text``). A scheduler-only intent that was not really
    scheduled (typed by a user) is dropped with its entities."""
    intent = message.get("intent") or {}
    found = message.get("entities") or []
    entities: dict[str, Any] = {
        str(e.get("entity")): e.get("value") for e in found if isinstance(e, dict)
    }
    intent_name = intent.get("name") if isinstance(intent, dict) else None
    if str(intent_name or "").startswith(SCHEDULER_INTENT_PREFIX) and not scheduled:
        log.warning("ignored a scheduler-only intent typed on a user channel")
        intent_name, entities = None, {}
    confidence = intent.get("confidence") if isinstance(intent, dict) else None
    return Incoming(
        sender_id=sender_id,
        channel=channel,
        text=message.get("text"),
        intent=intent_name,
        confidence=float(confidence or 0.0),
        entities=entities,
        message_id=message_id,
        step=step,
        language=language,
        answers_step=answers_step,
        invite_code=invite_code or entities.get("invite_code"),
        scheduled=scheduled,
        failures=failures,
    )


def is_control(incoming: Incoming, question: Question | None, parsed_ok: bool) -> bool:
    """True when a reply to ``question`` is a command (help, skip, stop...), not an answer.

    A payload always counts; typed text only when the intent is confident and the text does not
    read as an answer (a short message to a free-text question still counts as a command).
    """
    if incoming.intent not in CONTROL_INTENTS:
        return False
    if incoming.is_payload:
        return True
    if incoming.confidence < CONTROL_CONFIDENCE:
        return False
    if incoming.intent in LEAVING_INTENTS and not parsed_ok:
        return True
    words = len((incoming.text or "").split())
    if question is not None and question.type == "text":
        return words <= MAX_TEXT_WORDS_FOR_CONTROL
    return not parsed_ok


def classify_reply(incoming: Incoming, question: Question | None, parsed_ok: bool) -> ReplyKind:
    """Whether a reply to ``question`` is a command or an answer (see :func:`is_control`)."""
    return ReplyKind.CONTROL if is_control(incoming, question, parsed_ok) else ReplyKind.ANSWER


def leaving_step(incoming: Incoming) -> str | None:
    """``confirm_stop``/``confirm_delete`` when a message outside a question means to leave."""
    if incoming.intent not in LEAVING_INTENTS:
        return None
    if not incoming.is_payload and incoming.confidence < CONTROL_CONFIDENCE:
        return None
    return "confirm_stop" if incoming.intent == "stop" else "confirm_delete"


def language_named_in(text: str | None) -> str | None:
    """The enabled language a message names ("en français" → "fr"), if exactly one."""
    plain = fold(text or "")
    found = {code for code, names in names_of_languages().items() if any(n in plain for n in names)}
    return found.pop() if len(found) == 1 else None
