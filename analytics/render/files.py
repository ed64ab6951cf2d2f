"""Excel workbook (one sheet per table) and CSV folder (one file per table) renderers.

Sheet names, file names and column headers are stable codes in every language; a ``label``
column carries each row's indicator (or wave) in the report's language, and the ``about``
sheet gives each item's label, its value and the method note in that language.
Text cells (programme and cohort names come from officers' files) are neutralised so that none
runs as a spreadsheet formula (bot/security/spreadsheet.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.method import method_note, method_text
from analytics.render.meta import localised_meta, meta_label
from analytics.render.translate import term, wave_label
from analytics.report import Report
from bot.security.spreadsheet import neutralise_frame


def _about(report: Report) -> pd.DataFrame:
    language = report.language
    if language == "en":  # item and label are the same words: the English layout stays
        rows: list[tuple[str, ...]] = [
            (key.replace("_", " "), str(value)) for key, value in report.meta.items()
        ]
        rows += [("", "")] + list(method_note("en"))
        return neutralise_frame(pd.DataFrame(rows, columns=["item", "value"]))
    rows = [
        (key, meta_label(key, language), str(value))
        for key, value in localised_meta(report).items()
    ]
    rows += [("", "", "")] + [("method", name, text) for name, text in method_note(language)]
    return neutralise_frame(pd.DataFrame(rows, columns=["item", "label", "value"]))


def labelled(table: pd.DataFrame, language: str) -> pd.DataFrame:
    """``table`` with a ``label`` column: its indicator (else its wave) in ``language``;
    unchanged in English, where the indicator is its own label."""
    if language == "en":
        return table
    source = "indicator" if "indicator" in table.columns else "wave"
    translate = term if source == "indicator" else wave_label
    labels = [translate(str(value), language) for value in table[source]]
    result = table.copy()
    result.insert(list(table.columns).index(source) + 1, "label", labels)
    return result


def write_xlsx(report: Report, out: Path) -> None:
    """One sheet per table plus an ``about`` sheet with metadata and the method note."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        _about(report).to_excel(writer, sheet_name="about", index=False)
        for name, table in report.tables.items():
            frame = neutralise_frame(labelled(table, report.language))
            frame.to_excel(writer, sheet_name=name[:31], index=False)
        for sheet in writer.book.worksheets:
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column[:200])
                sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
            sheet.freeze_panes = "A2"


def write_csv_folder(report: Report, out: Path) -> None:
    """``<table>.csv`` per table plus ``about.csv`` and ``METHOD.txt`` in folder ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    _about(report).to_csv(out / "about.csv", index=False)
    (out / "METHOD.txt").write_text(method_text(report.language) + "\n", encoding="utf-8")
    for name, table in report.tables.items():
        neutralise_frame(labelled(table, report.language)).to_csv(out / f"{name}.csv", index=False)
