"""Echo and confirmation of answers the parsers read from words (``ParseResult.echo/confirm``).

How it works (any answer type can use it; ratings and frequencies do):

- A parser returns ``accept(value, echo=True)`` when it read the value from words. The survey
  turn stores the value and adds ``noted(question, value, language)`` ("Noted: 2 out of 5 ...")
  before the next question, so the trainee can say "go back" if it is wrong.
- A parser returns ``propose(value)`` when it has a likely value it is not sure of. The turn
  stores nothing and moves to the step ``confirm_step(question.code, value)``, i.e.
  ``confirm:<question code>:<value as JSON>`` (the proposed value travels in the ``step`` slot,
  so no new slot or domain change is needed). That step is asked by
  ``confirm_question(question, value)``: "2 out of 5 — is that right?" with Yes/No buttons.
  Yes stores the value (with an echo); No re-asks the question with its help (the scale); a
  fresh answer typed instead of yes/no is read as an answer to the question itself.
- How a value is shown is chosen by question ``x_kind`` (e.g. ``birth_year``), else by
  question type, in :data:`DESCRIBERS`; register a function
  for a new type (e.g. ``DESCRIBERS["money"] = describe_amount``) to make its echo and
  confirmation read well. Types without one show ``str(value)``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Callable

from bot.i18n import in_every_language, t
from bot.i18n.languages import enabled_languages
from bot.questionnaire.model import Question
from bot.survey.amounts import describe_amount

CONFIRM_PREFIX = "confirm:"

Describer = Callable[[Question, Any, str], str]


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe_rating(question: Question, value: Any, language: str) -> str:
    """``2 out of 5`` / ``2 sur 5`` / ``2 de 5``."""
    top = 5 if question.max is None else question.max
    return t("value_out_of", language, value=_number(value), max=_number(top))


def describe_choice(question: Question, value: Any, language: str) -> str:
    """The label of the chosen option in the trainee's language, in quotes."""
    choice = question.choice(str(value))
    label = choice.label_in(language) if choice else str(value)
    return t("value_choice", language, label=label)


def describe_yes_no(question: Question, value: Any, language: str) -> str:
    """'Yes' / « Oui » / «Sí»."""
    key = "yes" if value == "yes" else "no"
    return t("value_choice", language, label=t(key, language))


def describe_birth_year(question: Question, value: Any, language: str) -> str:
    """``19 years old, so born in 2007`` (the age as of this year)."""
    year = int(value)
    return t("value_birth_year", language, year=year, age=date.today().year - year)


DESCRIBERS: dict[str, Describer] = {
    "rating": describe_rating,
    "choice": describe_choice,
    "money": describe_amount,
    "yes_no": describe_yes_no,
    "birth_year": describe_birth_year,
}
"""Question ``x_kind`` or type → how a stored value is shown to the trainee."""


def describe(question: Question, value: Any, language: str) -> str:
    """The value as the trainee should read it back ("2 out of 5", "“Often”")."""
    kind = question.extra.get("x_kind")
    describer = DESCRIBERS.get(kind) if isinstance(kind, str) else None
    describer = describer or DESCRIBERS.get(question.type)
    return describer(question, value, language) if describer else _number(value)


def noted(question: Question, value: Any, language: str) -> str:
    """The echo sent after storing a value read from words: "Noted: 2 out of 5. ..."."""
    return t("answer_noted", language, value=describe(question, value, language))


def confirm_step(code: str, value: Any) -> str:
    """The step that asks the trainee to confirm ``value`` for question ``code``."""
    return f"{CONFIRM_PREFIX}{code}:{json.dumps(value, ensure_ascii=False, separators=(',', ':'))}"


def is_confirm_step(step: str | None) -> bool:
    """True for a ``confirm:<code>:<value>`` step."""
    return bool(step) and str(step).startswith(CONFIRM_PREFIX)


def read_confirm_step(step: str) -> tuple[str, Any] | None:
    """``(question code, proposed value)`` of a confirm step, or ``None`` when malformed."""
    if not is_confirm_step(step):
        return None
    code, sep, encoded = step[len(CONFIRM_PREFIX) :].partition(":")
    if not code or not sep:
        return None
    try:
        return code, json.loads(encoded)
    except ValueError:
        return None


def confirm_question(question: Question, value: Any) -> Question:
    """The yes/no pseudo-question "2 out of 5 — is that right?" for a confirm step."""
    return Question(
        code="confirm",
        wave=question.wave,
        type="yes_no",
        text={
            lang: t("confirm_value", lang, value=describe(question, value, lang))
            for lang in enabled_languages()
        },
        label={"en": "confirm"},
        help=in_every_language("hint_not_yes_no"),
    )


def retry_message(question: Question, language: str) -> str:
    """What is said when the trainee answers no to a confirmation: try again, with the help."""
    return t("confirm_retry", language, help=question.help_in(language))
