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

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.outreach import clock, schedule
from bot.outreach.scope import CHAT_CHANNELS, Scope
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Contact, Outreach, Trainee, WaveProgress

MIN_REMINDER_GAP = timedelta(days=1)
_CHUNK = 5000


@dataclass
class ExistingAttempt:
    """An outreach row already in the database."""

    id: int
    state: str
    due_at: datetime
    sent_at: datetime | None


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


def _trainees(session: Session, scope: Scope) -> list[tuple]:
    statement = scope.apply(
        select(
            Trainee.id, Trainee.pseudo_id, Trainee.status, Cohort.end_date, Cohort.timezone
        ).join(Cohort, Cohort.id == Trainee.cohort_id)
    )
    return list(session.execute(statement))


def _in_scope(session: Session, scope: Scope, statement, trainee_column) -> Any:
    # Rows of tables keyed by trainee_id, restricted to the scope's trainees.
    if not (scope.programme or scope.cohort):
        return session.execute(statement)
    ids = scope.apply(select(Trainee.id).join(Cohort, Cohort.id == Trainee.cohort_id))
    return session.execute(statement.where(trainee_column.in_(ids.scalar_subquery())))


def _reachable(session: Session, scope: Scope) -> set[int]:
    statement = select(Contact.trainee_id).where(Contact.channel.in_(CHAT_CHANNELS)).distinct()
    return {row[0] for row in _in_scope(session, scope, statement, Contact.trainee_id)}


def _completed(session: Session, scope: Scope) -> set[tuple[int, str]]:
    statement = select(WaveProgress.trainee_id, WaveProgress.wave).where(
        WaveProgress.completed_at.is_not(None)
    )
    return {(t, w) for t, w in _in_scope(session, scope, statement, WaveProgress.trainee_id)}


def _existing(session: Session, scope: Scope) -> dict[tuple[int, str], dict[int, ExistingAttempt]]:
    statement = select(
        Outreach.id,
        Outreach.trainee_id,
        Outreach.wave,
        Outreach.attempt,
        Outreach.state,
        Outreach.due_at,
        Outreach.sent_at,
    )
    found: dict[tuple[int, str], dict[int, ExistingAttempt]] = {}
    for row_id, trainee_id, wave, attempt, state, due_at, sent_at in _in_scope(
        session, scope, statement, Outreach.trainee_id
    ):
        found.setdefault((trainee_id, wave), {})[attempt] = ExistingAttempt(
            row_id, state, due_at, sent_at
        )
    return found


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


def compute_plan(settings: Settings, now: datetime, scope: Scope | None = None) -> PlanResult:
    """Work out (without writing) which outreach rows to add and which planned ones to cancel."""
    scope = scope or Scope()
    result = PlanResult(now=now)
    with session_scope(settings.database_url) as session:
        trainees = _trainees(session, scope)
        reachable = _reachable(session, scope)
        completed = _completed(session, scope)
        existing = _existing(session, scope)
    keep: set[tuple[int, str]] = set()
    inactive: set[int] = set()
    local_days: dict[str | None, tuple[Any, date]] = {}
    for trainee_id, pseudo_id, status, cohort_end, tz_name in trainees:
        counts = result.counts
        counts["trainees"] += 1
        if status != "active":
            counts["opted_out_or_deleted"] += 1
            inactive.add(trainee_id)
            continue
        if tz_name not in local_days:
            tz = clock.zone(tz_name, settings.default_timezone)
            local_days[tz_name] = (tz, clock.local_today(now, tz))
        tz, today = local_days[tz_name]
        due = schedule.current_wave(cohort_end, today, settings.followup_months)
        if due is None:
            counts["nothing_due_yet"] += 1
            continue
        wave, due_day = due
        if (trainee_id, wave) in completed:
            counts["answered"] += 1
            continue
        if trainee_id not in reachable:
            counts["unreachable"] += 1
            result.unreachable.append(pseudo_id)
            continue
        keep.add((trainee_id, wave))
        attempts = existing.get((trainee_id, wave))
        if not attempts:
            due_at = clock.local_day_start(due_day, tz, settings.quiet_hours)
            result.new_rows.append(_row(trainee_id, wave, 0, due_at, now))
            result.planned_by_wave[(wave, 0)] += 1
            result.meta[trainee_id] = (pseudo_id, tz_name)
            continue
        reminder = next_reminder(attempts, settings, tz, now)
        if reminder is not None:
            attempt, due_at = reminder
            result.new_rows.append(_row(trainee_id, wave, attempt, due_at, now))
            result.planned_by_wave[(wave, attempt)] += 1
            result.meta[trainee_id] = (pseudo_id, tz_name)
        else:
            counts["in_progress"] += 1
    _cancellations(result, existing, keep, completed, inactive)
    return result


def _cancellations(
    result: PlanResult,
    existing: dict[tuple[int, str], dict[int, ExistingAttempt]],
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
