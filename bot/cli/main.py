"""Entry point of the ``tracer`` command: its groups, and the one place where errors become a
message and an exit code (:class:`TracerGroup`).

Commands raise what goes wrong in their own terms: ``click.ClickException`` for a failure they
explain themselves (unknown programme, rejected file, refused export), click's usage errors for
bad options; configuration, clock and database errors are left to the boundary below, which
prints one line and exits with the code of :data:`EXIT_CODES` (also in ``tracer --help`` and
docs/cli.md). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging

import click
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bot.cli.cluster_commands import cluster
from bot.cli.cohort_commands import cohorts
from bot.cli.common import CliContext
from bot.cli.db_commands import db
from bot.cli.export_commands import export
from bot.cli.feedback_commands import feedback
from bot.cli.followup_commands import followups
from bot.cli.invite_commands import invite
from bot.cli.occupation_commands import occupations
from bot.cli.ops_commands import backup, purge, reconcile, restore, rotate_keys
from bot.cli.programme_commands import programmes
from bot.cli.questionnaire_commands import questionnaire
from bot.cli.report_commands import demo_data, report
from bot.cli.status_commands import status
from bot.cli.user_commands import users
from bot.config import ConfigError
from bot.logging_filters import install_log_redaction
from bot.outreach.clock import ClockError

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_DATABASE = 4
EXIT_CODES = (
    (0, "success"),
    (EXIT_FAILED, "the command could not do what was asked (the message says why), or 'Aborted!'"),
    (EXIT_USAGE, "usage error: unknown command, missing or invalid option or argument"),
    (EXIT_CONFIG, "configuration error: a TRACER_* setting is missing or invalid"),
    (EXIT_DATABASE, "database error: unreachable, not created or not migrated"),
)


class CliError(click.ClickException):
    """A failure explained in one line (``Error: ...`` on stderr); exit code 1."""

    exit_code = EXIT_FAILED


class CliConfigError(CliError):
    """A configuration error; exit code 3."""

    exit_code = EXIT_CONFIG


class CliDatabaseError(CliError):
    """The database is unreachable, missing, not migrated or failed; exit code 4."""

    exit_code = EXIT_DATABASE


def as_cli_error(error: Exception) -> CliError | None:
    """The message and exit code of an expected failure; None for a bug."""
    if isinstance(error, ConfigError):
        return CliConfigError(f"configuration: {error}")
    if isinstance(error, ClockError):
        return CliError(str(error))
    if isinstance(error, OperationalError):
        reason = str(error.orig) if error.orig is not None else type(error).__name__
        return CliDatabaseError(
            f"database problem ({reason}); is it created and migrated? run 'tracer db upgrade'"
        )
    if isinstance(error, SQLAlchemyError):
        # The class name only: the text of a database error can quote the row's values.
        return CliDatabaseError(
            f"database error: {type(error).__name__} (is the database reachable and migrated? "
            "run 'tracer db upgrade')"
        )
    return None


class TracerGroup(click.Group):
    """The ``tracer`` group; its :meth:`invoke` is the CLI's one error boundary."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; expected failures become a :class:`CliError`, never a traceback."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            failure = as_cli_error(error)
            if failure is None:
                raise
            raise failure from None


def _exit_code_epilog() -> str:
    lines = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES)
    return f"\b\nExit codes:\n{lines}"


@click.group(
    cls=TracerGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=_exit_code_epilog(),
)
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


for command in (
    db,
    programmes,
    cohorts,
    invite,
    followups,
    feedback,
    status,
    report,
    demo_data,
    export,
    backup,
    restore,
    reconcile,
    purge,
    rotate_keys,
    cluster,
    occupations,
    questionnaire,
    users,
):
    cli.add_command(command)


def main() -> None:
    """Run the CLI (exit codes: :data:`EXIT_CODES`)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_log_redaction(logging.getLogger())
    cli(prog_name="tracer")
