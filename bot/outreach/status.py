"""Response rates per cohort and wave, from outreach rows and wave progress (counts only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.config import Settings
from bot.outreach.scope import CHAT_CHANNELS, Scope
from bot.questionnaire.loader import followup_wave_id
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Contact, Outreach, Programme, Trainee, WaveProgress


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
    return ["baseline", "exit"] + [followup_wave_id(m) for m in sorted(settings.followup_months)]


def _per_cohort(session, scope: Scope, statement) -> Counter:
    counts: Counter = Counter()
    for *key, count in session.execute(scope.apply(statement)):
        counts[tuple(key) if len(key) > 1 else key[0]] = count
    return counts


def response_table(settings: Settings, scope: Scope | None = None) -> list[StatusRow]:
    """One row per cohort and wave, cohorts ordered by programme and code."""
    scope = scope or Scope()
    with session_scope(settings.database_url) as session:
        cohorts = list(
            session.execute(
                scope.apply(
                    select(Cohort.id, Cohort.code, Programme.code).join(
                        Programme, Programme.id == Cohort.programme_id
                    )
                ).order_by(Programme.code, Cohort.code)
            )
        )
        count = func.count(func.distinct(Trainee.id))
        base = select(Trainee.cohort_id, count).join(Cohort, Cohort.id == Trainee.cohort_id)
        trainees = _per_cohort(session, scope, base.group_by(Trainee.cohort_id))
        opted = _per_cohort(
            session, scope, base.where(Trainee.status != "active").group_by(Trainee.cohort_id)
        )
        chat = select(Contact.trainee_id).where(Contact.channel.in_(CHAT_CHANNELS))
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
        answered = _per_cohort(
            session,
            scope,
            select(Trainee.cohort_id, WaveProgress.wave, count)
            .join(Cohort, Cohort.id == Trainee.cohort_id)
            .join(WaveProgress, WaveProgress.trainee_id == Trainee.id)
            .where(WaveProgress.completed_at.is_not(None))
            .group_by(Trainee.cohort_id, WaveProgress.wave),
        )
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
