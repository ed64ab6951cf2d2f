"""``tracer followups``: plan, list, send and resolve follow-up waves and reminders.

``send`` is safe to run every minute from cron: it plans, then claims each due row in the
database before sending it, so overlapping runs never send one message twice.  A send whose
outcome is ambiguous is left ``unknown`` (and a crashed sender leaves ``sending``); ``resolve``
settles those from the Rasa tracker.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import click

from bot.cli.common import CliContext, pass_cli
from bot.cli.invite_send_commands import wave_send_command
from bot.cli.options import now_option, scope_options
from bot.outreach.clock import parse_now
from bot.outreach.due import DueList
from bot.outreach.planner import PlanResult, plan_outreach
from bot.outreach.resolve import (
    DEFAULT_GRACE,
    ResolveReport,
    TrackerUnavailableError,
    resolve_unsettled,
)
from bot.outreach.scope import Scope
from bot.outreach.sender import SendReport, preview, send_due
from bot.outreach.transport import RasaTriggerTransport


@click.group()
def followups() -> None:
    """Follow-up waves and reminders, sent by the bot when they are due."""


def _counts(counter: Counter) -> str:
    parts = [f"{wave} attempt {attempt}: {n}" for (wave, attempt), n in sorted(counter.items())]
    return ", ".join(parts) if parts else "none"


def _echo_plan(plan: PlanResult, verb: str) -> None:
    counts = plan.counts
    click.echo(
        f"Trainees: {counts['trainees']}; nothing due yet: {counts['nothing_due_yet']}; "
        f"answered: {counts['answered']}; waiting for a reply or a reminder: "
        f"{counts['in_progress']}; opted out/deleted: {counts['opted_out_or_deleted']}; "
        f"unreachable (no chat contact): {counts['unreachable']}."
    )
    click.echo(f"{verb}: {_counts(plan.planned_by_wave)}.")
    if plan.cancelled:
        reasons = ", ".join(f"{r}: {len(ids)}" for r, ids in sorted(plan.cancel.items()))
        click.echo(f"Cancelled planned messages: {reasons}.")


def _echo_due(due: DueList, show: int) -> None:
    for item in due.items[: max(show, 0)] if show >= 0 else due.items:
        click.echo(f"  {item.pseudo_id}\t{item.wave}\tattempt {item.attempt}")
    hidden = len(due.items) - show if show >= 0 else 0
    if hidden > 0:
        click.echo(f"  ... and {hidden} more (use --show -1 to list all)")
    click.echo(f"Due now: {len(due.items)} ({_counts(due.by_wave())}).")
    if due.quiet:
        click.echo(f"Held back by quiet hours: {due.quiet}.")
    _echo_stuck(due.stuck, due.unknown)


def _echo_stuck(
    stuck: list[tuple[str, str, int]], unknown: list[tuple[str, str, int]] | None = None
) -> None:
    for rows, what in (
        (stuck, "are stuck in 'sending' (a sender stopped mid-send)"),
        (unknown or [], "are 'unknown' (the connection was lost or timed out mid-send)"),
    ):
        if not rows:
            continue
        click.echo(
            f"Warning: {len(rows)} messages {what}; they are not re-sent automatically because "
            "they may have been delivered. Run 'tracer followups resolve' to settle them:"
        )
        for pseudo_id, wave, attempt in rows[:20]:
            click.echo(f"  {pseudo_id}\t{wave}\tattempt {attempt}")


@followups.command("plan")
@scope_options
@now_option
@click.option("--dry-run", is_flag=True, help="Show what would be planned; write nothing.")
@pass_cli
def plan_command(
    ctx: CliContext, programme: str | None, cohort: str | None, now_text: str | None, dry_run: bool
) -> None:
    """Plan first contacts for due waves and reminders for unanswered ones."""
    plan = plan_outreach(ctx.settings, parse_now(now_text), Scope(programme, cohort), dry_run)
    _echo_plan(plan, "Would plan" if dry_run else "Planned")


@followups.command("due")
@scope_options
@now_option
@click.option("--show", default=50, show_default=True, help="How many to list (-1: all).")
@pass_cli
def due_command(
    ctx: CliContext, programme: str | None, cohort: str | None, now_text: str | None, show: int
) -> None:
    """Who would be contacted now (pseudonymous ids), including what planning would add."""
    plan, due = preview(ctx.settings, parse_now(now_text), Scope(programme, cohort))
    _echo_due(due, show)


def _echo_send(report: SendReport) -> None:
    click.echo(
        f"Sent: {report.sent}; failed: {report.failed}; skipped (taken by another sender, "
        f"opted out or answered meanwhile): {report.not_claimed}; unreachable: "
        f"{report.unreachable}; held back by quiet hours: {report.quiet}; "
        f"time: {report.seconds:.1f} s."
    )
    if report.unknown:
        click.echo(f"Outcome unknown (may have been delivered): {report.unknown}.")
    if report.rate_limited:
        click.echo(f"Rate-limited answers (backed off): {report.rate_limited}.")
    for detail, count in report.failures.most_common():
        click.echo(f"  failed with {detail}: {count}")
    _echo_stuck(report.stuck, report.unresolved)


@followups.command("send")
@scope_options
@now_option
@click.option("--dry-run", is_flag=True, help="List who would be contacted; send nothing.")
@click.option("--limit", type=int, help="Send at most this many now (the rest next run).")
@click.option("--show", default=50, show_default=True, help="Dry run: how many to list.")
@pass_cli
def send_command(
    ctx: CliContext,
    programme: str | None,
    cohort: str | None,
    now_text: str | None,
    dry_run: bool,
    limit: int | None,
    show: int,
) -> None:
    """Plan, then send every due follow-up and reminder (safe to run from cron)."""
    settings, scope, now = ctx.settings, Scope(programme, cohort), parse_now(now_text)
    if dry_run:
        plan, due = preview(settings, now, scope, limit=limit)
        _echo_plan(plan, "Would plan")
        _echo_due(due, show)
        click.echo("Dry run: nothing was sent or written.")
        return
    report = send_due(
        settings, now, RasaTriggerTransport(settings), scope, limit=limit, progress=True
    )
    if report.plan is not None and report.plan.new_rows:
        click.echo(f"Planned: {_counts(report.plan.planned_by_wave)}.")
    _echo_send(report)
    if report.stopped:
        raise click.ClickException(f"{report.stopped}; the rest stays planned for the next run")


def _echo_resolve(report: ResolveReport, dry_run: bool) -> None:
    for pseudo_id, wave, attempt, state in report.settled[:50]:
        verdict = "delivered" if state == "sent" else "not delivered: planned again"
        click.echo(f"  {pseudo_id}\t{wave}\tattempt {attempt}\t{verdict}")
    prefix = "Would settle" if dry_run else "Settled"
    click.echo(
        f"{prefix}: {report.sent} delivered (marked sent), {report.replanned} not delivered "
        f"(planned again for the next send); left for later: {report.too_recent} claimed too "
        f"recently, {report.no_contact} without a chat contact."
    )


@followups.command("resolve")
@scope_options
@now_option
@click.option(
    "--older-than",
    "older_than",
    default=int(DEFAULT_GRACE.total_seconds() // 60),
    show_default=True,
    type=click.IntRange(min=0),
    help="Only rows claimed at least this many minutes ago (a sender may still be running).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be settled; write nothing.")
@pass_cli
def resolve_command(
    ctx: CliContext,
    programme: str | None,
    cohort: str | None,
    now_text: str | None,
    older_than: int,
    dry_run: bool,
) -> None:
    """Settle 'unknown' and stale 'sending' messages from the Rasa tracker: those whose prompt
    the bot uttered become 'sent'; the others are planned again (sent by the next 'send')."""
    try:
        report = resolve_unsettled(
            ctx.settings,
            parse_now(now_text),
            Scope(programme, cohort),
            grace=timedelta(minutes=older_than),
            dry_run=dry_run,
        )
    except TrackerUnavailableError as error:
        raise click.ClickException(str(error)) from None
    _echo_resolve(report, dry_run)


@followups.command("scheduler")
@scope_options
@click.option("--interval", default=60, show_default=True, help="Seconds between runs.")
@click.option("--once", is_flag=True, help="Run one round and exit.")
@pass_cli
def scheduler_command(
    ctx: CliContext, programme: str | None, cohort: str | None, interval: int, once: bool
) -> None:
    """Run 'resolve' then 'send' every --interval seconds until stopped (Ctrl-C), with the
    real clock (rows are resolved once they are older than the default grace period)."""
    settings, scope = ctx.settings, Scope(programme, cohort)
    transport = RasaTriggerTransport(settings)
    try:
        while True:
            try:
                settled = resolve_unsettled(settings, parse_now(None), scope)
                if settled.settled:
                    _echo_resolve(settled, dry_run=False)
            except TrackerUnavailableError as error:
                click.echo(f"not resolving unknown sends: {error}", err=True)
            report = send_due(settings, parse_now(None), transport, scope, progress=False)
            if report.sent or report.failed or report.stopped:
                _echo_send(report)
            if report.stopped:
                click.echo(f"{report.stopped}; retrying next round", err=True)
            if once:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Scheduler stopped.")


@followups.command("message")
@scope_options
@now_option
@click.option(
    "--send",
    "mode",
    type=click.Choice(("sms", "email", "auto")),
    default="auto",
    show_default=True,
    help="Channel for trainees without a chat (auto: SMS if a phone, else e-mail).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_cli
def message_command(
    ctx: CliContext,
    programme: str | None,
    cohort: str | None,
    now_text: str | None,
    mode: str,
    dry_run: bool,
    yes: bool,
) -> None:
    """Due waves and reminders by SMS / e-mail, with a fresh link, for trainees who never
    linked a chat (those with a chat get theirs from 'followups send')."""
    wave_send_command(ctx.settings, Scope(programme, cohort), mode, parse_now(now_text),
                      dry_run=dry_run, yes=yes)  # fmt: skip
