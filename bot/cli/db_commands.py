"""``tracer db``: create and migrate the database."""

from __future__ import annotations

import click

from bot.cli.common import CliContext, pass_cli
from bot.storage.migrate import upgrade_database


@click.group()
def db() -> None:
    """Database schema management (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@pass_cli
def upgrade(ctx: CliContext, revision: str) -> None:
    """Create the database or bring it to the latest schema."""
    upgrade_database(ctx.settings.database_url, revision)  # errors: bot/cli/main.py
    click.echo(f"Database is at revision {revision}.")
