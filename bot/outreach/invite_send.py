"""Send each trainee their own single-use invitation link by SMS or e-mail, once per code.

Only a keyed hash of a code is stored, so a code is sent in the run that issues it.  Each send
is recorded on its ``invitation`` row: the row is written as ``sending`` (the claim) before the
provider is called, then ``accepted`` (with the provider's message id), ``failed`` (a retryable
failure after ``max_attempts`` tries), ``rejected`` (the provider refused for good: bad number,
blocked...) or ``unknown`` (it may have gone out).  A re-run never re-sends ``accepted``,
``delivered``, ``sending`` or ``unknown`` codes; a ``failed`` code with tries left is replaced by
a fresh code (the old one certainly never reached anyone) and sent again.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.i18n import normalise_language, t
from bot.i18n.languages import enabled_languages
from bot.outreach import clock, queries
from bot.outreach.invites import InviteError, code_hash, telegram_link, web_link
from bot.outreach.messaging import MessageResult, MessageTransport
from bot.outreach.pacing import Pacer, failure_stop
from bot.outreach.scope import Scope
from bot.outreach.segments import SegmentCount, count_segments
from bot.security.crypto import Cipher, new_invite_code
from bot.storage.db import session_scope
from bot.storage.models import Contact, Invitation, Outreach, Trainee

MODES = ("sms", "email", "auto")
MAX_ATTEMPTS = 3
MAX_BACKOFF_SECONDS = 60.0
SENT_STATES = ("accepted", "delivered")
IN_FLIGHT_OR_SENT = ("sending", "unknown", *SENT_STATES)
_ADDRESS = {"sms": "phone", "email": "email"}


@dataclass(frozen=True)
class Outgoing:
    """One invitation to send (addresses stay in memory only)."""

    trainee_id: int
    channel: str
    address: str
    language: str
    replace_ids: tuple[int, ...]
    attempts_before: int
    wave: str | None = None  # a wave reminder (bot/outreach/wave_messages.py), not an invitation
    attempt: int = 0


@dataclass
class InviteSendReport:
    """Counts of a send run (no personal data)."""

    to_send: list[Outgoing] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    stopped: str = ""


def compose(
    settings: Settings, channel: str, language: str, code: str, purpose: str = "invite"
) -> tuple[str, str]:
    """(subject, text) in ``language`` carrying the trainee's links; ``purpose`` is ``invite``
    (first invitation) or ``wave`` (a follow-up wave or its reminder for an unlinked trainee)."""
    web, telegram = web_link(settings, code), telegram_link(settings, code)
    if channel == "sms":
        links = f"{web} {t('invite_or', language)} Telegram {telegram}" if telegram else web
        return "", t(f"{purpose}_sms", language, links=links)
    telegram_line = t("invite_email_telegram", language, link=telegram) if telegram else ""
    body = t(f"{purpose}_email_body", language, web_link=web, telegram_line=telegram_line,
             code=code)  # fmt: skip
    return t(f"{purpose}_email_subject", language), body


def sms_preview(settings: Settings, purpose: str = "invite") -> dict[str, tuple[str, SegmentCount]]:
    """Per language: a sample SMS (with a sample code) and its segment count."""
    sample = "ABCDEFGH23"
    found = {}
    for language in enabled_languages():
        text = compose(settings, "sms", language, sample, purpose)[1]
        found[language] = (text, count_segments(text))
    return found


def decrypted_contacts(session, cipher: Cipher, ids: list[int]) -> dict[int, dict[str, str]]:
    """Trainee id → {"phone": ..., "email": ...} (decrypted, in memory only)."""
    found: dict[int, dict[str, str]] = {}
    for start in range(0, len(ids), 900):
        rows = session.execute(
            select(Contact.trainee_id, Contact.channel, Contact.address_encrypted).where(
                Contact.trainee_id.in_(ids[start : start + 900]),
                Contact.channel.in_(("phone", "email")),
            )
        )
        for trainee_id, channel, token in rows:
            found.setdefault(trainee_id, {})[channel] = cipher.decrypt(token)
    return found


def choose_channel(mode: str, contacts: dict[str, str], transports: dict) -> str | None:
    """``sms`` / ``email`` for this trainee (``auto``: SMS if a phone, else e-mail), or None."""
    if mode != "auto":
        return mode if contacts.get(_ADDRESS[mode]) else None
    for channel in ("sms", "email"):
        if contacts.get(_ADDRESS[channel]) and channel in transports:
            return channel
    return None


def require_transport(mode: str, transports: dict[str, MessageTransport]) -> None:
    """``InviteError`` unless ``mode`` is known and a transport for it is configured."""
    if mode not in MODES:
        raise InviteError(f"--send must be one of {', '.join(MODES)}")
    if mode != "auto" and mode not in transports:
        raise InviteError(f"{mode} is not configured (see docs/outreach.md)")
    if not transports:
        raise InviteError("neither SMS nor e-mail is configured (see docs/outreach.md)")


def chat_linked(session) -> set[int]:
    """Ids of trainees with a chat contact (they joined)."""
    return queries.chat_linked(session)


def plan_sends(
    settings: Settings,
    scope: Scope,
    mode: str,
    now: datetime,
    transports: dict[str, MessageTransport],
    *,
    reissue: bool = False,
    max_attempts: int = MAX_ATTEMPTS,
) -> InviteSendReport:
    """Who gets an invitation now, and why the others do not (writes nothing)."""
    require_transport(mode, transports)
    report = InviteSendReport()
    with session_scope(settings.database_url) as session:
        trainees = queries.trainees_in_scope(session, scope)
        if scope.cohort and not trainees:
            raise InviteError(f"no trainees in cohort '{scope.cohort}' of this programme")
        chat = queries.chat_linked(session)
        invitations = queries.invitations_by_trainee(session)
        active = [row.id for row in trainees if row.status == "active"]
        contacts = decrypted_contacts(session, Cipher(settings.encryption_key), active)
    for row in trainees:
        outcome = _invitation_outcome(row, chat, invitations.get(row.id, []), reissue, max_attempts)
        if isinstance(outcome, str):
            report.counts[outcome] += 1
            continue
        unused, tries = outcome
        channel = choose_channel(mode, contacts.get(row.id, {}), transports)
        if channel is None:
            report.counts["no_address"] += 1
            continue
        tz = clock.zone(row.timezone, settings.default_timezone)
        if clock.is_quiet(now, tz, settings.quiet_hours):
            report.counts["quiet_hours"] += 1
            continue
        report.to_send.append(
            Outgoing(
                row.id,
                channel,
                contacts[row.id][_ADDRESS[channel]],
                normalise_language(row.language),
                tuple(i for i, _, _ in unused),
                0 if reissue else tries,
            )
        )
    return report


def _invitation_outcome(
    row: queries.TraineeRow,
    chat: set[int],
    mine: list[tuple],
    reissue: bool,
    max_attempts: int,
) -> str | tuple[list[tuple[int, str | None, int]], int]:
    """Why a trainee gets no invitation now (a count name), or (unused codes, tries so far)."""
    if row.status != "active":
        return "opted_out_or_deleted"
    if row.id in chat or any(used for _, used, _, _ in mine):
        return "joined"
    unused = [(i, state, tries or 0) for i, used, state, tries in mine if used is None]
    states = {state for _, state, _ in unused}
    if states & set(SENT_STATES):
        return "already_sent"
    if states & {"sending", "unknown"}:
        return "unknown_not_resent"
    if states & {"rejected", "undelivered"} and not reissue:
        return "rejected_by_provider"
    if None in states and not reissue:
        return "code_in_csv"
    tries = max((n for _, state, n in unused if state == "failed"), default=0)
    if tries >= max_attempts and not reissue:
        return "gave_up_after_retries"
    return unused, tries


class _Sender:
    """Claims, sends and records invitations one by one at each provider's pace."""

    def __init__(self, settings, transports, now, sleep, max_attempts, report) -> None:
        self.settings, self.transports, self.now = settings, transports, now
        self.sleep, self.max_attempts, self.report = sleep, max_attempts, report
        self.pacers = {
            kind: Pacer(transport.rate_per_second, per_chat_interval=0.0, sleep=sleep)
            for kind, transport in transports.items()
        }
        self.consecutive_failures = 0

    def _claim(self, item: Outgoing, code: str) -> int | None:
        """Write the code (and, for a wave, its outreach row) as ``sending``; None when another
        run already holds this wave attempt (the unique outreach key refuses a second row)."""
        try:
            return self._claim_rows(item, code)
        except IntegrityError:
            return None

    def _claim_rows(self, item: Outgoing, code: str) -> int | None:
        with session_scope(self.settings.database_url) as session:
            # A no-op write on the trainee row first: a row lock on PostgreSQL, the write lock on
            # SQLite, so two runs planning at once cannot both pass the check below.
            session.execute(
                update(Trainee).where(Trainee.id == item.trainee_id).values(status=Trainee.status)
            )
            if (
                item.wave is None
                and session.execute(
                    select(Invitation.id).where(
                        Invitation.trainee_id == item.trainee_id,
                        Invitation.used_at.is_(None),
                        Invitation.send_state.in_(IN_FLIGHT_OR_SENT),
                    )
                ).first()
            ):
                return None  # another run sent this trainee an invitation meanwhile
            if item.replace_ids:
                session.execute(
                    delete(Invitation).where(
                        Invitation.id.in_(item.replace_ids),
                        Invitation.used_at.is_(None),
                        Invitation.send_state.is_(None) | Invitation.send_state.in_(
                            ("failed", "rejected", "undelivered")),
                    )
                )  # fmt: skip
            invitation = Invitation(
                trainee_id=item.trainee_id,
                code_hash=code_hash(self.settings, code),
                send_channel=item.channel,
                send_state="sending",
                send_attempts=item.attempts_before,
            )
            session.add(invitation)
            if item.wave is not None:
                session.add(
                    Outreach(trainee_id=item.trainee_id, wave=item.wave, attempt=item.attempt,
                             due_at=self.now, state="sending", updated_at=self.now)
                )  # fmt: skip
            session.flush()
            return invitation.id

    def _record(self, invitation_id: int, **values) -> None:
        with session_scope(self.settings.database_url) as session:
            session.execute(
                update(Invitation).where(Invitation.id == invitation_id).values(**values)
            )

    def _record_wave(self, item: Outgoing, state: str, reason: str) -> None:
        """The outreach row of a wave message: sent / failed / unknown, like chat follow-ups."""
        values = {"state": state, "result": f"{item.channel}: {reason}"[:200],
                  "updated_at": self.now}  # fmt: skip
        if state == "sent":
            values["sent_at"] = self.now
        with session_scope(self.settings.database_url) as session:
            session.execute(
                update(Outreach)
                .where(
                    Outreach.trainee_id == item.trainee_id,
                    Outreach.wave == item.wave,
                    Outreach.attempt == item.attempt,
                )  # fmt: skip
                .values(**values)
            )

    def send(self, item: Outgoing) -> None:
        code = new_invite_code()
        invitation_id = self._claim(item, code)
        if invitation_id is None:
            self.report.counts["claimed_by_another_run"] += 1
            return
        purpose = "invite" if item.wave is None else "wave"
        subject, text = compose(self.settings, item.channel, item.language, code, purpose)
        transport, pacer = self.transports[item.channel], self.pacers[item.channel]
        attempts = item.attempts_before
        while True:
            pacer.wait(item.address)
            result = transport.send_text(item.address, text, subject)
            pacer.sent(1 if result.accepted or result.ambiguous else 0)
            attempts += 1
            if not result.retryable or attempts >= self.max_attempts:
                break
            self.report.counts["retried"] += 1
            self._record(invitation_id, send_attempts=attempts, send_result=result.reason[:200])
            pause = result.retry_after or min(2.0**attempts, MAX_BACKOFF_SECONDS)
            pacer.back_off(min(pause, MAX_BACKOFF_SECONDS))
        self._settle(invitation_id, item, result, attempts)

    def _settle(self, invitation_id: int, item: Outgoing, result: MessageResult, attempts: int):
        counts = self.report.counts
        values = {"send_attempts": attempts, "send_result": result.reason[:200]}
        if result.accepted:
            self._record(invitation_id, send_state="accepted", provider_ref=result.reference[:80]
                         or None, sent_at=self.now, **values)  # fmt: skip
            counts[f"sent_{item.channel}"] += 1
            self.consecutive_failures = 0
            if item.wave is not None:
                self._record_wave(item, "sent", result.reason)
            return
        state = "unknown" if result.ambiguous else "failed" if result.retryable else "rejected"
        self._record(invitation_id, send_state=state, **values)
        if item.wave is not None:
            self._record_wave(item, "unknown" if result.ambiguous else "failed", result.reason)
        counts[state] += 1
        self.report.failures[result.reason] += 1
        self.consecutive_failures += 1
        stop = failure_stop(self.consecutive_failures, result.reason)
        if stop:
            self.report.stopped = stop


def send_invitations(
    settings: Settings,
    plan: InviteSendReport,
    now: datetime,
    transports: dict[str, MessageTransport],
    *,
    sleep: Callable[[float], None] = time.sleep,
    max_attempts: int = MAX_ATTEMPTS,
) -> InviteSendReport:
    """Send every planned invitation; outcomes are recorded on the invitation rows."""
    sender = _Sender(settings, transports, now, sleep, max_attempts, plan)
    for item in plan.to_send:
        if plan.stopped:
            plan.counts["not_tried_after_stop"] += 1
            continue
        sender.send(item)
    return plan
