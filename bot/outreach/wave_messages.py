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

from sqlalchemy import select

from bot.config import Settings
from bot.i18n import normalise_language
from bot.outreach import clock, schedule
from bot.outreach.invite_send import (
    InviteSendReport,
    Outgoing,
    chat_linked,
    choose_channel,
    decrypted_contacts,
    require_transport,
)
from bot.outreach.messaging import MessageTransport
from bot.outreach.planner import ExistingAttempt, next_reminder
from bot.outreach.scope import Scope
from bot.security.crypto import Cipher
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Outreach, Trainee, WaveProgress


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
        trainees = list(
            session.execute(
                scope.apply(
                    select(
                        Trainee.id, Trainee.status, Trainee.language, Cohort.end_date,
                        Cohort.timezone,
                    ).join(Cohort, Cohort.id == Trainee.cohort_id)
                ).order_by(Cohort.code, Trainee.id)
            )
        )  # fmt: skip
        chat = chat_linked(session)
        completed = set(
            session.execute(
                select(WaveProgress.trainee_id, WaveProgress.wave).where(
                    WaveProgress.completed_at.is_not(None)
                )
            ).all()
        )
        existing: dict[tuple[int, str], dict[int, ExistingAttempt]] = {}
        for row in session.execute(
            select(Outreach.id, Outreach.trainee_id, Outreach.wave, Outreach.attempt,
                   Outreach.state, Outreach.due_at, Outreach.sent_at)
        ):  # fmt: skip
            existing.setdefault((row[1], row[2]), {})[row[3]] = ExistingAttempt(
                row[0], row[4], row[5], row[6]
            )
        unlinked = [r[0] for r in trainees if r[1] == "active" and r[0] not in chat]
        contacts = decrypted_contacts(session, Cipher(settings.encryption_key), unlinked)
    for trainee_id, status, language, cohort_end, tz_name in trainees:
        if status != "active":
            counts["opted_out_or_deleted"] += 1
            continue
        if trainee_id in chat:
            counts["linked_chat"] += 1
            continue
        tz = clock.zone(tz_name, settings.default_timezone)
        due = schedule.current_wave(
            cohort_end, clock.local_today(now, tz), settings.followup_months
        )
        if due is None:
            counts["nothing_due_yet"] += 1
            continue
        wave, due_day = due
        if (trainee_id, wave) in completed:
            counts["answered"] += 1
            continue
        attempts = existing.get((trainee_id, wave))
        if not attempts:
            attempt, due_at = 0, clock.local_day_start(due_day, tz, settings.quiet_hours)
        else:
            following = next_reminder(attempts, settings, tz, now)
            if following is None:
                counts["no_more_reminders"] += 1
                continue
            attempt, due_at = following
        if due_at > now:
            counts["reminder_not_due_yet"] += 1
            continue
        if clock.is_quiet(now, tz, settings.quiet_hours):
            counts["quiet_hours"] += 1
            continue
        channel = choose_channel(mode, contacts.get(trainee_id, {}), transports)
        if channel is None:
            counts["no_address"] += 1
            continue
        address = contacts[trainee_id]["phone" if channel == "sms" else "email"]
        report.to_send.append(
            Outgoing(trainee_id, channel, address, normalise_language(language), (), 0,
                     wave=wave, attempt=attempt)
        )  # fmt: skip
    return report
