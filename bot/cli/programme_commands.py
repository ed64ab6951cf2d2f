"""``tracer programmes``: add and list training programmes (and their cohorts)."""

from __future__ import annotations

from datetime import date

import click
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.cli.common import CliContext, pass_cli
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Programme


@click.group()
def programmes() -> None:
    """Training programmes."""


@programmes.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--cohort", "cohort_code", help="Also create a cohort with this code.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="Cohort start date.")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), help="Cohort end (completion) date.")
@click.option("--region", help="Cohort region.")
@pass_cli
def add(
    ctx: CliContext, code: str, name: str, cohort_code: str | None, start, end, region: str | None
) -> None:
    """Add programme CODE called NAME (optionally with a first cohort)."""
    try:
        with session_scope(ctx.settings.database_url) as session:
            programme = Programme(code=code, name=name)
            session.add(programme)
            session.flush()
            if cohort_code:
                session.add(
                    Cohort(
                        programme_id=programme.id,
                        code=cohort_code,
                        name=f"{name} {cohort_code}",
                        start_date=start.date() if start else None,
                        end_date=end.date() if end else None,
                        region=region,
                    )
                )
    except IntegrityError:
        raise click.ClickException(f"a programme with code '{code}' already exists") from None
    click.echo(f"Added programme {code}.")


@programmes.command("list")
@pass_cli
def list_programmes(ctx: CliContext) -> None:
    """List programmes with their cohorts."""
    with session_scope(ctx.settings.database_url) as session:
        rows = session.execute(select(Programme).order_by(Programme.code)).scalars().all()
        if not rows:
            click.echo("No programmes yet: add one with 'tracer programmes add CODE NAME'.")
        for programme in rows:
            click.echo(f"{programme.code}\t{programme.name}")
            for cohort in programme.cohorts:
                end = cohort.end_date.isoformat() if isinstance(cohort.end_date, date) else "-"
                click.echo(f"  {cohort.code}\t{cohort.name}\tends {end}")
