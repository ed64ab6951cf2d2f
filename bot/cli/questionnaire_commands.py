"""``tracer questionnaire``: export the questionnaire as XLSForm, import an edited one."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.cli.common import CliContext, pass_cli
from bot.i18n import catalog
from bot.i18n.languages import enabled_languages, nlu_dir, primary_subtag
from bot.questionnaire.loader import core_questionnaire, default_questionnaire
from bot.questionnaire.model import LANGUAGES, QuestionnaireError
from bot.questionnaire.modules import installed_modules
from bot.questionnaire.translations import missing_strings, nlu_missing, overlay_languages
from bot.questionnaire.xlsform.export import export_bytes
from bot.questionnaire.xlsform.translation_sheet import (
    is_translation_sheet,
    read_translations,
    store_translations,
    translation_bytes,
)


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
        if is_translation_sheet(data):
            _import_translations(data, check_only)
            return
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


def _import_translations(data: bytes, check_only: bool) -> None:
    language, found = read_translations(data, default_questionnaire())
    if check_only:
        click.echo(f"ok: {len(found)} {language} strings, nothing stored")
        return
    path = store_translations(language, found)
    click.echo(f"stored {len(found)} {language} strings in {path}")


@questionnaire.command("translations")
@click.option("--lang", "language", required=True, help="Language code, e.g. pt.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def translations(language: str, out: Path) -> None:
    """Write every string (questions, choices, hints, bot messages) with its English source and
    the LANG text so far: fill column D and bring it back with `tracer questionnaire import`."""
    language = language.strip().lower()
    if not language.isalpha() or not 2 <= len(language) <= 3:
        _fail(f"'{language}' is not a language code (two or three letters, e.g. pt)")
    try:
        out.write_bytes(translation_bytes(language, default_questionnaire()))
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror or error}")
    click.echo(f"wrote {out}")


@questionnaire.command("check")
@click.option("--lang", "languages", multiple=True, help="Check only this language (repeatable).")
def check(languages: tuple[str, ...]) -> None:
    """Per language: strings and NLU examples still missing; a language is on when complete."""
    form = default_questionnaire()
    messages = catalog()
    for language in languages or (*LANGUAGES, *overlay_languages()):
        missing = missing_strings(language, form, messages)
        intents = nlu_missing(language)
        click.echo(f"{language}: {'on' if language in enabled_languages() else 'off'}")
        if not primary_subtag(language):
            click.echo("  not a language code: two or three letters (ISO 639-1 or 639-3)")
        if missing:
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            click.echo(f"  {len(missing)} strings missing ({shown})")
        if intents:
            folder = nlu_dir() / language
            if folder.is_relative_to(Path.cwd()):
                folder = folder.relative_to(Path.cwd())
            click.echo(f"  NLU examples missing in {folder}/ for: {', '.join(intents)}")
