"""The survey loop's custom actions: thin glue between the Rasa tracker and ``bot.survey``."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import survey
from bot.i18n import normalise_language, t
from bot.outreach.transport import EXTERNAL_TEXT_PREFIX, is_scheduled  # noqa: F401
from bot.survey.classify import incoming_from_message
from bot.survey.incoming import Incoming
from bot.survey.prompts import prompt_for_step
from bot.survey.reads import turn_reads
from bot.survey.retries import failures_before, step_history
from bot.survey.steps import as_dispatch

log = logging.getLogger(__name__)
FORM = "survey_form"


def conversation_channel(tracker: Tracker) -> str:
    """The input channel that carries this conversation: that of its latest user message.

    A scheduler's trigger is recorded with the output channel it used (``collector`` for
    REST), so the channel is taken from the latest message a person sent when there is one.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user" and not (event.get("metadata") or {}).get("is_external"):
            return str(event.get("input_channel") or "rest")
    return tracker.get_latest_input_channel() or "rest"


def incoming_from(tracker: Tracker) -> Incoming:
    """The engine's view of the latest user message in ``tracker``."""
    message = tracker.latest_message or {}
    return incoming_from_message(
        tracker.sender_id,
        message,
        channel=conversation_channel(tracker),
        message_id=str(message.get("message_id") or f"{tracker.sender_id}:{len(tracker.events)}"),
        step=tracker.get_slot("step"),
        language=tracker.get_slot("language"),
        # The from_text mapping fills `answer` only while the loop waits for a reply, so a
        # value here means this message answers the pending step (not a (re)activation).
        answers_step=tracker.get_slot("answer") is not None,
        scheduled=is_scheduled(message),
        invite_code=tracker.get_slot("invite_code"),
        failures=failures_before(step_history(tracker.events)),
    )


class ValidateSurveyForm(Action):
    """Reads each reply, stores it, decides the next step and asks it (or ends the loop).

    The next question is uttered here, after the turn's messages: the domain has no
    ``action_ask_answer``/``utter_ask_answer``, so Rasa's form asks nothing more and an answered
    message costs one action-server call (issue 15).
    """

    def name(self) -> str:
        return f"validate_{FORM}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        incoming = incoming_from(tracker)
        engine = survey()
        with turn_reads():  # one turn, one look at each row (bot/survey/reads.py)
            result = engine.run(incoming)
            prompt = None
            if not result.ends_form:
                prompt = prompt_for_step(
                    engine, incoming.sender_id, result.step or "", result.language, incoming.channel
                )
        for text in result.messages:
            dispatcher.utter_message(text=text)
        if prompt is not None:
            dispatcher.utter_message(**as_dispatch(prompt))
        events: List[EventType] = [
            SlotSet("answer", None),
            # unknown (defaulted) languages stay unset, so a later message can still say it
            SlotSet("language", result.language if result.language_known else None),
            SlotSet("step", result.step),
            SlotSet("outcome", result.outcome),
        ]
        if result.wave:
            events.append(SlotSet("wave", result.wave))
        if result.clear_invite:
            events.append(SlotSet("invite_code", None))
        if result.ends_form:
            known = result.language if result.language_known else None
            events += close_loop(dispatcher, result.outcome or "", known)
        events.append(SlotSet("requested_slot", None if result.ends_form else "answer"))
        return events


CLOSING_MESSAGES = {
    "declined": "consent_declined",
    "paused": "paused",
    "opted_out": "opted_out",
    "deleted": "deleted",
    "opted_out_already": "opted_out_already",
    "nothing_due": "nothing_due",
}


def close_loop(
    dispatcher: CollectingDispatcher, outcome: str, language: str | None
) -> List[EventType]:
    """The closing message that fits how the loop ended, and the loop's slots cleared.

    Sent by the validator's own call (no second action after the loop: issue 15). The
    ``outcome`` slot set just before stays in the turn's events (the tracker store reads a
    ``deleted`` outcome there to erase the conversation).
    """
    if outcome in CLOSING_MESSAGES:
        dispatcher.utter_message(text=t(CLOSING_MESSAGES[outcome], normalise_language(language)))
    return [SlotSet("step", None), SlotSet("outcome", None)]


class TracerFallback(Action):
    """Core fallback: never an English default, just back into the survey loop."""

    def name(self) -> str:
        return "action_tracer_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        from rasa_sdk.events import FollowupAction

        return [FollowupAction(FORM)]
