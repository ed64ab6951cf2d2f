"""Entry point of the ``tracer`` command: groups are registered from one module each."""

from __future__ import annotations

import logging
import sys

import click

from bot.cli.common import CliContext
from bot.cli.db_commands import db
from bot.cli.programme_commands import programmes
from bot.config import ConfigError
from bot.logging_filters import install_log_redaction


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database-url",
    envvar="TRACER_DATABASE_URL",
    default=None,
    help="Database URL (default: sqlite file var/tracer.db).",
)
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """Tracer: run tracer studies of vocational-training programmes by chat."""
    ctx.obj = CliContext(database_url=database_url)


cli.add_command(db)
cli.add_command(programmes)

_OPTIONAL_GROUPS = (
    ("bot.cli.cohort_commands", "cohorts"),
    ("bot.cli.invite_commands", "invite"),
    ("bot.cli.followup_commands", "followups"),
    ("bot.cli.feedback_commands", "feedback"),
    ("bot.cli.status_commands", "status"),
    ("bot.cli.report_commands", "report"),
    ("bot.cli.report_commands", "demo_data"),
    ("bot.cli.export_commands", "export"),
    ("bot.cli.ops_commands", "backup"),
    ("bot.cli.ops_commands", "restore"),
    ("bot.cli.ops_commands", "reconcile"),
    ("bot.cli.ops_commands", "purge"),
    ("bot.cli.ops_commands", "rotate_keys"),
    ("bot.cli.cluster_commands", "cluster"),
    ("bot.cli.occupation_commands", "occupations"),
    ("bot.cli.questionnaire_commands", "questionnaire"),
    ("bot.cli.user_commands", "users"),
)
for module_name, attribute in _OPTIONAL_GROUPS:
    try:
        module = __import__(module_name, fromlist=[attribute])
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        continue
    cli.add_command(getattr(module, attribute))


def main() -> None:
    """Run the CLI; configuration errors become a message and exit code 2."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_log_redaction(logging.getLogger())
    try:
        cli(standalone_mode=True)
    except ConfigError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
