"""Officer coding of occupation titles to ISCO-08, and the codes each programme trains for.

A title that the trainee did not match to a proposed unit group ("none of these", or no reply)
waits in the coding queue: the current answer to an ``x_isco`` question with no current
``<question>_isco`` answer. An officer codes it with ``tracer occupations code``; the code is
stored as that answer (``raw_text`` says it was coded by an officer), superseding nothing the
trainee confirmed. Programmes declare the unit groups they train for in the ``tracer_state``
table (key ``programme_isco:<programme code>``), so no schema change is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.occupations.isco import default_index
from bot.questionnaire.loader import wave_kind
from bot.questionnaire.model import Questionnaire
from bot.storage.db import session_scope
from bot.storage.models import Answer, Setting, Trainee, utcnow
from bot.storage.repository import TracerStore
from bot.survey.occupation import code_answer, wants_isco

OFFICER = "coded by an officer"
_PROGRAMME_KEY = "programme_isco:"


@dataclass(frozen=True)
class QueueItem:
    """A typed title waiting for a code, with the closest unit groups as suggestions."""

    trainee_id: int
    wave: str
    question_code: str
    title: str
    suggestions: tuple[str, ...]


def title_questions(questionnaire: Questionnaire) -> list[str]:
    """Codes of the questions whose answers are coded to ISCO-08."""
    return [q.code for q in questionnaire.questions if wants_isco(q)]


def coding_queue(url: str, questionnaire: Questionnaire) -> list[QueueItem]:
    """Every current typed title without a current ISCO-08 code, oldest first."""
    titles = title_questions(questionnaire)
    codes = [code_answer(code) for code in titles]
    with session_scope(url) as session:
        rows = session.execute(
            select(Answer.trainee_id, Answer.wave, Answer.question_code, Answer.value_text)
            .join(Trainee, Trainee.id == Answer.trainee_id)
            .where(
                Answer.is_current.is_(True),
                Answer.status == "answered",
                Answer.question_code.in_(titles + codes),
                Trainee.status == "active",
            )
            .order_by(Answer.answered_at, Answer.id)
        ).all()
    coded = {(r.trainee_id, r.wave, r.question_code) for r in rows if r.question_code in codes}
    index = default_index()
    return [
        QueueItem(
            r.trainee_id,
            r.wave,
            r.question_code,
            r.value_text or "",
            tuple(code for code, _ in index.propose(r.value_text or "")),
        )
        for r in rows
        if r.question_code in titles
        and (r.trainee_id, r.wave, code_answer(r.question_code)) not in coded
    ]


def code_title(
    store: TracerStore, questionnaire: Questionnaire, item: tuple[int, str, str], isco: str
) -> None:
    """Store ``isco`` as the code of the title ``(trainee id, wave, question code)``.

    ``ValueError`` for an unknown unit group, question or a wave that does not ask it.
    """
    trainee_id, wave, question_code = item
    if isco not in default_index().groups:
        raise ValueError(f"{isco} is not an ISCO-08 unit group of the shipped data")
    if question_code not in title_questions(questionnaire):
        raise ValueError(f"{question_code} is not an occupation title question")
    if questionnaire.question(question_code).wave != wave_kind(wave):
        raise ValueError(f"{question_code} is not asked in the {wave} wave")
    store.store_answer(
        trainee_id,
        wave,
        code_answer(question_code),
        isco,
        raw_text=OFFICER,
        source_message_id=f"officer:{question_code}:{wave}:{utcnow().isoformat()}",
    )


def declare_programme_codes(url: str, programme: str, codes: list[str]) -> None:
    """Record the unit groups ``programme`` trains for (replacing earlier ones)."""
    unknown = [code for code in codes if code not in default_index().groups]
    if unknown:
        raise ValueError(f"not ISCO-08 unit groups of the shipped data: {', '.join(unknown)}")
    with session_scope(url) as session:
        session.merge(Setting(key=f"{_PROGRAMME_KEY}{programme}", value=" ".join(codes)))


def programme_codes(url: str) -> dict[str, tuple[str, ...]]:
    """Programme code → the unit groups it trains for."""
    with session_scope(url) as session:
        rows = session.execute(
            select(Setting.key, Setting.value).where(Setting.key.like(f"{_PROGRAMME_KEY}%"))
        ).all()
    return {key[len(_PROGRAMME_KEY) :]: tuple(value.split()) for key, value in rows}
