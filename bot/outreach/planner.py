"""Plan outreach rows: first contacts for due waves, reminders after unanswered contacts.

Planning is idempotent and cheap to repeat (``followups send`` runs it every time): it reads the
trainees in scope, their chat contacts, completed waves and existing outreach in a few bulk
queries, computes what is missing in memory and writes it in one transaction.  The computation
is separate from the writing so ``--dry-run`` can show what would happen without writing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.outreach import clock, queries, schedule
from bot.outreach.queries import Attempts, ExistingAttempt
from bot.outreach.scope import Scope
from bot.storage.db import session_scope
from bot.storage.models import Outreach

__all__ = ["DueStep", "ExistingAttempt", "PlanResult", "compute_plan", "due_step", "next_reminder"]

MIN_REMINDER_GAP = timedelta(days=1)
_CHUNK = 5000


@dataclass
class PlanResult:
    """What planning found and decided; ``new_rows`` / ``cancel`` are written by ``apply``."""

    now: datetime
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    cancel: dict[str, list[int]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    unreachable: list[str] = field(default_factory=list)
    planned_by_wave: Counter = field(default_factory=Counter)
    # trainee id -> (pseudo id, cohort time zone) for trainees with new rows (dry-run listing)
    meta: dict[int, tuple[str, str | None]] = field(default_factory=dict)

    @property
    def cancelled(self) -> int:
        """How many planned rows are (to be) cancelled."""
        return sum(len(ids) for ids in self.cancel.values())


def next_reminder(
    attempts: dict[int, ExistingAttempt], settings: Settings, tz, now: datetime
) -> tuple[int, datetime] | None:
    """(attempt, due_at) of the reminder to plan now, if any."""
    last = max(attempts)
    if last + 1 >= schedule.max_attempts(settings.reminder_days):
        return None
    first, previous = attempts.get(0), attempts[last]
    if first is None or first.sent_at is None or previous.state != "sent":
        return None
    due = schedule.reminder_due(first.sent_at, last + 1, settings.reminder_days)
    due = max(due, (previous.sent_at or first.sent_at) + MIN_REMINDER_GAP)
    return last + 1, clock.out_of_quiet_hours(due, tz, settings.quiet_hours)


@dataclass(frozen=True)
class DueStep:
    """What a trainee's latest due wave needs now.

    ``skip`` names why nothing is to be sent (``nothing_due_yet``, ``answered``,
    ``no_more_reminders``); otherwise ``attempt`` is due at ``due_at``.
    """

    skip: str | None
    wave: str | None = None
    attempt: int = 0
    due_at: datetime | None = None


def due_step(
    trainee_id: int,
    cohort_end: date | None,
    tz: Any,
    today: date,
    now: datetime,
    settings: Settings,
    completed: set[tuple[int, str]],
    existing: Attempts,
) -> DueStep:
    """The contact (first or reminder) the trainee's latest due wave asks for, if any."""
    due = schedule.current_wave(cohort_end, today, settings.followup_months)
    if due is None:
        return DueStep("nothing_due_yet")
    wave, due_day = due
    if (trainee_id, wave) in completed:
        return DueStep("answered", wave)
    attempts = existing.get((trainee_id, wave))
    if not attempts:
        return DueStep(None, wave, 0, clock.local_day_start(due_day, tz, settings.quiet_hours))
    reminder = next_reminder(attempts, settings, tz, now)
    if reminder is None:
        return DueStep("no_more_reminders", wave)
    return DueStep(None, wave, *reminder)


def compute_plan(settings: Settings, now: datetime, scope: Scope | None = None) -> PlanResult:
    """Work out (without writing) which outreach rows to add and which planned ones to cancel."""
    scope = scope or Scope()
    result = PlanResult(now=now)
    with session_scope(settings.database_url) as session:
        trainees = queries.trainees_in_scope(session, scope)
        reachable = queries.chat_linked(session, scope)
        completed = queries.completed_waves(session, scope)
        existing = queries.existing_attempts(session, scope)
    keep: set[tuple[int, str]] = set()
    inactive: set[int] = set()
    local_days: dict[str | None, tuple[Any, date]] = {}
    counts = result.counts
    for row in trainees:
        counts["trainees"] += 1
        if row.status != "active":
            counts["opted_out_or_deleted"] += 1
            inactive.add(row.id)
            continue
        if row.timezone not in local_days:
            tz = clock.zone(row.timezone, settings.default_timezone)
            local_days[row.timezone] = (tz, clock.local_today(now, tz))
        tz, today = local_days[row.timezone]
        step = due_step(row.id, row.cohort_end, tz, today, now, settings, completed, existing)
        if step.skip in ("nothing_due_yet", "answered"):
            counts[step.skip] += 1
            continue
        if row.id not in reachable:
            counts["unreachable"] += 1
            result.unreachable.append(row.pseudo_id)
            continue
        keep.add((row.id, str(step.wave)))
        if step.skip is not None or step.due_at is None:
            counts["in_progress"] += 1
            continue
        result.new_rows.append(_row(row.id, str(step.wave), step.attempt, step.due_at, now))
        result.planned_by_wave[(step.wave, step.attempt)] += 1
        result.meta[row.id] = (row.pseudo_id, row.timezone)
    _cancellations(result, existing, keep, completed, inactive)
    return result


def _cancellations(
    result: PlanResult,
    existing: Attempts,
    keep: set[tuple[int, str]],
    completed: set[tuple[int, str]],
    inactive: set[int],
) -> None:
    """Planned rows no longer wanted: wave answered, trainee opted out, or wave superseded."""
    for key, attempts in existing.items():
        if key in keep:
            continue
        if key in completed:
            reason = "answered"
        elif key[0] in inactive:
            reason = "opted_out"
        else:
            reason = "superseded"
        for attempt in attempts.values():
            if attempt.state == "planned":
                result.cancel.setdefault(reason, []).append(attempt.id)


def _row(trainee_id: int, wave: str, attempt: int, due_at: datetime, now: datetime) -> dict:
    return {
        "trainee_id": trainee_id,
        "wave": wave,
        "attempt": attempt,
        "due_at": due_at,
        "state": "planned",
        "updated_at": now,
    }


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk insert; rows a concurrent planner added first are skipped, not an error."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:  # pragma: no cover - other databases: plain insert
        session.execute(insert(Outreach), rows)
        return
    statement = dialect_insert(Outreach).on_conflict_do_nothing(
        index_elements=["trainee_id", "wave", "attempt"]
    )
    session.execute(statement, rows)


def apply_plan(settings: Settings, plan: PlanResult) -> None:
    """Write a computed plan in one transaction (cancellations only touch still-planned rows)."""
    with session_scope(settings.database_url) as session:
        for start in range(0, len(plan.new_rows), _CHUNK):
            _insert_ignoring_duplicates(session, plan.new_rows[start : start + _CHUNK])
        for reason, ids in plan.cancel.items():
            for start in range(0, len(ids), _CHUNK):
                session.execute(
                    update(Outreach)
                    .where(Outreach.id.in_(ids[start : start + _CHUNK]))
                    .where(Outreach.state == "planned")
                    .values(state="cancelled", result=reason, updated_at=plan.now)
                )


def plan_outreach(
    settings: Settings, now: datetime, scope: Scope | None = None, dry_run: bool = False
) -> PlanResult:
    """Compute the plan and, unless ``dry_run``, write it."""
    plan = compute_plan(settings, now, scope)
    if not dry_run:
        apply_plan(settings, plan)
    return plan
