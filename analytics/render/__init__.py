"""Render a :class:`analytics.report.Report` as HTML, an Excel workbook or CSV files."""

from __future__ import annotations

from pathlib import Path

from analytics.render.files import write_csv_folder, write_xlsx
from analytics.render.html import render_html
from analytics.report import Report

FORMATS = ("html", "xlsx", "csv")


def write_report(report: Report, fmt: str, out: Path) -> Path:
    """Write ``report`` in ``fmt`` to ``out`` (a file; a folder for csv); returns the path."""
    if fmt == "html":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_html(report), encoding="utf-8")
    elif fmt == "xlsx":
        write_xlsx(report, out)
    elif fmt == "csv":
        write_csv_folder(report, out)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return out
