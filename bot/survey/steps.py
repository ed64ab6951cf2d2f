"""Conversation steps (consent, language, programme, questions...) and how each is shown.

A step is a short string kept in the ``step`` slot: ``consent``, ``language``, ``programme``,
``cohort:<programme code>``, ``q:<question code>``, ``confirm:<question code>:<JSON value>``
(confirm a value read from words, see bot/survey/confirm.py), ``confirm_stop`` or
``confirm_delete``.
System steps are modelled as questions so that the same parsers read their answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Iterable

from bot.answers import ParseResult, parse_answer
from bot.i18n import in_every_language, language_help, t
from bot.i18n.languages import enabled_languages, endonym
from bot.questionnaire.model import Choice, Question
from bot.questionnaire.waves import BASELINE
from bot.survey.buttons import button_payload

YES_NO_STEPS = ("consent", "confirm_stop", "confirm_delete")


@dataclass(frozen=True)
class Prompt:
    """A message to send: text and optional buttons (title, payload)."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ButtonStamp:
    """What every button of a prompt carries: the project secret to sign with, the wave the
    question is asked in (None for system steps) and, when it is not the question's own code,
    the code the buttons name (a confirmation names the question it confirms)."""

    secret: str
    wave: str | None = None
    question: str | None = None


def choice_payload(code: str) -> str:
    """A payload that answers the pending question with ``code``, like typing it would.

    Buttons never carry it (they name their question, see :mod:`bot.survey.buttons`); it is
    still read, for clients and tests that send the bare choice.
    """
    return "/inform" + json.dumps({"choice": code}, separators=(",", ":"))


def system_question(
    step: str,
    programmes: list[tuple[str, str]] | None = None,
    cohorts: list[tuple[int, str]] | None = None,
) -> Question:
    """The pseudo-question behind a system step, so the answer parsers can read replies."""
    if step in YES_NO_STEPS:
        help_key = "consent_help" if step == "consent" else "hint_not_yes_no"
        return Question(
            code=step,
            wave=BASELINE,
            type="yes_no",
            text=in_every_language(step),
            label={"en": step},
            help=in_every_language(help_key),
        )
    if step == "language":
        languages = ((code, endonym(code)) for code in enabled_languages())
        help_texts = {lang: language_help(lang) for lang in enabled_languages()}
        return replace(_system_choice("language", languages), help=help_texts)
    if step == "programme":
        return _system_choice("programme", programmes or [])
    if step.startswith("cohort:"):
        return _system_choice("cohort", ((str(cid), name) for cid, name in cohorts or []))
    raise ValueError(f"not a system step: {step}")


def _system_choice(code: str, options: Iterable[tuple[str, str]]) -> Question:
    """A registration choice (language, programme, cohort): its options are named the same in
    every language."""
    return Question(
        code=code,
        wave=BASELINE,
        type="choice",
        text=in_every_language(f"{code}_question"),
        label={"en": code},
        help=in_every_language(f"{code}_help"),
        choices=tuple(
            Choice(code=value, label=dict.fromkeys(enabled_languages(), name))
            for value, name in options
        ),
    )


def choice_codes(question: Question) -> tuple[str, ...]:
    """The code of every answer a question offers as a button, in order."""
    if question.type == "choice":
        return tuple(c.code for c in question.choices)
    if question.type == "yes_no":
        return ("yes", "no")
    if question.type == "rating" and question.min is not None and question.max is not None:
        return tuple(str(v) for v in range(int(question.min), int(question.max) + 1))
    return ()


def yes_no_labels() -> dict[str, set[str]]:
    """``yes``/``no`` → the yes and no buttons' titles in every enabled language (a title that
    means yes in one language and no in another is left out)."""
    titles = {code: {t(code, lang) for lang in enabled_languages()} for code in ("yes", "no")}
    both = titles["yes"] & titles["no"]
    return {code: found - both for code, found in titles.items()}


def read_reply(
    question: Question,
    text: str,
    language: str,
    today: date | None = None,
    country: str | None = None,
) -> ParseResult:
    """:func:`parse_answer`, with the yes and no buttons' titles read in every language."""
    return parse_answer(question, text, language, today, country, yes_no_labels=yes_no_labels())


def choice_label(question: Question, code: str, language: str) -> str:
    """What the button for ``code`` says in ``language``."""
    if question.type == "yes_no":
        return t(code, language)
    choice = question.choice(code) if question.type == "choice" else None
    return choice.label_in(language) if choice else code


def buttons_for(
    question: Question, language: str, stamp: ButtonStamp
) -> tuple[tuple[str, str], ...]:
    """Buttons offered with a question: choices, yes/no, ratings, and Skip when optional.

    Each payload names the question and wave it answers (signed with ``stamp.secret``), so a
    tap on an old keyboard can never answer a different question.
    """
    named = stamp.question or question.code
    buttons = [
        (
            choice_label(question, code, language),
            button_payload(stamp.secret, stamp.wave, named, code),
        )
        for code in choice_codes(question)
    ]
    if not question.required and question.code.startswith(("bl_", "ex_", "fu_")):
        skip = button_payload(stamp.secret, stamp.wave, named, "skip", intent="skip")
        buttons.append((t("skip_button", language), skip))
    return tuple(buttons)


def render(
    question: Question,
    language: str,
    stamp: ButtonStamp,
    text: str | None = None,
    prefix: str | None = None,
) -> Prompt:
    """The prompt for a question: optional prefix line, wording and buttons."""
    body = text if text is not None else question.text_in(language)
    if prefix:
        body = f"{prefix}\n{body}"
    return Prompt(text=body, buttons=buttons_for(question, language, stamp))


def as_dispatch(prompt: Prompt) -> dict[str, Any]:
    """Keyword arguments for rasa-sdk's ``dispatcher.utter_message``."""
    kwargs: dict[str, Any] = {"text": prompt.text}
    if prompt.buttons:
        kwargs["buttons"] = [
            {"title": title, "payload": payload} for title, payload in prompt.buttons
        ]
    return kwargs
