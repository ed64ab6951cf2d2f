"""Follow-up figures for the console: per cohort × wave status, failures, what is due now."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from bot.config import Settings
from bot.outreach.scope import Scope
from bot.outreach.sender import preview
from bot.outreach.status import response_table
from bot.storage.console_models import WavePause
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Outreach, Programme, Trainee

MESSAGES_PER_TRIGGER = 2  # a follow-up is the wave's intro and its first question


@dataclass(frozen=True)
class DueSummary:
    """What ``send now`` would do: messages per wave, held back, and the pacing time."""

    by_wave: dict[str, int]
    total: int
    quiet: int
    unsettled: int
    seconds: float
    paused: int = 0


def failed_counts(settings: Settings, scope: Scope) -> Counter:
    """(programme code, cohort code, wave) → trainees with a follow-up message that failed
    (trainees, like the other columns of the status table: three failed reminders to one
    trainee count once)."""
    statement = scope.apply(
        select(
            Programme.code, Cohort.code, Outreach.wave, func.count(Outreach.trainee_id.distinct())
        )
        .join(Trainee, Trainee.id == Outreach.trainee_id)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .where(Outreach.state == "failed")
        .group_by(Programme.code, Cohort.code, Outreach.wave)
    )
    with session_scope(settings.database_url) as session:
        return Counter(
            {
                (programme, cohort, wave): n
                for programme, cohort, wave, n in session.execute(statement)
            }
        )


def status_rows(settings: Settings, scope: Scope) -> list[dict]:
    """One row per cohort and wave: trainees, sent, answered, failed, opted out, pending."""
    failed = failed_counts(settings, scope)
    rows = []
    for row in response_table(settings, scope):
        rows.append(
            {
                "cohort": row.cohort,
                "wave": row.wave,
                "trainees": row.trainees,
                "sent": row.contacted,
                "answered": row.answered,
                "failed": failed.get((row.programme, row.cohort, row.wave), 0),
                "opted_out": row.opted_out,
                "unreachable": row.unreachable,
                "pending": row.pending,
                "unknown": row.unknown,
            }
        )
    return rows


def due_summary(settings: Settings, scope: Scope, now: datetime) -> DueSummary:
    """What is due now (dry run: nothing written) and how long pacing will take to send it."""
    _, due = preview(settings, now, scope)
    by_wave: Counter = Counter()
    for (wave, _attempt), count in due.by_wave().items():
        by_wave[wave] += count
    total = len(due.items)
    seconds = total * MESSAGES_PER_TRIGGER / max(settings.send_rate_per_second, 0.001)
    unsettled = len(due.stuck) + len(due.unknown)
    return DueSummary(
        dict(sorted(by_wave.items())), total, due.quiet, unsettled, seconds, due.paused
    )


def paused_waves(settings: Settings, programme: str) -> set[str]:
    """Waves of ``programme`` whose follow-ups are paused."""
    with session_scope(settings.database_url) as session:
        return set(
            session.execute(
                select(WavePause.wave)
                .join(Programme, Programme.id == WavePause.programme_id)
                .where(Programme.code == programme)
            ).scalars()
        )


def set_paused(settings: Settings, programme: str, wave: str, paused: bool, actor: str) -> None:
    """Pause (or resume) ``wave`` of ``programme``: its due messages stay planned meanwhile."""
    with session_scope(settings.database_url) as session:
        programme_id = session.execute(
            select(Programme.id).where(Programme.code == programme)
        ).scalar_one()
        session.execute(
            delete(WavePause).where(WavePause.programme_id == programme_id, WavePause.wave == wave)
        )
        if paused:
            session.add(WavePause(programme_id=programme_id, wave=wave, paused_by=actor))
