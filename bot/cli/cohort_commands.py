"""``tracer cohorts``: load who was trained from a CSV or Excel file."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import CliContext, pass_cli
from bot.outreach.importer import CohortImportError, import_cohorts


@click.group()
def cohorts() -> None:
    """Cohorts and their trainees."""


@cohorts.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--programme", required=True, help="Programme code the cohorts belong to.")
@click.option(
    "--region-code",
    default=None,
    help="Country for phone numbers without +country code (ISO 3166, e.g. SN, KE, PE).",
)
@click.option("--dry-run", is_flag=True, help="Check the file; write nothing.")
@pass_cli
def import_command(
    ctx: CliContext, file: Path, programme: str, region_code: str | None, dry_run: bool
) -> None:
    """Import trainees from FILE (.csv or .xlsx) into cohorts of a programme.

    \b
    Columns (first row): cohort_code (required), cohort_name, start_date, end_date
    (YYYY-MM-DD), region, timezone (IANA), country (ISO 3166, e.g. KE: the currency of
    amounts typed without one), trainee_ref, name, phone, email,
    sex (female/male/other), birth_year, language (en/fr/es).
    All rows are imported in one transaction, or none when any row is rejected.
    """
    try:
        report = import_cohorts(
            ctx.settings,
            file,
            programme,
            region_code=region_code,
            dry_run=dry_run,
            progress=True,
        )
    except CohortImportError as error:
        raise click.ClickException(str(error)) from None
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    click.echo(
        f"Checked {report.rows} rows: {report.valid} valid, {len(report.rejected)} rejected."
    )
    for line, reason in report.rejected:
        click.echo(f"  line {line}: {reason}")
    if report.rejected:
        click.echo("Nothing was imported: fix the rejected rows and run again.", err=True)
        raise click.exceptions.Exit(1)
    if dry_run:
        click.echo("Dry run: nothing was written.")
    elif report.written:
        new = f" (new cohorts: {', '.join(report.new_cohorts)})" if report.new_cohorts else ""
        click.echo(f"Imported {report.valid} trainees into programme {programme}{new}.")
    else:
        click.echo("The file has no trainee rows; nothing was imported.")
