"""``tracer programmes``: add and list training programmes (and their cohorts)."""

from __future__ import annotations

import click

from bot.answers.currency import country_currency
from bot.cli.common import CliContext, pass_cli
from bot.outreach import programmes as registry
from bot.outreach.programmes import ProgrammeError


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
@click.option(
    "--country",
    callback=lambda ctx, param, value: _country(value),
    help="Country (ISO 3166, e.g. KE, SN, CO): the currency of amounts typed without one.",
)
@pass_cli
def add(
    ctx: CliContext,
    code: str,
    name: str,
    cohort_code: str | None,
    start,
    end,
    region: str | None,
    country: str | None,
) -> None:
    """Add programme CODE called NAME (optionally with a first cohort)."""
    try:
        registry.add_programme(
            ctx.settings.database_url,
            code,
            name,
            country,
            cohort_code=cohort_code,
            start=start.date() if start else None,
            end=end.date() if end else None,
            region=region,
        )
    except ProgrammeError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Added programme {code}.")


def _country(value: str | None) -> str | None:
    """An upper-case ISO 3166 code that has a currency, or a usage error naming the value."""
    if value is None:
        return None
    code = value.strip().upper()
    if country_currency(code) is None:
        raise click.BadParameter(f"'{value}' is not an ISO 3166 country code (e.g. KE, SN, CO)")
    return code


@programmes.command("set-country")
@click.argument("code")
@click.argument("country")
@click.option("--cohort", "cohort_code", help="Set it for this cohort only.")
@pass_cli
def set_country(ctx: CliContext, code: str, country: str, cohort_code: str | None) -> None:
    """Set the COUNTRY of programme CODE (or of one of its cohorts).

    Amounts typed without a currency, or with "pesos", "shillings", "francs" or "$", take the
    currency of the cohort's country, else of the programme's.
    """
    country = _country(country) or ""
    try:
        target = registry.set_country(ctx.settings.database_url, code, country, cohort_code)
    except ProgrammeError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Country of {target}: {country} (currency {country_currency(country)}).")


@programmes.command("list")
@pass_cli
def list_programmes(ctx: CliContext) -> None:
    """List programmes with their cohorts."""
    rows = registry.list_programmes(ctx.settings.database_url)
    if not rows:
        click.echo("No programmes yet: add one with 'tracer programmes add CODE NAME'.")
    for programme in rows:
        country = f"\tcountry {programme.country}" if programme.country else ""
        click.echo(f"{programme.code}\t{programme.name}{country}")
        for cohort in programme.cohorts:
            end = cohort.end_date.isoformat() if cohort.end_date else "-"
            own = f"\tcountry {cohort.country}" if cohort.country else ""
            click.echo(f"  {cohort.code}\t{cohort.name}\tends {end}{own}")
