"""``tracer invite --send``: preview (segments, counts), confirm, send, report (counts only)."""

from __future__ import annotations

from datetime import datetime

import click

from bot.config import Settings
from bot.outreach.invite_send import plan_sends, send_invitations, sms_preview
from bot.outreach.invites import InviteError
from bot.outreach.messaging import transports_from_settings
from bot.outreach.scope import Scope

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
    """Plan, show the SMS segment counts, confirm and send invitations."""
    try:
        transports = transports_from_settings(settings)
        plan = plan_sends(settings, scope, mode, now, transports, reissue=reissue)
    except InviteError as error:
        raise click.ClickException(str(error)) from None
    by_channel = {"sms": 0, "email": 0}
    for item in plan.to_send:
        by_channel[item.channel] += 1
    if by_channel["sms"] or mode == "sms":
        previews = sms_preview(settings)
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
    _echo_counts({k: v for k, v in report.counts.items() if k.startswith(
        ("sent_", "failed", "rejected", "unknown", "retried", "not_tried"))})  # fmt: skip
    for reason, count in report.failures.most_common(5):
        click.echo(f"  reason: {reason} ({count})")
    if report.stopped:
        raise click.ClickException(report.stopped)
