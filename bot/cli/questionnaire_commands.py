"""``tracer questionnaire``: export the questionnaire as XLSForm, import an edited one."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.cli.common import CliContext, pass_cli
from bot.questionnaire.loader import core_questionnaire
from bot.questionnaire.model import QuestionnaireError
from bot.questionnaire.modules import installed_modules
from bot.questionnaire.xlsform.export import export_bytes


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.group()
def questionnaire() -> None:
    """The questionnaire as an XLSForm spreadsheet (ODK, Kobo, SurveyCTO, Ona)."""


@questionnaire.command("export")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--programme", help="Export this programme's installed module instead of the core.")
def export(out: Path, programme: str | None) -> None:
    """Write the core questionnaire (or a programme module) as an XLSForm workbook."""
    try:
        form = core_questionnaire()
        if programme:
            found = dict(installed_modules())
            if programme not in found:
                raise QuestionnaireError(f"no module is installed for programme '{programme}'")
            form = found[programme]
        out.write_bytes(export_bytes(form, programme))
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror or error}")
    except QuestionnaireError as error:
        _fail(str(error))
    click.echo(f"wrote {out} ({len(form.questions)} questions)")


@questionnaire.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--check-only", is_flag=True, help="Check the workbook, store nothing.")
@pass_cli
def import_(ctx: CliContext, workbook: Path, check_only: bool) -> None:
    """Check an XLSForm (core or programme module) and store it as a new version.

    Refused, naming the sheet row, when it would break stored data: a code reused with another
    type, choice codes removed, a removed code still used by skip logic or an indicator.
    """
    from bot.questionnaire.versions import check_import, store_import

    try:
        data = workbook.read_bytes()
        if check_only:
            form, faults = check_import(ctx.settings.database_url, data)
            if faults:
                raise QuestionnaireError("\n".join(faults))
            click.echo(f"ok: {len(form.questionnaire.questions)} questions, nothing stored")
            return
        result = store_import(ctx.settings.database_url, data)
    except OSError as error:
        _fail(f"cannot read {workbook}: {error.strerror or error}")
    except QuestionnaireError as error:
        _fail(f"{workbook} was not imported:\n{error}")
    if not result.stored:
        click.echo(f"{result.scope} version {result.version} is already stored (unchanged)")
        return
    click.echo(f"stored {result.scope} version {result.version} ({result.questions} questions)")
