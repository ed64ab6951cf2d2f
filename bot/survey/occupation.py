"""Occupation titles coded to ISCO-08 in the conversation (issue 16).

After the trainee types a job title to a question flagged ``x_isco: true`` (the desired
occupation at baseline, the current one at follow-up), the bot proposes the closest ISCO-08
unit groups as buttons ("Building and related electricians (7411)", two alternatives, "None of
these"). The step carries the proposals, ``isco:<question code>:7411,7412,3113``, so the reply
is read the same way on any server. The confirmed code is stored as the answer
``<question code>_isco`` (the typed title stays the answer to the question itself); "none of
these", or no reply, leaves the title in the officer's coding queue (``tracer occupations``).
"""

from __future__ import annotations

from typing import Any

from bot.i18n import in_every_language, t
from bot.i18n.languages import enabled_languages
from bot.occupations.isco import default_index
from bot.questionnaire.model import Choice, Question

PREFIX = "isco:"
SUFFIX = "_isco"
NONE = "none"
MIN_SCORE = 0.30
"""Proposals below this similarity are not shown; with none left, the title goes to the queue."""


def wants_isco(question: Question) -> bool:
    """True for a free-text question whose answer is coded to ISCO-08 (``x_isco: true``)."""
    return question.type == "text" and bool(question.extra.get("x_isco"))


def code_answer(question_code: str) -> str:
    """The answer code that holds the ISCO-08 unit group of a title question."""
    return f"{question_code}{SUFFIX}"


def occupation_step(question: Question, typed: str) -> str | None:
    """The step proposing unit groups for ``typed``, or ``None`` when nothing is close."""
    proposals = [code for code, score in default_index().propose(typed) if score >= MIN_SCORE]
    return f"{PREFIX}{question.code}:{','.join(proposals)}" if proposals else None


def is_occupation_step(step: str | None) -> bool:
    """True for an ``isco:<question>:<codes>`` step."""
    return bool(step) and str(step).startswith(PREFIX)


def read_occupation_step(step: str) -> tuple[str, list[str]] | None:
    """``(question code, proposed unit groups)``, or ``None`` when malformed or unknown."""
    code, sep, proposals = step[len(PREFIX) :].partition(":")
    index = default_index()
    codes = [c for c in proposals.split(",") if c in index.groups]
    return (code, codes) if code and sep and codes else None


def occupation_question(question: Question, codes: list[str]) -> Question:
    """The pseudo choice question "Which is closest to your job?" with the proposals."""
    index = default_index()
    languages = enabled_languages()
    choices = tuple(
        Choice(code=code, label={lang: f"{index.title(code, lang)} ({code})" for lang in languages})
        for code in codes
    )
    none = Choice(code=NONE, label=in_every_language("isco_none"))
    return Question(
        code="isco",
        wave=question.wave,
        type="choice",
        text=in_every_language("isco_question"),
        label={"en": "isco"},
        help=in_every_language("isco_help"),
        choices=(*choices, none),
    )


def store_code(
    store: Any,
    trainee_id: int,
    wave: str,
    question_code: str,
    value: str,
    message_id: str,
    language: str,
) -> list[str]:
    """Store the unit group the trainee tapped (nothing for "none of these"); the echo to send."""
    if value == NONE:
        return []
    store.store_answer(
        trainee_id,
        wave,
        code_answer(question_code),
        value,
        raw_text=None,
        source_message_id=message_id,
    )
    title = f"{default_index().title(value, language)} ({value})"
    return [t("answer_noted", language, value=t("value_choice", language, label=title))]
