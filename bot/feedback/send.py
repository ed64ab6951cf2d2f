"""Send a closed wave's results to its respondents: once each, paced, outside quiet hours.

Each message is claimed by inserting its ``feedback_send`` row (the unique trainee/wave key
makes a second run, or a second sender, skip it), then settled ``sent``, ``failed`` (refused
for good) or ``unknown`` (it may have gone out: never re-sent).  A message that certainly did
not go out (no connection, rate limits beyond the retries) gives its claim back, so the next
run sends it.  Pacing is the follow-ups' :class:`bot.outreach.pacing.Pacer`.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from analytics.feedback_figures import Summary, wave_summary
from bot.config import Settings
from bot.feedback.message import compose, page_link, summary_token
from bot.feedback.recipients import Recipient, Recipients, find_recipients
from bot.feedback.telegram_text import TelegramText
from bot.i18n import t
from bot.i18n.languages import enabled_languages
from bot.outreach.messaging import MessageResult, MessageTransport, transports_from_settings
from bot.outreach.pacing import Pacer
from bot.storage.db import session_scope
from bot.storage.models import FeedbackSend, FeedbackSummary, Programme, utcnow

log = logging.getLogger(__name__)
MAX_RETRIES = 3
MAX_BACKOFF_SECONDS = 60.0


@dataclass
class Prepared:
    """A wave's results ready to go: the figures, the page id and who gets them."""

    summary: Summary
    token: str
    recipients: Recipients

    def message(self, settings: Settings, language: str) -> str | None:
        """The message in ``language`` (None: nothing publishable)."""
        return compose(self.summary, language, page_link(settings, self.token, language))


@dataclass
class FeedbackReport:
    """Counts of a send run (no personal data)."""

    sent: int = 0
    failed: int = 0
    unknown: int = 0
    retry_later: int = 0
    not_claimed: int = 0
    by_language: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)


def feedback_transports(settings: Settings) -> dict[str, MessageTransport]:
    """Telegram (when a bot token is set) plus the configured SMS / e-mail transports."""
    found = dict(transports_from_settings(settings))
    if settings.telegram_token:
        found["telegram"] = TelegramText(settings)
    return found


def prepare(
    settings: Settings,
    programme: str,
    cohort: str,
    wave: str,
    now: datetime,
    transports: dict[str, MessageTransport],
) -> Prepared:
    """Figures (as ``tracer report`` computes them) and recipients; writes nothing."""
    recipients = find_recipients(settings, programme, cohort, wave, now, transports)
    summary = wave_summary(
        settings.database_url,
        programme,
        cohort,
        wave,
        as_of=now.date(),
        followup_months=settings.followup_months,
        grace_days=settings.baseline_grace_days,
        window_months=settings.fieldwork_window_months,
    )
    return Prepared(summary, summary_token(settings, programme, cohort, wave), recipients)


def publish(settings: Settings, prepared: Prepared) -> None:
    """Store the figures behind the public page (replacing an earlier publication)."""
    summary = prepared.summary
    with session_scope(settings.database_url) as session:
        programme_id = session.scalar(
            select(Programme.id).where(Programme.code == summary.programme)
        )
        row = session.get(FeedbackSummary, prepared.token)
        if row is None:
            row = FeedbackSummary(token=prepared.token, programme_id=programme_id)
            session.add(row)
        row.cohort_code, row.wave = summary.cohort, summary.wave
        row.figures_json, row.published_at = summary.to_json(), utcnow()


def _claim(url: str, recipient: Recipient, wave: str) -> int | None:
    try:
        with session_scope(url) as session:
            row = FeedbackSend(trainee_id=recipient.trainee_id, wave=wave,
                               channel=recipient.channel, state="sending")  # fmt: skip
            session.add(row)
            session.flush()
            return int(row.id)
    except IntegrityError:
        return None


def _settle(url: str, claim_id: int, outcome: MessageResult) -> str:
    with session_scope(url) as session:
        if outcome.retryable:  # certainly not sent: give the claim back for the next run
            session.execute(delete(FeedbackSend).where(FeedbackSend.id == claim_id))
            return "retry_later"
        state = "sent" if outcome.accepted else "unknown" if outcome.ambiguous else "failed"
        values: dict[str, object] = {"state": state, "result": outcome.reason[:200]}
        if outcome.accepted:
            values["sent_at"] = utcnow()
        session.execute(update(FeedbackSend).where(FeedbackSend.id == claim_id).values(**values))
        return state


def _deliver(
    transport: MessageTransport, pacer: Pacer, recipient: Recipient, text: str, subject: str
) -> MessageResult:
    outcome = MessageResult(False, "not tried", retryable=True)
    for retry in range(MAX_RETRIES + 1):
        pacer.wait(recipient.address)
        outcome = transport.send_text(recipient.address, text, subject)
        pacer.sent(1 if outcome.accepted or outcome.ambiguous else 0)
        if not outcome.retryable or retry == MAX_RETRIES:
            break
        pause = outcome.retry_after or min(2.0**retry, MAX_BACKOFF_SECONDS)
        log.warning("results message not sent (%s); backing off %.0f s", outcome.reason, pause)
        pacer.back_off(float(pause))
    return outcome


def send_feedback(
    settings: Settings,
    prepared: Prepared,
    transports: dict[str, MessageTransport],
    pacer: Pacer | None = None,
) -> FeedbackReport:
    """Publish the page and send each recipient their message once; counts of what happened."""
    report = FeedbackReport(skipped=Counter(prepared.recipients.counts))
    if prepared.summary.scope is None:  # too few respondents, in the cohort and the programme
        report.skipped["too_few_to_publish"] += len(prepared.recipients.to_send)
        return report
    publish(settings, prepared)
    used = {r.channel for r in prepared.recipients.to_send}
    rate = min([settings.send_rate_per_second] + [transports[c].rate_per_second for c in used])
    pacer = pacer or Pacer(rate)  # the follow-ups' pacer, at the slowest channel's rate
    url, wave = settings.database_url, prepared.summary.wave
    texts = {lang: prepared.message(settings, lang) for lang in enabled_languages()}
    for recipient in prepared.recipients.to_send:
        claim_id = _claim(url, recipient, wave)
        if claim_id is None:
            report.not_claimed += 1
            continue
        text = texts[recipient.language] or ""
        subject = t(
            "feedback_page_title", recipient.language, programme=prepared.summary.programme_name
        )  # fmt: skip (e-mail only)
        outcome = _deliver(transports[recipient.channel], pacer, recipient, text, subject)
        state = _settle(url, claim_id, outcome)
        setattr(report, state, getattr(report, state) + 1)
        if state == "sent":
            report.by_language[recipient.language] += 1
    return report
