"""What may be sent now: planned rows whose time has come, outside the cohort's quiet hours."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.sql import Select

from bot.config import Settings
from bot.outreach import clock
from bot.outreach.planner import PlanResult
from bot.outreach.scope import Scope
from bot.storage.console_models import WavePause
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Outreach, Trainee


@dataclass(frozen=True)
class DueItem:
    """One message to send (``outreach_id`` is None for a row a dry run would have planned)."""

    outreach_id: int | None
    trainee_id: int
    pseudo_id: str
    wave: str
    attempt: int
    due_at: datetime


@dataclass
class DueList:
    """Due messages, plus what is held back and why."""

    items: list[DueItem] = field(default_factory=list)
    quiet: int = 0
    stuck: list[tuple[str, str, int]] = field(default_factory=list)
    unknown: list[tuple[str, str, int]] = field(default_factory=list)
    paused: int = 0  # due, but their wave is paused for the programme (kept planned)

    def by_wave(self) -> Counter:
        """(wave, attempt) → number of due messages."""
        return Counter((item.wave, item.attempt) for item in self.items)


def _quiet(settings: Settings, now: datetime, tz_name: str | None, cache: dict) -> bool:
    if tz_name not in cache:
        tz = clock.zone(tz_name, settings.default_timezone)
        cache[tz_name] = clock.is_quiet(now, tz, settings.quiet_hours)
    return cache[tz_name]


def outreach_with_trainee(*columns: Any) -> Select:
    """Outreach rows with their trainee's pseudo id and cohort, plus ``columns``."""
    return (
        select(
            Outreach.id,
            Outreach.trainee_id,
            Trainee.pseudo_id,
            Outreach.wave,
            Outreach.attempt,
            *columns,
        )
        .join(Trainee, Trainee.id == Outreach.trainee_id)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
    )


def _programmes(session: Any, plan: PlanResult | None) -> dict[int, int]:
    """trainee id → programme id for the trainees of an unwritten plan."""
    ids = list({row["trainee_id"] for row in plan.new_rows}) if plan else []
    result: dict[int, int] = {}
    for start in range(0, len(ids), 900):
        rows = session.execute(
            select(Trainee.id, Cohort.programme_id)
            .join(Cohort, Cohort.id == Trainee.cohort_id)
            .where(Trainee.id.in_(ids[start : start + 900]))
        )
        result.update({trainee_id: programme_id for trainee_id, programme_id in rows})
    return result


def due_items(
    settings: Settings,
    now: datetime,
    scope: Scope | None = None,
    pending_plan: PlanResult | None = None,
    limit: int | None = None,
) -> DueList:
    """Planned messages due at ``now`` for active trainees, oldest first.

    ``pending_plan`` adds the rows of an unwritten (dry-run) plan.  Rows stuck in ``sending``
    (a sender crashed mid-send) are listed in ``stuck``, rows whose send was ambiguous in
    ``unknown``; neither is ever returned as due (``tracer followups resolve`` settles them).
    Rows of a wave paused for its programme (``wave_pause``) stay planned, counted in ``paused``.
    """
    scope = scope or Scope()
    due = DueList()
    quiet_cache: dict[str | None, bool] = {}
    base = outreach_with_trainee(Outreach.due_at, Cohort.timezone, Cohort.programme_id)
    statement = scope.apply(
        base.where(
            Outreach.state == "planned", Outreach.due_at <= now, Trainee.status == "active"
        ).order_by(Outreach.due_at, Outreach.id)
    )
    with session_scope(settings.database_url) as session:
        rows = list(session.execute(statement))
        paused = {tuple(r) for r in session.execute(select(WavePause.programme_id, WavePause.wave))}
        pending_programmes = _programmes(session, pending_plan) if paused else {}
        unsettled = scope.apply(base.where(Outreach.state.in_(("sending", "unknown"))))
        for _, _, pseudo, wave, attempt, _, _, _, state in session.execute(
            unsettled.add_columns(Outreach.state)
        ):
            (due.stuck if state == "sending" else due.unknown).append((pseudo, wave, attempt))
    for row_id, trainee_id, pseudo_id, wave, attempt, due_at, tz_name, programme_id in rows:
        if (programme_id, wave) in paused:
            due.paused += 1
            continue
        if _quiet(settings, now, tz_name, quiet_cache):
            due.quiet += 1
            continue
        due.items.append(DueItem(row_id, trainee_id, pseudo_id, wave, attempt, due_at))
    if pending_plan is not None:
        for row in pending_plan.new_rows:
            if row["due_at"] > now:
                continue
            pseudo_id, tz_name = pending_plan.meta[row["trainee_id"]]
            if (pending_programmes.get(row["trainee_id"]), row["wave"]) in paused:
                due.paused += 1
                continue
            if _quiet(settings, now, tz_name, quiet_cache):
                due.quiet += 1
                continue
            due.items.append(
                DueItem(
                    None, row["trainee_id"], pseudo_id, row["wave"], row["attempt"], row["due_at"]
                )
            )
        due.items.sort(key=lambda item: item.due_at)
    if limit is not None:
        due.items = due.items[:limit]
    return due
