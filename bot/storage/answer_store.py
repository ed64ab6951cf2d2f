"""The survey's answers and wave progress in the database; every method is one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.exc import IntegrityError

from bot.questionnaire.versions import asked_version
from bot.storage.db import session_scope
from bot.storage.models import Answer, Outreach, WaveProgress, utcnow


@dataclass(frozen=True)
class StoredAnswer:
    """A current answer as the survey engine sees it."""

    question_code: str
    status: str
    value: Any
    answered_at: datetime


def _answer_columns(value: Any) -> dict[str, Any]:
    number = None
    text = None
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, dict) and "amount" in value:
        # issue 25: what analysis reads is the monthly equivalent, and only with a currency
        monthly = value["monthly"] if "monthly" in value else value["amount"]
        text = value.get("currency")
        if monthly is not None and (text or not monthly):
            number = float(monthly)
        return {
            "value_json": value,
            "value_number": number,
            "value_text": text,
            "value_period": value.get("period"),
        }
    elif isinstance(value, str):
        text = value[:400]
    return {"value_json": value, "value_number": number, "value_text": text}


def _current_answer(trainee_id: int, wave: str, question_code: str) -> Any:
    """The WHERE clause of a trainee's current answer to one question of one wave."""
    return and_(
        Answer.trainee_id == trainee_id,
        Answer.wave == wave,
        Answer.question_code == question_code,
        Answer.is_current.is_(True),
    )


# Statements of every turn, built once: SQLAlchemy keeps their cache key and SQL (a statement
# built per call costs a walk of its whole tree each time).
CURRENT_ANSWERS = select(Answer).where(
    Answer.trainee_id == bindparam("trainee_id"), Answer.is_current.is_(True)
)
WAVE_PROGRESS = select(WaveProgress.wave, WaveProgress.started_at, WaveProgress.completed_at).where(
    WaveProgress.trainee_id == bindparam("trainee_id")
)


class AnswerStore:
    """Answers and wave progress of trainees (part of :class:`~bot.storage.repository.TracerStore`,
    which provides ``url``)."""

    url: str

    # -- answers -----------------------------------------------------------------------------
    def current_answers(self, trainee_id: int) -> dict[str, dict[str, StoredAnswer]]:
        """Current answers by wave then question code."""
        with session_scope(self.url) as session:
            rows = session.execute(CURRENT_ANSWERS, {"trainee_id": trainee_id}).scalars()
            result: dict[str, dict[str, StoredAnswer]] = {}
            for row in rows:
                result.setdefault(row.wave, {})[row.question_code] = StoredAnswer(
                    row.question_code, row.status, row.value_json, row.answered_at
                )
            return result

    def store_answer(
        self,
        trainee_id: int,
        wave: str,
        question_code: str,
        value: Any,
        *,
        raw_text: str | None,
        source_message_id: str,
        status: str = "answered",
    ) -> bool:
        """Store one answer, superseding the current one; False when this message was stored.

        A message already stored makes the insert break ``uq_answer_source_message``: the whole
        transaction (the superseding update included) is rolled back, so nothing changes.
        """
        now = utcnow()
        try:
            with session_scope(self.url) as session:
                session.execute(
                    update(Answer)
                    .where(_current_answer(trainee_id, wave, question_code))
                    .values(is_current=False, superseded_at=now)
                )
                session.add(
                    Answer(
                        trainee_id=trainee_id,
                        wave=wave,
                        question_code=question_code,
                        status=status,
                        raw_text=raw_text,
                        source_message_id=source_message_id,
                        answered_at=now,
                        is_current=True,
                        questionnaire_version=asked_version(question_code),
                        **_answer_columns(value if status == "answered" else None),
                    )
                )
            return True
        except IntegrityError:
            return False

    def update_money_answer(
        self, trainee_id: int, wave: str, question_code: str, value: dict[str, Any]
    ) -> None:
        """Rewrite the current money answer's value in place (the time worked, now known, and
        the monthly equivalent derived from it); the trainee's typed amount is unchanged."""
        with session_scope(self.url) as session:
            session.execute(
                update(Answer)
                .where(_current_answer(trainee_id, wave, question_code))
                .where(Answer.status == "answered")
                .values(**_answer_columns(value))
            )

    # -- waves -------------------------------------------------------------------------------
    def wave_progress(self, trainee_id: int) -> dict[str, tuple[datetime, datetime | None]]:
        """wave → (started_at, completed_at) for this trainee."""
        with session_scope(self.url) as session:
            rows = session.execute(WAVE_PROGRESS, {"trainee_id": trainee_id})
            return {wave: (started, completed) for wave, started, completed in rows}

    def start_wave(self, trainee_id: int, wave: str) -> None:
        """Mark a wave as started (idempotent; a completed wave stays completed)."""
        try:
            with session_scope(self.url) as session:
                exists = session.execute(
                    select(WaveProgress.id).where(
                        WaveProgress.trainee_id == trainee_id, WaveProgress.wave == wave
                    )
                ).first()
                if not exists:
                    session.add(WaveProgress(trainee_id=trainee_id, wave=wave))
        except IntegrityError:
            pass

    def complete_wave(self, trainee_id: int, wave: str) -> None:
        """Mark a wave as completed now (started if needed)."""
        self.start_wave(trainee_id, wave)
        with session_scope(self.url) as session:
            session.execute(
                update(WaveProgress)
                .where(
                    WaveProgress.trainee_id == trainee_id,
                    WaveProgress.wave == wave,
                    WaveProgress.completed_at.is_(None),
                )
                .values(completed_at=utcnow())
            )
            session.execute(
                update(Outreach)
                .where(
                    Outreach.trainee_id == trainee_id,
                    Outreach.wave == wave,
                    Outreach.state == "planned",
                )
                .values(state="cancelled", result="answered")
            )
