"""Read an XLSForm workbook back into the questionnaire model; faults name the sheet row."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from bot.questionnaire.loader import parse_questionnaire
from bot.questionnaire.model import Questionnaire, QuestionnaireError
from bot.questionnaire.waves import WAVE_KINDS
from bot.questionnaire.xlsform.relevant import RelevantError, parse_relevant, to_raw
from bot.questionnaire.xlsform.types import (
    FLAGS,
    TRACER_DEFAULTS,
    TRACER_TYPE,
    YES_NO_LIST,
    column_language,
)

_BOUND = re.compile(r"^\s*\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$")
_QUESTION_INDEX = re.compile(r"question #(\d+) \(")


@dataclass(frozen=True)
class SheetRow:
    """Where an item was read: sheet name and 1-based row number as the spreadsheet shows it."""

    sheet: str
    row: int

    def __str__(self) -> str:
        return f"sheet '{self.sheet}' row {self.row}"


@dataclass
class ReadForm:
    """A read workbook: the questionnaire, its programme (modules) and where each code is."""

    questionnaire: Questionnaire
    programme: str | None
    question_rows: dict[str, SheetRow] = field(default_factory=dict)
    choice_rows: dict[tuple[str, str], SheetRow] = field(default_factory=dict)


def _rows(workbook: Any, name: str, *, required: bool = True) -> list[tuple[int, dict[str, Any]]]:
    if name not in workbook.sheetnames:
        if required:
            raise QuestionnaireError(f"the workbook has no '{name}' sheet")
        return []
    rows = list(workbook[name].iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    out = []
    for number, values in enumerate(rows[1:], start=2):
        row = {
            h: v
            for h, v in zip(header, values, strict=False)
            if h and v is not None and str(v).strip()
        }
        if row:
            out.append(
                (number, {k: str(v).strip() if isinstance(v, str) else v for k, v in row.items()})
            )
    return out


def _by_language(row: dict[str, Any], prefix: str) -> dict[str, str]:
    texts = {}
    for header, value in row.items():
        language = column_language(header, prefix)
        if language and "::" not in header[len(prefix) + 2 :]:
            texts[language] = str(value)
    return texts


def _bounds(constraint: Any, where: SheetRow) -> dict[str, float]:
    if not constraint:
        return {}
    bounds: dict[str, float] = {}
    for part in str(constraint).split(" and "):
        match = _BOUND.match(part)
        if not match:
            raise QuestionnaireError(
                f"{where}: constraint must look like '. >= 1 and . <= 7', not '{constraint}'"
            )
        number = match.group(2)
        value = float(number) if "." in number else int(number)
        bounds["min" if match.group(1) == ">=" else "max"] = value
    return bounds


def _choices(workbook: Any, form: ReadForm) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    examples = {
        (row.get("list_name"), row.get("name")): row
        for _, row in _rows(workbook, "tracer_examples", required=False)
    }
    for number, row in _rows(workbook, "choices"):
        listname, code = str(row.get("list_name", "")), str(row.get("name", ""))
        choice: dict[str, Any] = {"code": code, "label": _by_language(row, "label")}
        typed = examples.get((listname, code), {})
        phrasings = {
            lang: [t.strip() for t in text.split("|") if t.strip()]
            for lang, text in _by_language(typed, "examples").items()
        }
        if phrasings:
            choice["examples"] = phrasings
        lists.setdefault(listname, []).append(choice)
        form.choice_rows[(listname, code)] = SheetRow("choices", number)
    return lists


def _question(row: dict[str, Any], wave: str, lists: dict, where: SheetRow) -> dict[str, Any]:
    xls_type, _, listname = str(row.get("type", "")).partition(" ")
    qtype = row.get(TRACER_TYPE) or (
        "yes_no" if listname == YES_NO_LIST else TRACER_DEFAULTS.get(xls_type)
    )
    if qtype is None:
        raise QuestionnaireError(f"{where}: Tracer cannot ask questions of type '{xls_type}'")
    raw: dict[str, Any] = {
        "code": row.get("name"),
        "wave": wave,
        "type": qtype,
        "text": _by_language(row, "label"),
        "help": _by_language(row, "hint"),
        "label": _by_language(row, "tracer::short_label") or _by_language(row, "label"),
        "required": str(row.get("required", "no")).lower() in ("yes", "true", "1"),
        **_bounds(row.get("constraint"), where),
    }
    if qtype == "choice":
        if listname not in lists:
            raise QuestionnaireError(f"{where}: no choices listed under '{listname}'")
        raw["choices"] = lists[listname]
    try:
        condition = parse_relevant(row.get("relevant"))
    except RelevantError as error:
        raise QuestionnaireError(f"{where}: relevant: {error}") from error
    if condition is not None:
        raw["ask_if"] = to_raw(condition)
    if row.get("tracer::unit"):
        raw["unit"] = str(row["tracer::unit"])
    flags = {f.strip() for f in str(row.get("tracer::flags", "")).split(",") if f.strip()}
    unknown = flags - set(FLAGS)
    if unknown:
        raise QuestionnaireError(f"{where}: unknown tracer::flags {', '.join(sorted(unknown))}")
    raw.update({flag: True for flag in flags})
    if row.get("tracer::extra"):
        try:
            raw.update(json.loads(str(row["tracer::extra"])))
        except ValueError as error:
            raise QuestionnaireError(f"{where}: tracer::extra is not valid JSON") from error
    return raw


def _survey(workbook: Any, lists: dict, form: ReadForm) -> tuple[list[dict], dict[str, dict]]:
    questions: list[dict[str, Any]] = []
    waves: dict[str, dict[str, Any]] = {}
    wave: str | None = None
    for number, row in _rows(workbook, "survey"):
        where = SheetRow("survey", number)
        kind = str(row.get("type", ""))
        if kind == "begin_group":
            wave = str(row.get("name"))
            if wave not in WAVE_KINDS:
                raise QuestionnaireError(f"{where}: groups are waves: {', '.join(WAVE_KINDS)}")
            waves[wave] = {"label": _by_language(row, "label")}
        elif kind == "end_group":
            wave = None
        elif wave is None:
            raise QuestionnaireError(f"{where}: question outside a wave group (begin_group)")
        else:
            questions.append(_question(row, wave, lists, where))
            form.question_rows[str(row.get("name"))] = where
    return questions, waves


def read_workbook(data: bytes | Path | str, outside: frozenset[str] | None = None) -> ReadForm:
    """Read an XLSForm (bytes or path) into a checked questionnaire, or raise a named fault.

    A module's skip logic may read ``outside`` codes (default: the core questionnaire's).
    """
    source = io.BytesIO(data) if isinstance(data, bytes) else Path(data)
    try:
        workbook = load_workbook(source, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise QuestionnaireError(
            "cannot read the workbook: it is not an .xlsx file (save it as Excel .xlsx)"
        ) from error
    settings = dict(_rows(workbook, "settings")[0][1]) if _rows(workbook, "settings") else {}
    programme = str(settings.get("tracer::programme") or "") or None
    form = ReadForm(questionnaire=None, programme=programme)  # type: ignore[arg-type]
    lists = _choices(workbook, form)
    questions, waves = _survey(workbook, lists, form)
    for kind in WAVE_KINDS:  # a module may fill only some waves; labels come from the core
        waves.setdefault(kind, {"label": {"en": kind, "fr": kind, "es": kind}})
    raw = {"version": str(settings.get("version", "1")), "waves": waves, "questions": questions}
    try:
        if outside is None and programme:
            from bot.questionnaire.loader import core_questionnaire

            outside = frozenset(q.code for q in core_questionnaire().questions)
        form.questionnaire = parse_questionnaire(raw, outside or frozenset())
    except QuestionnaireError as error:
        raise QuestionnaireError(_name_row(str(error), questions, form)) from error
    return form


def _name_row(message: str, questions: list[dict], form: ReadForm) -> str:
    """Replace the loader's 'question #n (code)' with the survey row of that question."""
    match = _QUESTION_INDEX.search(message)
    if not match:
        return message
    index = int(match.group(1)) - 1
    code = str(questions[index].get("code")) if index < len(questions) else ""
    row = form.question_rows.get(code)
    return message.replace(match.group(0), f"{row} (" if row else match.group(0))
