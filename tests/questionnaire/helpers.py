"""Questionnaire test helpers: a programme module as an M&E officer writes it (3 questions,
skip logic, en/fr/es), and edits of an exported XLSForm the way an officer makes them in a
spreadsheet."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

LANGS = ("English (en)", "Français (fr)", "Español (es)")
SURVEY = [
    [
        "type",
        "name",
        *(f"label::{x}" for x in LANGS),
        *(f"hint::{x}" for x in LANGS),
        "required",
        "relevant",
        "constraint",
    ],
    ["begin_group", "baseline", "Before training", "Avant la formation", "Antes de la formación"],
    [
        "select_one demo_irrigation",
        "demo_irrigation",
        "How do you water your fields?",
        "Comment arrosez-vous vos champs ?",
        "¿Cómo riega sus campos?",
        "Choose the main way.",
        "Choisissez la façon principale.",
        "Elija la forma principal.",
        "yes",
        None,
        None,
    ],
    [
        "integer",
        "demo_plots",
        "How many plots do you water this way?",
        "Combien de parcelles arrosez-vous ainsi ?",
        "¿Cuántas parcelas riega así?",
        "A number, for example 3.",
        "Un nombre, par exemple 3.",
        "Un número, por ejemplo 3.",
        "yes",
        "${demo_irrigation} = 'drip' or ${demo_irrigation} = 'sprinkler'",
        ". >= 1 and . <= 50",
    ],
    [
        "select_one yes_no",
        "demo_coop",
        "Are you a member of a cooperative?",
        "Êtes-vous membre d'une coopérative ?",
        "¿Es usted miembro de una cooperativa?",
        "A farmers' group counts.",
        "Un groupement paysan compte.",
        "Un grupo de agricultores cuenta.",
        "yes",
        None,
        None,
    ],
    ["end_group", "baseline"],
]
CHOICES = [
    ["list_name", "name", *(f"label::{x}" for x in LANGS)],
    ["demo_irrigation", "drip", "Drip irrigation", "Goutte-à-goutte", "Riego por goteo"],
    ["demo_irrigation", "sprinkler", "Sprinklers", "Asperseurs", "Aspersores"],
    ["demo_irrigation", "rain", "Rain only", "Pluie seulement", "Solo lluvia"],
    ["yes_no", "yes", "Yes", "Oui", "Sí"],
    ["yes_no", "no", "No", "Non", "No"],
]
SETTINGS = [
    ["form_title", "form_id", "version", "tracer::programme"],
    ["Demo farming module", "tracer_demo", "1", "demo"],
]


def module_workbook(survey: list[list] = SURVEY) -> bytes:
    """The module as .xlsx bytes."""
    book = Workbook()
    for index, (title, rows) in enumerate(
        (("survey", survey), ("choices", CHOICES), ("settings", SETTINGS))
    ):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def find_row(data: bytes, sheet: str, column: str, value: str) -> int:
    """The 1-based row whose ``column`` holds ``value`` in ``sheet``."""
    ws = load_workbook(io.BytesIO(data))[sheet]
    header = [c.value for c in ws[1]]
    index = header.index(column)
    for number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if row[index] == value:
            return number
    raise LookupError(f"{value} not in {sheet}.{column}")


def edit(
    data: bytes,
    sheet: str,
    row: int,
    changes: dict[str, Any] | None = None,
    *,
    delete: bool = False,
) -> bytes:
    """Set cells of one row (by column header), or delete the row; the new workbook bytes."""
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    if delete:
        ws.delete_rows(row)
    else:
        header = [c.value for c in ws[1]]
        for column, value in (changes or {}).items():
            ws.cell(row=row, column=header.index(column) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exported_variables(database_url: str, programme: str, out: Path) -> set[str]:
    """The variable names of the codebook of ``tracer export`` (CSV, k=1: a handful of test
    trainees), written to ``out``."""
    from bot.cli.main import cli

    args = ["--database-url", database_url, "export", "--programme", programme]
    args += ["--format", "csv", "--k", "1", "--max-suppression", "1", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    book = json.loads(next(out.rglob("codebook.json")).read_text(encoding="utf-8"))
    return {variable["name"] for variable in book["variables"]}


def reread_languages() -> None:
    """Forget the cached questionnaire and languages: the next call reads the translation,
    module and NLU folders of the environment again, as a new process would."""
    from bot.i18n.languages import forget_languages
    from bot.questionnaire.loader import core_questionnaire, default_questionnaire

    forget_languages()
    core_questionnaire.cache_clear()
    default_questionnaire.cache_clear()
