"""``tracer invite --send``: preview (segments, counts), confirm, send, report (counts only)."""

from __future__ import annotations

from datetime import datetime

import click

from bot.config import Settings
from bot.outreach.invite_send import InviteSendReport, plan_sends, send_invitations, sms_preview
from bot.outreach.invites import InviteError
from bot.outreach.messaging import MessageTransport, transports_from_settings
from bot.outreach.scope import Scope
from bot.outreach.wave_messages import plan_wave_messages

_LABELS = {
    "sent_sms": "sent by SMS (accepted by the provider)",
    "sent_email": "sent by e-mail (accepted by the server)",
    "failed": "failed after retries (re-run to retry)",
    "rejected": "rejected by the provider (not retried)",
    "unknown": "may have been sent (never re-sent)",
    "retried": "retries after a temporary failure",
    "already_sent": "already sent earlier (not sent twice)",
    "joined": "already joined",
    "code_in_csv": "code already issued to a CSV (use --reissue to replace)",
    "no_address": "no phone/e-mail for this channel",
    "quiet_hours": "inside quiet hours now (run later)",
    "gave_up_after_retries": "failed too often (use --reissue to try again)",
    "rejected_by_provider": "rejected earlier (use --reissue after fixing the contact)",
    "unknown_not_resent": "earlier send uncertain (not re-sent)",
    "opted_out_or_deleted": "opted out/deleted",
    "not_tried_after_stop": "not tried (run stopped)",
    "claimed_by_another_run": "sent by another run at the same time",
    "linked_chat": "linked a chat (use 'tracer followups send')",
    "nothing_due_yet": "no wave due yet",
    "answered": "wave already answered",
    "no_more_reminders": "no reminder left (or the last send failed)",
    "reminder_not_due_yet": "next reminder not due yet",
}


def _echo_counts(counts) -> None:
    for key, count in sorted(counts.items()):
        if count:
            click.echo(f"  {_LABELS.get(key, key)}: {count}")


def send_command(
    settings: Settings,
    scope: Scope,
    mode: str,
    now: datetime,
    *,
    dry_run: bool,
    yes: bool,
    reissue: bool,
) -> None:
    """``tracer invite --send``: plan, show the SMS segment counts, confirm, send invitations."""
    try:
        transports = transports_from_settings(settings)
        plan = plan_sends(settings, scope, mode, now, transports, reissue=reissue)
    except InviteError as error:
        raise click.ClickException(str(error)) from None
    run_plan(settings, plan, transports, mode, now, dry_run=dry_run, yes=yes, purpose="invite")


def wave_send_command(
    settings: Settings, scope: Scope, mode: str, now: datetime, *, dry_run: bool, yes: bool
) -> None:
    """``tracer followups message``: due waves and reminders for trainees without a chat."""
    try:
        transports = transports_from_settings(settings)
        plan = plan_wave_messages(settings, scope, mode, now, transports)
    except InviteError as error:
        raise click.ClickException(str(error)) from None
    run_plan(settings, plan, transports, mode, now, dry_run=dry_run, yes=yes, purpose="wave")


def run_plan(
    settings: Settings,
    plan: InviteSendReport,
    transports: dict[str, MessageTransport],
    mode: str,
    now: datetime,
    *,
    dry_run: bool,
    yes: bool,
    purpose: str,
) -> None:
    """Show counts and SMS segments, ask (unless ``yes``), send, and report (counts only)."""
    by_channel = {"sms": 0, "email": 0}
    for item in plan.to_send:
        by_channel[item.channel] += 1
    if by_channel["sms"] or mode == "sms":
        previews = sms_preview(settings, purpose)
        for language, (text, segments) in previews.items():
            click.echo(f"SMS ({language}): {segments.describe()}\n  {text}")
        languages = [item.language for item in plan.to_send if item.channel == "sms"]
        total = sum(previews[language][1].segments for language in languages)
        click.echo(f"SMS to send: {by_channel['sms']} ({total} segments billed)")
    click.echo(f"E-mails to send: {by_channel['email']}")
    _echo_counts(plan.counts)
    if dry_run or not plan.to_send:
        click.echo("Nothing sent." if not plan.to_send else "Dry run: nothing sent.")
        return
    if not yes:
        click.confirm("Send now?", abort=True)
    report = send_invitations(settings, plan, now, transports)
    click.echo("Done:")
    outcomes = ("sent_", "failed", "rejected", "unknown", "retried", "not_tried", "claimed")
    _echo_counts({k: v for k, v in report.counts.items() if k.startswith(outcomes)})
    for reason, count in report.failures.most_common(5):
        click.echo(f"  reason: {reason} ({count})")
    if report.stopped:
        raise click.ClickException(report.stopped)
