"""Excel workbook (one sheet per table) and CSV folder (one file per table) renderers.

Text cells (programme and cohort names come from officers' files) are neutralised so that none
runs as a spreadsheet formula (bot/security/spreadsheet.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.method import METHOD_NOTE, method_text
from analytics.report import Report
from bot.security.spreadsheet import neutralise_frame


def _about(report: Report) -> pd.DataFrame:
    rows = [(key.replace("_", " "), str(value)) for key, value in report.meta.items()]
    rows += [("", "")] + [(term, text) for term, text in METHOD_NOTE]
    return neutralise_frame(pd.DataFrame(rows, columns=["item", "value"]))


def write_xlsx(report: Report, out: Path) -> None:
    """One sheet per table plus an ``about`` sheet with metadata and the method note."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        _about(report).to_excel(writer, sheet_name="about", index=False)
        for name, table in report.tables.items():
            neutralise_frame(table).to_excel(writer, sheet_name=name[:31], index=False)
        for sheet in writer.book.worksheets:
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column[:200])
                sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
            sheet.freeze_panes = "A2"


def write_csv_folder(report: Report, out: Path) -> None:
    """``<table>.csv`` per table plus ``about.csv`` and ``METHOD.txt`` in folder ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    _about(report).to_csv(out / "about.csv", index=False)
    (out / "METHOD.txt").write_text(method_text() + "\n", encoding="utf-8")
    for name, table in report.tables.items():
        neutralise_frame(table).to_csv(out / f"{name}.csv", index=False)
