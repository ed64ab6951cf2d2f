"""Who gets a wave's results: the cohort's respondents who still take part and want them.

Skipped (counted, never named): trainees who opted out of the study or were deleted, who
typed "no results", who already got this wave's results, who have no channel the send can
use, and — for now — those whose cohort is in its quiet hours (a later run reaches them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, select

from bot.config import Settings
from bot.feedback.optout import declined_results
from bot.i18n import normalise_language
from bot.outreach import clock
from bot.outreach.invite_send import choose_channel, decrypted_contacts
from bot.outreach.messaging import MessageTransport
from bot.outreach.scope import Scope
from bot.security.crypto import Cipher
from bot.storage.db import session_scope
from bot.storage.models import Answer, Cohort, FeedbackSend, Trainee
from bot.storage.repository import TracerStore
from bot.survey.windows import fieldwork_window


class FeedbackError(ValueError):
    """A clear reason why a wave's results cannot go out (shown to the officer)."""


@dataclass(frozen=True)
class Recipient:
    """One trainee to write to (the address stays in memory only)."""

    trainee_id: int
    language: str
    channel: str
    address: str


@dataclass
class Recipients:
    """The trainees to write to now, and counts of the others by reason."""

    to_send: list[Recipient] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    closed_on: date | None = None


def wave_closed_on(settings: Settings, programme: str, cohort: str, wave: str) -> date:
    """The last fieldwork day of ``wave`` for the cohort; ``FeedbackError`` if it has none."""
    with session_scope(settings.database_url) as session:
        row = session.execute(
            Scope(programme, cohort).apply(select(Cohort.start_date, Cohort.end_date))
        ).first()
    if row is None:
        raise FeedbackError(f"unknown cohort {cohort!r} of programme {programme!r}")
    window = fieldwork_window(wave, row[0], row[1], settings.baseline_grace_days,
                              settings.fieldwork_window_months)  # fmt: skip
    if window.last_day is None:
        raise FeedbackError(f"wave {wave!r} has no fieldwork window for cohort {cohort!r}")
    return window.last_day


def _respondents(settings: Settings, programme: str, cohort: str, wave: str) -> list[tuple]:
    answered = exists().where(
        Answer.trainee_id == Trainee.id, Answer.wave == wave, Answer.is_current.is_(True)
    )
    already = exists().where(FeedbackSend.trainee_id == Trainee.id, FeedbackSend.wave == wave)
    statement = Scope(programme, cohort).apply(
        select(Trainee.id, Trainee.status, Trainee.language, Cohort.timezone, already)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .where(answered)
        .order_by(Trainee.id)
    )
    with session_scope(settings.database_url) as session:
        return [tuple(row) for row in session.execute(statement)]


def _addresses(
    settings: Settings, ids: list[int], transports: dict[str, MessageTransport]
) -> dict[int, tuple[str, str]]:
    """trainee → (channel, address): a chat the send can write to, else SMS / e-mail."""
    found = {
        trainee_id: contact
        for trainee_id, contact in TracerStore(settings).contact_addresses(ids).items()
        if contact[0] in transports
    }
    rest = [i for i in ids if i not in found]
    with session_scope(settings.database_url) as session:
        others = decrypted_contacts(session, Cipher(settings.encryption_key), rest)
    for trainee_id, contacts in others.items():
        channel = choose_channel("auto", contacts, transports)
        if channel is not None:
            found[trainee_id] = (channel, contacts["phone" if channel == "sms" else "email"])
    return found


def find_recipients(
    settings: Settings,
    programme: str,
    cohort: str,
    wave: str,
    now: datetime,
    transports: dict[str, MessageTransport],
) -> Recipients:
    """Who gets the results of ``wave`` now; ``FeedbackError`` while the wave is still open."""
    closed_on = wave_closed_on(settings, programme, cohort, wave)
    rows = _respondents(settings, programme, cohort, wave)
    result = Recipients(closed_on=closed_on)
    if rows and clock.local_today(now, clock.zone(rows[0][3], settings.default_timezone)) <= (
        closed_on
    ):
        raise FeedbackError(
            f"wave {wave} of cohort {cohort} is still open (fieldwork until {closed_on})"
        )
    declined = declined_results(settings.database_url, [r[0] for r in rows])
    addresses = _addresses(settings, [r[0] for r in rows], transports)
    for trainee_id, status, language, tz_name, already in rows:
        reason = None
        if status != "active":
            reason = "opted_out_or_deleted"
        elif trainee_id in declined:
            reason = "said_no_results"
        elif already:
            reason = "already_sent"
        elif trainee_id not in addresses:
            reason = "no_channel"
        elif clock.is_quiet(now, clock.zone(tz_name, settings.default_timezone),
                            settings.quiet_hours):  # fmt: skip
            reason = "quiet_hours"
        if reason:
            result.counts[reason] += 1
            continue
        channel, address = addresses[trainee_id]
        result.to_send.append(Recipient(trainee_id, normalise_language(language), channel, address))
    return result
