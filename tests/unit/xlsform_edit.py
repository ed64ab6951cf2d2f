"""Edit an exported XLSForm the way an M&E officer would in a spreadsheet (test helper)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook


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
