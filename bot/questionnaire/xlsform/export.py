"""Write a questionnaire (core or module) as an XLSForm workbook with stable bytes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.questionnaire.model import LANGUAGES, Question, Questionnaire
from bot.questionnaire.xlsform.relevant import format_relevant
from bot.questionnaire.xlsform.stable_zip import stable_xlsx
from bot.questionnaire.xlsform.types import (
    FLAGS,
    TRACER_COLUMNS,
    TRACER_TYPE,
    XLSFORM_TYPES,
    YES_NO_LIST,
    language_column,
)

YES_NO_LABELS: dict[str, dict[str, str]] = {
    "yes": {"en": "Yes", "fr": "Oui", "es": "Sí", "pt": "Sim"},
    "no": {"en": "No", "fr": "Non", "es": "No", "pt": "Não"},
}
FORM_TITLE = {"en": "Tracer questionnaire"}


def languages_of(questionnaire: Questionnaire) -> tuple[str, ...]:
    """en, fr, es first, then every other language some question is worded in."""
    seen = {lang for q in questionnaire.questions for lang in q.text}
    return (*LANGUAGES, *sorted(seen - set(LANGUAGES)))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and isinstance(value, int) else str(value)


def constraint_of(question: Question) -> str:
    """``. >= 1940 and . <= 2015`` for a bounded question; '' otherwise."""
    parts = []
    if question.min is not None:
        parts.append(f". >= {_number(question.min)}")
    if question.max is not None:
        parts.append(f". <= {_number(question.max)}")
    return " and ".join(parts)


def survey_header(languages: Iterable[str]) -> list[str]:
    """The survey sheet's columns, in order."""
    langs = list(languages)
    return [
        "type",
        "name",
        *(language_column("label", lang) for lang in langs),
        *(language_column("hint", lang) for lang in langs),
        "required",
        "relevant",
        "constraint",
        "appearance",
        *TRACER_COLUMNS,
        *(language_column("tracer::short_label", lang) for lang in langs),
    ]


def _question_row(question: Question, languages: tuple[str, ...]) -> list[Any]:
    xls_type, appearance = XLSFORM_TYPES[question.type]
    if xls_type == "select_one":
        listname = YES_NO_LIST if question.type == "yes_no" else question.code
        xls_type = f"select_one {listname}"
    flags = ",".join(f for f in FLAGS if getattr(question, f))
    extra = json.dumps(dict(question.extra), ensure_ascii=False, sort_keys=True)
    return [
        xls_type,
        question.code,
        *(question.text.get(lang, "") for lang in languages),
        *(question.help.get(lang, "") for lang in languages),
        "yes" if question.required else "no",
        format_relevant(question.ask_if),
        constraint_of(question),
        appearance,
        question.type,
        question.unit or "",
        flags,
        extra if question.extra else "",
        *(question.label.get(lang, "") for lang in languages),
    ]


def survey_rows(questionnaire: Questionnaire, languages: tuple[str, ...]) -> list[list[Any]]:
    """Header plus one row per question, each wave inside a group named after the wave."""
    width = len(survey_header(languages))
    rows: list[list[Any]] = [survey_header(languages)]
    current: str | None = None
    for question in questionnaire.questions:
        if question.wave != current:
            if current is not None:
                rows.append(["end_group", current] + [""] * (width - 2))
            current = question.wave
            labels = questionnaire.wave(current).label
            group = ["begin_group", current, *(labels.get(lang, "") for lang in languages)]
            rows.append(group + [""] * (width - len(group)))
        rows.append(_question_row(question, languages))
    if current is not None:
        rows.append(["end_group", current] + [""] * (width - 2))
    return rows


def choice_rows(questionnaire: Questionnaire, languages: tuple[str, ...]) -> list[list[Any]]:
    """Header plus one row per choice (the shared yes/no list last)."""
    rows: list[list[Any]] = [
        ["list_name", "name", *(language_column("label", lang) for lang in languages)]
    ]
    for question in questionnaire.questions:
        for choice in question.choices:
            texts = (choice.label.get(lang, "") for lang in languages)
            rows.append([question.code, choice.code, *texts])
    if any(q.type == "yes_no" for q in questionnaire.questions):
        for code, labels in YES_NO_LABELS.items():
            rows.append([YES_NO_LIST, code, *(labels.get(lang, "") for lang in languages)])
    return rows


def example_rows(questionnaire: Questionnaire, languages: tuple[str, ...]) -> list[list[Any]]:
    """The ``tracer_examples`` sheet: typed phrasings per choice, joined with ' | '.

    A sheet of its own (pyxform and Kobo ignore it) so that the choices sheet stays plain XLSForm.
    """
    rows: list[list[Any]] = [
        ["list_name", "name", *(language_column("examples", lang) for lang in languages)]
    ]
    for question in questionnaire.questions:
        for choice in question.choices:
            if choice.examples:
                texts = (" | ".join(choice.examples.get(lang, ())) for lang in languages)
                rows.append([question.code, choice.code, *texts])
    return rows


def settings_rows(questionnaire: Questionnaire, programme: str | None) -> list[list[Any]]:
    """The settings sheet: form id and title, version, default language, Tracer programme."""
    form_id = f"tracer_{programme}" if programme else "tracer"
    title = f"Tracer module {programme}" if programme else FORM_TITLE["en"]
    return [
        ["form_title", "form_id", "version", "default_language", "tracer::programme"],
        [title, form_id, questionnaire.version, language_column("x", "en")[3:], programme or ""],
    ]


def _sheet(workbook: Workbook, title: str, rows: list[list[Any]], *, first: bool) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    for row in rows:
        sheet.append([value if value != "" else None for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2" if title == "survey" else "A2"


def export_bytes(questionnaire: Questionnaire, programme: str | None = None) -> bytes:
    """The questionnaire as XLSForm bytes; the same questionnaire always gives the same bytes."""
    languages = languages_of(questionnaire)
    workbook = Workbook()
    _sheet(workbook, "survey", survey_rows(questionnaire, languages), first=True)
    _sheet(workbook, "choices", choice_rows(questionnaire, languages), first=False)
    _sheet(workbook, "settings", settings_rows(questionnaire, programme), first=False)
    _sheet(workbook, "tracer_examples", example_rows(questionnaire, languages), first=False)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return stable_xlsx(buffer.getvalue())


def export_file(questionnaire: Questionnaire, path: Path, programme: str | None = None) -> None:
    """Write :func:`export_bytes` to ``path``."""
    path.write_bytes(export_bytes(questionnaire, programme))


__all__ = ["TRACER_TYPE", "export_bytes", "export_file", "languages_of", "survey_header"]
