"""The translation sheet of one language: key, where, English source, target (issue 17)."""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from bot.i18n import catalog
from bot.questionnaire.model import LANGUAGES, Questionnaire, QuestionnaireError
from bot.questionnaire.translations import overlay, placeholder_fault, strings, translations_dir
from bot.questionnaire.xlsform.stable_zip import stable_xlsx
from bot.questionnaire.xlsform.types import LANGUAGE_NAMES, column_language

SHEET = "translations"


def _name(language: str) -> str:
    return LANGUAGE_NAMES.get(language, f"{language} ({language})")


def translation_bytes(language: str, questionnaire: Questionnaire) -> bytes:
    """Every string with its English source and the ``language`` text so far (empty if none)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(["key", "where", f"source::{_name('en')}", f"target::{_name(language)}"])
    stored = overlay(language)
    for key, where, texts in strings(questionnaire, catalog()):
        target = texts.get(language) or stored.get(key) or None
        sheet.append([key, where, texts.get("en", ""), target])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in (("A", 34), ("B", 28), ("C", 60), ("D", 60)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return stable_xlsx(out.getvalue())


def is_translation_sheet(data: bytes) -> bool:
    """True when the workbook is a translation sheet rather than an XLSForm."""
    try:
        return SHEET in load_workbook(io.BytesIO(data), read_only=True).sheetnames
    except Exception:  # noqa: BLE001 - not a workbook: the XLSForm reader reports it
        return False


def read_translations(data: bytes, questionnaire: Questionnaire) -> tuple[str, dict[str, str]]:
    """(language, key → text) of a filled sheet; faults name the row."""
    rows = list(load_workbook(io.BytesIO(data))[SHEET].iter_rows(values_only=True))
    header = [str(h or "") for h in rows[0]]
    language = column_language(header[3], "target") if len(header) > 3 else None
    if not language:
        raise QuestionnaireError(f"sheet '{SHEET}' row 1: column D must be 'target::Name (xx)'")
    known = {key: texts.get("en", "") for key, _, texts in strings(questionnaire, catalog())}
    found: dict[str, str] = {}
    faults = []
    for number, row in enumerate(rows[1:], start=2):
        key, target = (row[0], row[3]) if len(row) > 3 else (row[0], None)
        if not key or target is None or not str(target).strip():
            continue
        where = f"sheet '{SHEET}' row {number}"
        if str(key) not in known:
            faults.append(f"{where}: unknown key '{key}'")
            continue
        fault = placeholder_fault(known[str(key)], str(target))
        if fault:
            faults.append(f"{where} ({key}): {fault}")
        found[str(key)] = str(target).strip()
    if faults:
        raise QuestionnaireError("\n".join(faults))
    return language, found


def store_translations(language: str, found: dict[str, str], directory: Path | None = None) -> Path:
    """Merge ``found`` into the overlay file of ``language``; the path written."""
    if language in LANGUAGES:
        raise QuestionnaireError(
            f"{language} is a built-in language: edit its wording in the XLSForm "
            "(tracer questionnaire export/import) or bot/i18n/messages.yml"
        )
    folder = directory or translations_dir()
    folder.mkdir(parents=True, exist_ok=True)
    merged = {**overlay(language, folder), **found}
    path = folder / f"{language}.yml"
    text = yaml.safe_dump(dict(sorted(merged.items())), allow_unicode=True, width=1000)
    path.write_text(f"# {_name(language)}: written by tracer questionnaire import\n{text}", "utf-8")
    return path
