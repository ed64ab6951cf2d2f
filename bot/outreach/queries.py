"""The outreach package's reads of the database, in one place.

Rule of the code base (README, docs/architecture.md): ``bot/storage/`` holds the models, the
engine and the survey's repository (``TracerStore``); every other package that reads or writes
tables keeps its queries in one module of its own, like this one for ``bot/outreach``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.outreach.scope import Scope
from bot.storage.models import (
    CHAT_CHANNELS,
    Cohort,
    Contact,
    Invitation,
    Outreach,
    Programme,
    Trainee,
    WaveProgress,
)


@dataclass
class ExistingAttempt:
    """An outreach row already in the database."""

    id: int
    state: str
    due_at: datetime
    sent_at: datetime | None


Attempts = dict[tuple[int, str], dict[int, ExistingAttempt]]
"""(trainee id, wave) → attempt number → the outreach row of that attempt."""


class TraineeRow(NamedTuple):
    """One trainee in scope, with what outreach needs of the cohort (no personal data)."""

    id: int
    pseudo_id: str
    status: str
    language: str | None
    cohort_end: date | None
    timezone: str | None
    cohort_code: str


def chat_linked_ids() -> Select:
    """SELECT of the ids of trainees with a chat contact (they joined a conversation)."""
    return select(Contact.trainee_id).where(Contact.channel.in_(CHAT_CHANNELS))


def chat_linked(session: Session, scope: Scope | None = None) -> set[int]:
    """Ids of trainees with a chat contact, restricted to ``scope`` when given."""
    statement = chat_linked_ids().distinct()
    return {row[0] for row in in_scope(session, scope or Scope(), statement, Contact.trainee_id)}


def trainees_in_scope(session: Session, scope: Scope) -> list[TraineeRow]:
    """Every trainee in ``scope``, ordered by cohort code then id."""
    statement = select(
        Trainee.id,
        Trainee.pseudo_id,
        Trainee.status,
        Trainee.language,
        Cohort.end_date,
        Cohort.timezone,
        Cohort.code,
    ).join(Cohort, Cohort.id == Trainee.cohort_id)
    rows = session.execute(scope.apply(statement).order_by(Cohort.code, Trainee.id))
    return [TraineeRow(*row) for row in rows]


def in_scope(session: Session, scope: Scope, statement: Select, trainee_column: Any) -> Any:
    """Run ``statement`` (over a table keyed by trainee id) for the scope's trainees only."""
    if not (scope.programme or scope.cohort):
        return session.execute(statement)
    ids = scope.apply(select(Trainee.id).join(Cohort, Cohort.id == Trainee.cohort_id))
    return session.execute(statement.where(trainee_column.in_(ids.scalar_subquery())))


def completed_waves(session: Session, scope: Scope) -> set[tuple[int, str]]:
    """(trainee id, wave) of every wave a trainee in scope finished."""
    statement = select(WaveProgress.trainee_id, WaveProgress.wave).where(
        WaveProgress.completed_at.is_not(None)
    )
    return {(t, w) for t, w in in_scope(session, scope, statement, WaveProgress.trainee_id)}


def existing_attempts(session: Session, scope: Scope) -> Attempts:
    """Every outreach row of the scope's trainees, by (trainee, wave) and attempt."""
    statement = select(
        Outreach.id,
        Outreach.trainee_id,
        Outreach.wave,
        Outreach.attempt,
        Outreach.state,
        Outreach.due_at,
        Outreach.sent_at,
    )
    found: Attempts = {}
    for row_id, trainee_id, wave, attempt, state, due_at, sent_at in in_scope(
        session, scope, statement, Outreach.trainee_id
    ):
        found.setdefault((trainee_id, wave), {})[attempt] = ExistingAttempt(
            row_id, state, due_at, sent_at
        )
    return found


def invitations_by_trainee(session: Session) -> dict[int, list[tuple]]:
    """Trainee id → its invitations as (id, used_at, send_state, send_attempts)."""
    found: dict[int, list[tuple]] = {}
    for row in session.execute(
        select(
            Invitation.trainee_id,
            Invitation.id,
            Invitation.used_at,
            Invitation.send_state,
            Invitation.send_attempts,
        )
    ):
        found.setdefault(row[0], []).append(tuple(row[1:]))
    return found


def programme_exists(session: Session, code: str) -> bool:
    """True when a programme with this code exists."""
    return session.execute(select(Programme.id).where(Programme.code == code)).first() is not None


def invited_ids(session: Session) -> tuple[set[int], set[int]]:
    """Ids of trainees who used an invitation code, and of those holding an unused one."""
    used = select(Invitation.trainee_id).where(Invitation.used_at.is_not(None))
    unused = select(Invitation.trainee_id).where(Invitation.used_at.is_(None))
    return {r[0] for r in session.execute(used)}, {r[0] for r in session.execute(unused)}
