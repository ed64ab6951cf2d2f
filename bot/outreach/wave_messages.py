"""Follow-up waves and reminders by SMS / e-mail for trainees who never linked a chat.

The bot cannot write first in a chat nobody opened, so a trainee without a chat contact gets a
short message with a fresh single-use link instead; the link opens the chat (web page or
Telegram), where consent is asked and the survey engine opens the latest due wave.  Which wave
and when follow the chat schedule exactly (bot/outreach/schedule.py, planner reminders, quiet
hours in the cohort's time zone); each message is an ``outreach`` row, claimed by inserting it
(the unique trainee/wave/attempt key makes a second run skip it) and settled ``sent``,
``failed`` or ``unknown`` like chat follow-ups, its result prefixed with the channel.  Once the
trainee links a chat, ``tracer followups send`` takes over and the remaining reminders go there.
"""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.i18n import normalise_language
from bot.outreach import clock, queries
from bot.outreach.invite_send import (
    InviteSendReport,
    Outgoing,
    choose_channel,
    decrypted_contacts,
    require_transport,
)
from bot.outreach.messaging import MessageTransport
from bot.outreach.planner import due_step
from bot.outreach.scope import Scope
from bot.security.crypto import Cipher
from bot.storage.db import session_scope


def plan_wave_messages(
    settings: Settings,
    scope: Scope,
    mode: str,
    now: datetime,
    transports: dict[str, MessageTransport],
) -> InviteSendReport:
    """Which unlinked trainees get a wave message or reminder now (writes nothing)."""
    require_transport(mode, transports)
    report = InviteSendReport()
    counts = report.counts
    with session_scope(settings.database_url) as session:
        trainees = queries.trainees_in_scope(session, scope)
        chat = queries.chat_linked(session)
        completed = queries.completed_waves(session, scope)
        existing = queries.existing_attempts(session, scope)
        unlinked = [r.id for r in trainees if r.status == "active" and r.id not in chat]
        contacts = decrypted_contacts(session, Cipher(settings.encryption_key), unlinked)
    for row in trainees:
        if row.status != "active":
            counts["opted_out_or_deleted"] += 1
            continue
        if row.id in chat:
            counts["linked_chat"] += 1
            continue
        tz = clock.zone(row.timezone, settings.default_timezone)
        today = clock.local_today(now, tz)
        step = due_step(row.id, row.cohort_end, tz, today, now, settings, completed, existing)
        if step.skip is not None or step.due_at is None or step.wave is None:
            counts[step.skip or "nothing_due_yet"] += 1
            continue
        if step.due_at > now:
            counts["reminder_not_due_yet"] += 1
            continue
        if clock.is_quiet(now, tz, settings.quiet_hours):
            counts["quiet_hours"] += 1
            continue
        channel = choose_channel(mode, contacts.get(row.id, {}), transports)
        if channel is None:
            counts["no_address"] += 1
            continue
        address = contacts[row.id]["phone" if channel == "sms" else "email"]
        report.to_send.append(
            Outgoing(
                row.id,
                channel,
                address,
                normalise_language(row.language),
                (),
                0,
                wave=step.wave,
                attempt=step.attempt,
            )
        )
    return report
