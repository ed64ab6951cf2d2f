"""The public reply classifier: the same verdict in the turn, the form action and reconcile."""

from __future__ import annotations

import pytest

from bot.questionnaire.loader import default_questionnaire
from bot.survey.classify import (
    ReplyKind,
    classify_reply,
    incoming_from_message,
    language_named_in,
    leaving_step,
)
from bot.survey.step import Next, NextKind, Step, StepKind


def _incoming(text: str, intent: str, confidence: float = 0.95, step: str = "q:bl_sex"):
    message = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    return incoming_from_message(
        "s1", message, channel="rest", message_id="m1", step=step, language=None, answers_step=True
    )


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "question", "parsed_ok", "kind"),
    [
        ("help", "help", 0.95, "bl_sex", False, ReplyKind.CONTROL),
        ("aide", "help", 0.95, "bl_sex", False, ReplyKind.CONTROL),
        ("ayuda", "help", 0.95, "bl_sex", False, ReplyKind.CONTROL),
        ('/skip{"button":"x"}', "skip", 0.2, "bl_sex", True, ReplyKind.CONTROL),
        ("stop", "stop", 0.5, "bl_sex", False, ReplyKind.ANSWER),  # not confident
        ("arrête", "stop", 0.9, "bl_sex", False, ReplyKind.CONTROL),
        ("female", "inform", 0.99, "bl_sex", True, ReplyKind.ANSWER),
        # a short free text that is a command; a long one that is an answer
        ("no lo sé, ayuda", "help", 0.9, "bl_desired_occupation", True, ReplyKind.CONTROL),
        (
            "I help my uncle in his shop selling phones and repairs",
            "help",
            0.9,
            "bl_desired_occupation",
            True,
            ReplyKind.ANSWER,
        ),
    ],
)
def test_a_reply_is_a_command_or_an_answer_in_three_languages(
    text, intent, confidence, question, parsed_ok, kind
):
    asked = default_questionnaire().question(question)
    assert classify_reply(_incoming(text, intent, confidence), asked, parsed_ok) is kind


def test_a_scheduler_intent_typed_by_a_user_is_dropped_with_its_entities():
    message = {
        "text": '/EXTERNAL_followup{"wave":"followup_6"}',
        "intent": {"name": "EXTERNAL_followup", "confidence": 1.0},
        "entities": [{"entity": "wave", "value": "followup_6"}],
    }
    typed = incoming_from_message(
        "s1", message, channel="rest", message_id="m", step=None, language=None, answers_step=False
    )
    assert typed.intent is None and typed.entities == {}
    scheduled = incoming_from_message(
        "s1",
        message,
        channel="rest",
        message_id="m",
        step=None,
        language=None,
        answers_step=False,
        scheduled=True,
    )
    assert scheduled.intent == "EXTERNAL_followup" and scheduled.entities["wave"] == "followup_6"


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "step"),
    [
        ("stop", "stop", 0.9, "confirm_stop"),
        ("efface mes données", "delete_data", 0.9, "confirm_delete"),
        ("borra mis datos", "delete_data", 0.4, None),
        ("/stop", "stop", 0.1, "confirm_stop"),
        ("hola", "greet", 0.99, None),
    ],
)
def test_leaving_outside_a_question_asks_for_confirmation(text, intent, confidence, step):
    assert leaving_step(_incoming(text, intent, confidence, step=None)) == step


@pytest.mark.parametrize(
    ("text", "language"),
    [("in English please", "en"), ("en français", "fr"), ("en español", "es"), ("hello", None)],
)
def test_the_language_a_message_names(text, language):
    assert language_named_in(text) == language


@pytest.mark.parametrize(
    ("value", "kind", "code"),
    [
        ("q:bl_sex", StepKind.QUESTION, "bl_sex"),
        ("consent", StepKind.CONSENT, None),
        ("cohort:demo", StepKind.COHORT, None),
        ("confirm:ex_satisfaction:2", StepKind.CONFIRM, None),
        ("confirm_stop", StepKind.CONFIRM_STOP, None),
        ("isco:bl_desired_occupation:7421", StepKind.OCCUPATION, None),
    ],
)
def test_a_step_slot_value_reads_as_its_kind(value, kind, code):
    step = Step(value)
    assert (step.kind, step.question_code, str(step)) == (kind, code, value)


def test_next_results_say_what_follows_without_string_signals():
    assert Next.advance().advances and Next.advance().step is None
    assert Next.end().kind is NextKind.END and not Next.end().advances
    assert Next.ask("q:bl_sex").step == Step.question("bl_sex")
