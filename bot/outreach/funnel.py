"""The delivery funnel per cohort, wave and channel: sent → delivered → read → answered.

``sent`` counts follow-ups the sender recorded as sent; ``delivered`` and ``read`` come from the
delivery receipts a channel records (WhatsApp status webhooks, kept under
``tracer_state[wa.status.<outreach id>]``); a channel without receipts shows ``-`` there.
Counts only: no personal data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from bot.config import Settings
from bot.outreach.scope import Scope
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Contact, Outreach, Programme, Setting, Trainee, WaveProgress

STATUS_PREFIX = "wa.status."
RECEIPT_CHANNELS = ("whatsapp",)
# When a trainee has several chat contacts, the funnel counts the one follow-ups go to.
PREFERENCE = {"telegram": 0, "whatsapp": 1, "socketio": 2, "rest": 3}


def status_key(outreach_id: int) -> str:
    """The ``tracer_state`` key holding an outreach row's delivery receipt status."""
    return f"{STATUS_PREFIX}{outreach_id}"


@dataclass(frozen=True)
class FunnelRow:
    """One line of the funnel; ``delivered``/``read`` are None without receipts."""

    programme: str
    cohort: str
    wave: str
    channel: str
    sent: int
    delivered: int | None
    read: int | None
    failed: int | None
    answered: int


def _statuses(session) -> dict[int, str]:
    rows = session.execute(
        select(Setting.key, Setting.value).where(Setting.key.like("wa.status.%"))
    )
    result = {}
    for key, value in rows:
        suffix = key[len(STATUS_PREFIX) :]
        if suffix.isdigit():
            result[int(suffix)] = value.split(":", 1)[0]
    return result


def delivery_funnel(settings: Settings, scope: Scope | None = None) -> list[FunnelRow]:
    """One row per cohort, wave and channel with at least one sent outreach."""
    scope = scope or Scope()
    with session_scope(settings.database_url) as session:
        sent = session.execute(
            scope.apply(
                select(Outreach.id, Outreach.trainee_id, Outreach.wave, Programme.code, Cohort.code)
                .join(Trainee, Trainee.id == Outreach.trainee_id)
                .join(Cohort, Cohort.id == Trainee.cohort_id)
                .join(Programme, Programme.id == Cohort.programme_id)
                .where(Outreach.state == "sent")
            )
        ).all()
        trainee_ids = {row[1] for row in sent}
        channels = _preferred_channels(session, trainee_ids)
        completed = set(
            session.execute(
                select(WaveProgress.trainee_id, WaveProgress.wave).where(
                    WaveProgress.trainee_id.in_(trainee_ids), WaveProgress.completed_at.is_not(None)
                )
            ).all()
        )
        statuses = _statuses(session)
    counts: dict[tuple[str, str, str, str], dict[str, set[int]]] = defaultdict(
        lambda: defaultdict(set)
    )
    for outreach_id, trainee_id, wave, programme, cohort in sent:
        channel = channels.get(trainee_id, "-")
        bucket = counts[(programme, cohort, wave, channel)]
        _count(
            bucket, trainee_id, channel, statuses.get(outreach_id), (trainee_id, wave) in completed
        )
    return [_row(key, bucket) for key, bucket in sorted(counts.items())]


def _preferred_channels(session, trainee_ids: set[int]) -> dict[int, str]:
    """Trainee id → the channel their messages went by (the most preferred one they have)."""
    channels: dict[int, str] = {}
    for trainee_id, channel in session.execute(
        select(Contact.trainee_id, Contact.channel).where(
            Contact.trainee_id.in_(trainee_ids), Contact.channel.in_(list(PREFERENCE))
        )
    ):
        known = channels.get(trainee_id)
        if known is None or PREFERENCE[channel] < PREFERENCE[known]:
            channels[trainee_id] = channel
    return channels


def _count(
    bucket: dict[str, set[int]], trainee_id: int, channel: str, status: str | None, answered: bool
) -> None:
    """Add one sent message to its cohort/wave/channel bucket."""
    bucket["sent"].add(trainee_id)
    if status in ("delivered", "read"):
        bucket["delivered"].add(trainee_id)
    if status == "read":
        bucket["read"].add(trainee_id)
    if status == "failed":
        bucket["failed"].add(trainee_id)
    if answered:
        bucket["answered"].add(trainee_id)
        if channel in RECEIPT_CHANNELS:  # answering proves it was delivered and read
            bucket["delivered"].add(trainee_id)
            bucket["read"].add(trainee_id)


def _row(key: tuple[str, str, str, str], bucket: dict[str, set[int]]) -> FunnelRow:
    programme, cohort, wave, channel = key
    receipts = channel in RECEIPT_CHANNELS
    return FunnelRow(
        programme=programme,
        cohort=cohort,
        wave=wave,
        channel=channel,
        sent=len(bucket["sent"]),
        delivered=len(bucket["delivered"]) if receipts else None,
        read=len(bucket["read"]) if receipts else None,
        failed=len(bucket["failed"]) if receipts else None,
        answered=len(bucket["answered"]),
    )
