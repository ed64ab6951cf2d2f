"""``tracer backup|restore|reconcile|purge|rotate-keys``: operating a Tracer database safely."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import CliContext, pass_cli
from bot.ops.backup import BackupError
from bot.ops.backup import backup as backup_database
from bot.ops.backup import restore_keeping_erasures as restore_database
from bot.ops.keys import KeyRotationError, rotate_contact_keys
from bot.ops.purge import purge as purge_texts
from bot.ops.reconcile import Reconciler
from bot.questionnaire.loader import default_questionnaire


@click.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Backup file to write (SQLite copy, or pg_dump custom format).",
)
@pass_cli
def backup(ctx: CliContext, out: Path) -> None:
    """Write a consistent backup of the database (safe while the bot runs)."""
    try:
        written = backup_database(ctx.settings.database_url, out)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    size = written.stat().st_size
    click.echo(f"Backup written to {written} ({size:,} bytes).")
    click.echo("Keep TRACER_SECRET_KEY and TRACER_ENCRYPTION_KEY backed up separately.")


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_cli
def restore(ctx: CliContext, source: Path, yes: bool) -> None:
    """Replace the database with the backup SOURCE (stop the bot first).

    Everyone erased since that backup was taken is erased again (the erasure journal).
    """
    if not yes:
        click.confirm(
            "This replaces every answer and conversation in the database. Continue?", abort=True
        )
    try:
        erased = restore_database(ctx.settings, source)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Database restored from {source}.")
    click.echo(
        f"Erasure journal re-applied: {erased.trainees} erased trainees, {erased.contacts} "
        f"contacts and {erased.events} conversation events removed again."
    )


@click.command()
@click.option("--dry-run", is_flag=True, help="Count what would be restored; change nothing.")
@pass_cli
def reconcile(ctx: CliContext, dry_run: bool) -> None:
    """Store answers found in the conversation history but missing from the database."""
    report = Reconciler(ctx.settings, default_questionnaire()).run(dry_run=dry_run)
    verb = "would restore" if dry_run else "restored"
    click.echo(
        f"Checked {report.answer_messages} answer messages in {report.conversations} "
        f"conversations: {report.already_stored} already stored, {verb} {report.restored}, "
        f"{report.superseded_later} superseded by a later reply, "
        f"{report.unknown_trainee} without a registered trainee."
    )
    for code, count in sorted(report.restored_codes.items()):
        click.echo(f"  {code}: {count}")


@click.command()
@click.option(
    "--older-than-days",
    type=click.IntRange(min=0),
    default=None,
    help="Age in days (default: TRACER_RAW_TEXT_RETENTION_DAYS, 90).",
)
@click.option("--dry-run", is_flag=True, help="Count what would be scrubbed; change nothing.")
@pass_cli
def purge(ctx: CliContext, older_than_days: int | None, dry_run: bool) -> None:
    """Forget typed message texts older than the retention period (coded answers stay)."""
    days = ctx.settings.raw_text_retention_days if older_than_days is None else older_than_days
    report = purge_texts(ctx.settings.database_url, days, dry_run=dry_run)
    verb = "Would scrub" if dry_run else "Scrubbed"
    click.echo(
        f"{verb} texts older than {days} days (before {report.cutoff:%Y-%m-%d %H:%M} UTC): "
        f"{report.answers} answers, {report.user_events} user messages and "
        f"{report.slot_events} slot values in the conversation history."
    )


@click.command("rotate-keys")
@pass_cli
def rotate_keys(ctx: CliContext) -> None:
    """Re-encrypt every contact under the first key of TRACER_ENCRYPTION_KEY=NEW,OLD."""
    try:
        report = rotate_contact_keys(ctx.settings)
    except KeyRotationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Re-encrypted {report.contacts} contact addresses under the new key; "
        "the old key(s) can now be removed from TRACER_ENCRYPTION_KEY."
    )
