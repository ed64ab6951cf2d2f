"""Send due follow-ups and reminders, exactly once each, at a safe pace.

Every message goes through three recorded steps: a *claim* (``planned`` → ``sending`` by a
conditional UPDATE whose row count tells whether this process won the row: two senders never
both send one row), the HTTP call, and the outcome: ``sent``, ``failed``, back to ``planned``
only when the message certainly did not go out (no connection, 401/403, a flood wait Rasa did
not sit out), or ``unknown`` when it may have (connection lost after the request was sent, a
read timeout).  A crash between claim and outcome leaves the row in ``sending``.  Neither
``unknown`` nor ``sending`` rows are ever re-sent automatically: ``tracer followups resolve``
(bot/outreach/resolve.py) settles them from the Rasa tracker.

The pacer counts chat messages, not triggers: each trigger reserves the number of messages a
trigger is expected to produce (intro + question), and is charged what it really produced.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import exists, update
from sqlalchemy.engine import Connection
from tqdm import tqdm

from bot.config import Settings
from bot.outreach.due import DueItem, DueList, due_items
from bot.outreach.pacing import Pacer, failure_stop
from bot.outreach.planner import PlanResult, plan_outreach
from bot.outreach.scope import Scope
from bot.outreach.transport import Delivery, Transport
from bot.storage.db import engine_for
from bot.storage.models import Outreach, Trainee, WaveProgress
from bot.storage.repository import TracerStore

log = logging.getLogger(__name__)
_BATCH = 500
MAX_RATE_RETRIES = 5
MAX_BACKOFF_SECONDS = 60.0  # ceiling for back-offs we choose ourselves (no retry_after given)
MAX_FLOOD_WAIT_SECONDS = 3600.0  # a retry_after above this stops the run instead
# Chat messages one trigger is expected to produce: a first contact or a reminder sends the
# wave's intro and its first question.  The run raises it when a trigger produced more.
EXPECTED_MESSAGES_PER_TRIGGER = 2


@dataclass
class SendReport:
    """What a send run did (counts only: no personal data)."""

    plan: PlanResult | None = None
    due: int = 0
    sent: int = 0
    failed: int = 0
    not_claimed: int = 0
    unreachable: int = 0
    unknown: int = 0
    rate_limited: int = 0
    quiet: int = 0
    messages: int = 0
    stuck: list[tuple[str, str, int]] = field(default_factory=list)
    unresolved: list[tuple[str, str, int]] = field(default_factory=list)
    stopped: str | None = None
    failures: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def _execute(target: str | Connection, statement) -> int:
    """Run one statement in its own committed transaction; its row count."""
    if isinstance(target, str):
        with engine_for(target).begin() as connection:
            return connection.execute(statement).rowcount
    with target.begin():
        return target.execute(statement).rowcount


def claim(target: str | Connection, outreach_id: int, now: datetime) -> bool:
    """Atomically move one row from ``planned`` to ``sending``; False when someone else did,
    or the trainee opted out / answered the wave meanwhile.

    ``target`` is a database URL or an open connection (a run keeps one open: with SQLite,
    closing the last connection checkpoints the WAL, which is slow when done per message).
    """
    active = exists().where(Trainee.id == Outreach.trainee_id, Trainee.status == "active")
    answered = exists().where(
        WaveProgress.trainee_id == Outreach.trainee_id,
        WaveProgress.wave == Outreach.wave,
        WaveProgress.completed_at.is_not(None),
    )
    statement = (
        update(Outreach)
        .where(Outreach.id == outreach_id, Outreach.state == "planned", active, ~answered)
        .values(state="sending", updated_at=now)
    )
    return _execute(target, statement) == 1


def record(
    target: str | Connection, outreach_id: int, state: str, result: str, now: datetime
) -> None:
    """Record the outcome of a claimed row (``sent``, ``failed``, ``unknown`` or back to
    ``planned``)."""
    values: dict = {"state": state, "result": result[:200], "updated_at": now}
    if state == "sent":
        values["sent_at"] = now
    statement = (
        update(Outreach)
        .where(Outreach.id == outreach_id, Outreach.state == "sending")
        .values(**values)
    )
    _execute(target, statement)


class _Run:
    """One send run: the loop over due items with pacing, back-off and a circuit breaker."""

    def __init__(
        self,
        settings: Settings,
        now: datetime,
        transport: Transport,
        pacer: Pacer,
        on_delivery: Callable[[DueItem, Delivery], None] | None,
    ) -> None:
        self.settings = settings
        self.url = settings.database_url
        self.connection: Connection | None = None
        self.store = TracerStore(settings)
        self.started_now = now
        self.started = time.monotonic()
        self.transport = transport
        self.pacer = pacer
        self.on_delivery = on_delivery
        self.report = SendReport()
        self.consecutive_failures = 0
        self.expected_messages = EXPECTED_MESSAGES_PER_TRIGGER

    def clock(self) -> datetime:
        """The (possibly simulated) current time, advancing with real elapsed time."""
        return self.started_now + timedelta(seconds=time.monotonic() - self.started)

    def run(self, due: DueList, progress: bool) -> SendReport:
        items = due.items
        bar = tqdm(total=len(items), unit="msg", disable=None if progress else True)
        self.connection = engine_for(self.url).connect()
        try:
            for start in range(0, len(items), _BATCH):
                batch = items[start : start + _BATCH]
                addresses = self.store.contact_addresses(item.trainee_id for item in batch)
                for item in batch:
                    self._one(item, addresses.get(item.trainee_id))
                    bar.update(1)
                    if self.report.stopped:
                        return self.report
        finally:
            self.connection.close()
            bar.close()
            self.report.seconds = time.monotonic() - self.started
        return self.report

    def _one(self, item: DueItem, contact: tuple[str, str] | None) -> None:
        assert item.outreach_id is not None
        if contact is None:
            if claim(self.connection, item.outreach_id, self.clock()):
                record(self.connection, item.outreach_id, "cancelled", "unreachable", self.clock())
            self.report.unreachable += 1
            return
        if not claim(self.connection, item.outreach_id, self.clock()):
            self.report.not_claimed += 1
            return
        channel, address = contact
        delivery = self._deliver(channel, address, item.wave)
        if self.on_delivery is not None:
            self.on_delivery(item, delivery)
        self._settle(item, delivery)

    def _deliver(self, channel: str, address: str, wave: str) -> Delivery:
        for retry in range(MAX_RATE_RETRIES + 1):
            self.pacer.wait(address, messages=self.expected_messages)
            delivery = self.transport.send(channel, address, wave)
            self._charge(delivery)
            if not delivery.rate_limited or retry == MAX_RATE_RETRIES:
                return delivery
            self.report.rate_limited += 1
            if delivery.retry_after:  # Telegram's flood wait: honoured in full, however long
                pause = delivery.retry_after
                if pause > MAX_FLOOD_WAIT_SECONDS:
                    return delivery
            else:
                pause = min(2.0**retry, MAX_BACKOFF_SECONDS)
            log.warning("rate limited; backing off %.0f s", pause)
            self.pacer.back_off(pause)
        return delivery  # pragma: no cover - loop always returns

    def _charge(self, delivery: Delivery) -> None:
        """Tell the pacer how many messages the trigger really produced (when known)."""
        produced = delivery.message_count
        if produced is None:
            nothing_went_out = (
                delivery.connection_error
                or delivery.rate_limited
                or (delivery.status is not None and 400 <= delivery.status < 500)
            )
            # Unknown count (Telegram output, an error, a lost answer): assume the expected one.
            produced = 0 if nothing_went_out else self.expected_messages
        self.pacer.sent(produced)
        self.report.messages += produced
        if produced > self.expected_messages:
            self.expected_messages = produced

    def _count_failure(self, detail: str) -> None:
        """Stop the run after too many failed or ambiguous sends in a row (Rasa in trouble)."""
        self.consecutive_failures += 1
        stop = failure_stop(self.consecutive_failures, detail)
        if stop:
            self.report.stopped = stop

    def _settle(self, item: DueItem, delivery: Delivery) -> None:
        db, outreach_id = self.connection, item.outreach_id
        assert db is not None and outreach_id is not None  # claimed in _one
        if delivery.ok:
            record(db, outreach_id, "sent", "ok", self.clock())
            self.report.sent += 1
            self.consecutive_failures = 0
            return
        if delivery.ambiguous:
            # It may have gone out: never back to planned (that would send it twice).
            record(db, outreach_id, "unknown", delivery.detail, self.clock())
            self.report.unknown += 1
            self._count_failure(delivery.detail)
            return
        not_delivered = (
            delivery.connection_error or delivery.rate_limited or delivery.status in (401, 403)
        )
        if not_delivered:
            # Certainly not delivered: give the row back and stop (Rasa down, token, 429s).
            record(db, outreach_id, "planned", f"retry: {delivery.detail}", self.clock())
            self.report.stopped = f"stopped: {delivery.detail}"
            return
        record(db, outreach_id, "failed", delivery.detail, self.clock())
        self.report.failed += 1
        self.report.failures[delivery.detail] += 1
        self._count_failure(delivery.detail)


def send_due(
    settings: Settings,
    now: datetime,
    transport: Transport,
    scope: Scope | None = None,
    *,
    limit: int | None = None,
    plan_first: bool = True,
    pacer: Pacer | None = None,
    progress: bool = False,
    on_delivery: Callable[[DueItem, Delivery], None] | None = None,
) -> SendReport:
    """Plan (unless ``plan_first`` is False), then send every due message at a safe pace."""
    plan = plan_outreach(settings, now, scope) if plan_first else None
    due = due_items(settings, now, scope, limit=limit)
    run = _Run(settings, now, transport, pacer or Pacer(settings.send_rate_per_second), on_delivery)
    report = run.run(due, progress)
    report.plan, report.due, report.quiet, report.stuck = plan, len(due.items), due.quiet, due.stuck
    report.unresolved = due.unknown
    return report


def preview(
    settings: Settings, now: datetime, scope: Scope | None = None, limit: int | None = None
) -> tuple[PlanResult, DueList]:
    """Dry run: what planning would add and who would be contacted now; writes nothing."""
    plan = plan_outreach(settings, now, scope, dry_run=True)
    return plan, due_items(settings, now, scope, pending_plan=plan, limit=limit)
