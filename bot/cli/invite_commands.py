"""``tracer invite``: single-use invitation codes and links, written to a CSV."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import CliContext, pass_cli
from bot.cli.invite_send_commands import send_command
from bot.cli.options import now_option
from bot.outreach.clock import parse_now
from bot.outreach.invite_send import MODES
from bot.outreach.invites import InviteError, issue_invitations, web_link
from bot.outreach.scope import Scope


@click.command("invite")
@click.option("--programme", required=True, help="Programme code.")
@click.option("--cohort", help="Only this cohort (code).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV file to write (name, phone, email, code, links) for mail-merge or SMS.",
)
@click.option(
    "--send",
    type=click.Choice(MODES),
    help="Send each trainee their link by SMS, e-mail, or auto (SMS if a phone, else e-mail).",
)
@click.option("--dry-run", is_flag=True, help="With --send: show what would be sent; send nothing.")
@click.option("--yes", is_flag=True, help="With --send: do not ask for confirmation.")
@now_option
@click.option("--reissue", is_flag=True, help="Replace unused codes already issued.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@pass_cli
def invite(
    ctx: CliContext,
    programme: str,
    cohort: str | None,
    out: Path | None,
    send: str | None,
    dry_run: bool,
    yes: bool,
    now_text: str | None,
    reissue: bool,
    force: bool,
) -> None:
    """Issue invitation codes: to a CSV (--out) or sent by SMS / e-mail (--send)."""
    if send:
        if out:
            raise click.UsageError("use either --out or --send")
        send_command(ctx.settings, Scope(programme, cohort), send, parse_now(now_text),
                     dry_run=dry_run, yes=yes, reissue=reissue)  # fmt: skip
        return
    if out is None:
        raise click.UsageError("give --out FILE (a CSV of codes) or --send sms|email|auto")
    try:
        report = issue_invitations(
            ctx.settings, Scope(programme, cohort), out, reissue=reissue, force=force
        )
    except InviteError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror or error}") from None
    click.echo(
        f"New codes: {report.issued}; kept (unused code already sent): {report.kept}; "
        f"already joined: {report.joined}; opted out/deleted: {report.inactive}."
    )
    if report.invalidated:
        click.echo(f"Invalidated {report.invalidated} unused earlier codes (--reissue).")
    if not report.issued:
        click.echo("No new codes, so no file was written.")
        return
    click.echo(f"Web links open the chat page at {web_link(ctx.settings, '')[: -len('?code=')]}")
    if not report.telegram_links:
        click.echo("note: TELEGRAM_BOT_USERNAME is not set, so the telegram_link column is empty.")
    click.echo(f"Wrote {out}.")
    click.echo(
        "WARNING: this file holds names, phone numbers, emails and live invitation codes. "
        "Keep it safe, share it only with who sends the invitations, and delete it after use."
    )
