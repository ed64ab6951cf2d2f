"""Read a cohort file (CSV or XLSX) into plain rows: header → text value, with line numbers."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator


class FileFormatError(ValueError):
    """The file cannot be read as a cohort list (the message says why)."""


@dataclass(frozen=True)
class RawRow:
    """One data row: its line number in the file (header = line 1) and its cells as text."""

    line: int
    cells: dict[str, str]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(cells: list[object]) -> list[str]:
    return [_cell_text(c).strip().lower().replace(" ", "_") for c in cells]


def _csv_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(handle, dialect)
        for values in reader:
            yield reader.line_num, list(values)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError) as error:
        raise FileFormatError(f"{path.name}: not a readable Excel workbook") from error
    try:
        sheet = workbook.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list(values)
    finally:
        workbook.close()


def read_rows(path: Path) -> tuple[list[str], list[RawRow]]:
    """(column names, data rows) of a ``.csv`` or ``.xlsx`` file; blank rows are skipped."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        source = _csv_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        source = _xlsx_rows(path)
    else:
        raise FileFormatError(f"{path.name}: use a .csv or .xlsx file")
    try:
        header = _header(next(source, (1, []))[1])
        if not any(header):
            raise FileFormatError(f"{path.name}: the first row must hold the column names")
        rows = []
        for line, values in source:
            texts = [_cell_text(v) for v in values]
            if not any(texts):
                continue
            rows.append(RawRow(line, dict(zip(header, texts, strict=False))))
        return header, rows
    except (UnicodeDecodeError, csv.Error) as error:
        raise FileFormatError(f"{path.name}: cannot read the file ({error})") from error
    except OSError as error:
        raise FileFormatError(f"{path.name}: {error.strerror or error}") from error
