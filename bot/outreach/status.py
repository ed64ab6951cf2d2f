"""Response rates per cohort and wave, from outreach rows and wave progress (counts only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func, select

from bot.config import Settings
from bot.outreach.queries import chat_linked_ids
from bot.outreach.scope import Scope
from bot.questionnaire.waves import BASELINE, all_waves
from bot.storage.db import session_scope
from bot.storage.models import (
    Cohort,
    Invitation,
    Outreach,
    Programme,
    Trainee,
    WaveProgress,
)


@dataclass(frozen=True)
class StatusRow:
    """One line of the status table."""

    programme: str
    cohort: str
    wave: str
    trainees: int
    contacted: int
    answered: int
    opted_out: int
    unreachable: int
    pending: int
    unknown: int = 0  # sent or not? ``tracer followups resolve`` settles these

    @property
    def response_rate(self) -> float | None:
        """Answered as a percentage of the cohort's trainees (None for an empty cohort)."""
        return 100.0 * self.answered / self.trainees if self.trainees else None


def waves(settings: Settings) -> list[str]:
    """Every wave in survey order."""
    return all_waves(settings.followup_months)


def _per_cohort(session, scope: Scope, statement) -> Counter:
    counts: Counter = Counter()
    for *key, count in session.execute(scope.apply(statement)):
        counts[tuple(key) if len(key) > 1 else key[0]] = count
    return counts


def _cohorts(session, scope: Scope) -> list[tuple[int, str, str]]:
    """(cohort id, cohort code, programme code) in scope, ordered by programme and cohort."""
    statement = select(Cohort.id, Cohort.code, Programme.code).join(
        Programme, Programme.id == Cohort.programme_id
    )
    return list(session.execute(scope.apply(statement).order_by(Programme.code, Cohort.code)))


def completed_waves(session, cohort_ids: list[int], wave_ids: list[str]) -> tuple[Counter, Counter]:
    """(cohort id, wave) → trainees who completed it, and → those of them who also completed
    the baseline (retention).

    One pass over ``wave_progress`` grouped by trainee: each trainee's completed waves become
    a bit mask, then trainees are counted per cohort and mask (no self-join).
    """
    bits = case(
        {wave: 1 << index for index, wave in enumerate(wave_ids)}, value=WaveProgress.wave, else_=0
    )
    masks = (
        select(WaveProgress.trainee_id, func.sum(bits).label("mask"))
        .where(WaveProgress.completed_at.is_not(None))
        .group_by(WaveProgress.trainee_id)
        .subquery()
    )
    statement = (
        select(Trainee.cohort_id, masks.c.mask, func.count())
        .join(Trainee, Trainee.id == masks.c.trainee_id)
        .where(Trainee.cohort_id.in_(cohort_ids))
        .group_by(Trainee.cohort_id, masks.c.mask)
    )
    answered: Counter = Counter()
    retained: Counter = Counter()
    baseline_bit = 1 << wave_ids.index(BASELINE)
    for cohort_id, mask, count in session.execute(statement):
        for index, wave in enumerate(wave_ids):
            if int(mask) & (1 << index):
                answered[(cohort_id, wave)] += count
                if int(mask) & baseline_bit:
                    retained[(cohort_id, wave)] += count
    return answered, retained


def response_table(settings: Settings, scope: Scope | None = None) -> list[StatusRow]:
    """One row per cohort and wave, cohorts ordered by programme and code."""
    scope = scope or Scope()
    with session_scope(settings.database_url) as session:
        cohorts = _cohorts(session, scope)
        count = func.count(func.distinct(Trainee.id))
        base = select(Trainee.cohort_id, count).join(Cohort, Cohort.id == Trainee.cohort_id)
        trainees = _per_cohort(session, scope, base.group_by(Trainee.cohort_id))
        opted = _per_cohort(
            session, scope, base.where(Trainee.status != "active").group_by(Trainee.cohort_id)
        )
        chat = chat_linked_ids()
        unreachable = _per_cohort(
            session,
            scope,
            base.where(Trainee.status == "active", Trainee.id.not_in(chat)).group_by(
                Trainee.cohort_id
            ),
        )
        by_wave = base.add_columns(Outreach.wave).join(Outreach, Outreach.trainee_id == Trainee.id)
        contacted = _per_cohort(
            session,
            scope,
            _reorder(by_wave.where(Outreach.state == "sent")),
        )
        pending = _per_cohort(
            session,
            scope,
            _reorder(by_wave.where(Outreach.state.in_(("planned", "sending")))),
        )
        unknown = _per_cohort(session, scope, _reorder(by_wave.where(Outreach.state == "unknown")))
        answered, _ = completed_waves(session, [c for c, _, _ in cohorts], waves(settings))
    table = []
    for cohort_id, code, programme in cohorts:
        for wave in waves(settings):
            table.append(
                StatusRow(
                    programme=programme,
                    cohort=code,
                    wave=wave,
                    trainees=trainees[cohort_id],
                    contacted=contacted[(cohort_id, wave)],
                    answered=answered[(cohort_id, wave)],
                    opted_out=opted[cohort_id],
                    unreachable=unreachable[cohort_id],
                    pending=pending[(cohort_id, wave)],
                    unknown=unknown[(cohort_id, wave)],
                )
            )
    return table


def _reorder(statement):
    """(cohort_id, count, wave) → (cohort_id, wave, count), grouped by both."""
    columns = statement.selected_columns
    return statement.with_only_columns(columns[0], columns[2], columns[1]).group_by(
        columns[0], columns[2]
    )


@dataclass(frozen=True)
class FunnelRow:
    """How far a cohort's trainees got: invited → sent → delivered → joined → answered."""

    programme: str
    cohort: str
    trainees: int
    invited: int  # given a code (CSV or sent by Tracer)
    sent: int  # a code accepted by the SMS provider / mail server
    delivered: int  # a delivery receipt says it arrived
    failed: int  # the last send failed, was rejected, or was not delivered
    joined: int  # linked a chat (consented)
    answered: int  # completed at least one wave


def invitation_funnel(settings: Settings, scope: Scope | None = None) -> list[FunnelRow]:
    """One row per cohort: trainees counted once at each step of the invitation funnel."""
    scope = scope or Scope()
    trainee = func.count(func.distinct(Trainee.id))
    with session_scope(settings.database_url) as session:
        cohorts = _cohorts(session, scope)
        base = (
            select(Trainee.cohort_id, trainee)
            .join(Cohort, Cohort.id == Trainee.cohort_id)
            .group_by(Trainee.cohort_id)
        )
        invited_base = base.join(Invitation, Invitation.trainee_id == Trainee.id)

        def count(statement) -> Counter:
            return _per_cohort(session, scope, statement)

        totals = count(base)
        invited = count(invited_base)
        sent = count(invited_base.where(Invitation.send_state.in_(("accepted", "delivered"))))
        delivered = count(invited_base.where(Invitation.send_state == "delivered"))
        failed = count(
            invited_base.where(
                Invitation.used_at.is_(None),
                Invitation.send_state.in_(("failed", "rejected", "undelivered")),
            )
        )
        chat = chat_linked_ids()
        joined = count(base.where(Trainee.id.in_(chat)))
        done = select(WaveProgress.trainee_id).where(WaveProgress.completed_at.is_not(None))
        answered = count(base.where(Trainee.id.in_(done)))
    return [
        FunnelRow(
            programme,
            code,
            totals[cid],
            invited[cid],
            sent[cid],
            delivered[cid],
            failed[cid],
            joined[cid],
            answered[cid],
        )  # fmt: skip
        for cid, code, programme in cohorts
    ]
