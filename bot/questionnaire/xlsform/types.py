"""Column names and the mapping between Tracer answer types and XLSForm question types."""

from __future__ import annotations

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English (en)",
    "fr": "Français (fr)",
    "es": "Español (es)",
    "pt": "Português (pt)",
}
"""XLSForm language column suffixes (``label::English (en)``)."""

YES_NO_LIST = "yes_no"
"""The shared choice list of yes/no questions."""

TRACER_TYPE = "tracer::type"
"""Tracer's own answer type (money, duration, month, rating, yes_no …); empty means the plain
XLSForm type decides (select_one → choice, integer → integer, text → text)."""

TRACER_COLUMNS: tuple[str, ...] = (
    TRACER_TYPE,
    "tracer::unit",
    "tracer::flags",
    "tracer::extra",
)

# Tracer type → (XLSForm type, appearance).  select_one lists are named after the question.
XLSFORM_TYPES: dict[str, tuple[str, str]] = {
    "choice": ("select_one", ""),
    "yes_no": ("select_one", ""),
    "integer": ("integer", ""),
    "rating": ("integer", ""),
    "money": ("decimal", ""),
    "month": ("date", "month-year"),
    "duration": ("decimal", ""),
    "text": ("text", ""),
}

# Plain XLSForm type → Tracer type, when ``tracer::type`` is empty.
TRACER_DEFAULTS: dict[str, str] = {
    "select_one": "choice",
    "integer": "integer",
    "decimal": "duration",
    "date": "month",
    "text": "text",
}

FLAGS: tuple[str, ...] = ("identifying", "quasi_identifier", "sensitive")
"""Disclosure-control flags, written comma-separated in ``tracer::flags``."""


def language_column(prefix: str, language: str) -> str:
    """``label`` + ``fr`` → ``label::Français (fr)``; unknown codes keep the bare code."""
    return f"{prefix}::{LANGUAGE_NAMES.get(language, language)}"


def column_language(header: str, prefix: str) -> str | None:
    """The language code of a ``prefix::Name (xx)`` header, or None when it is another column."""
    if not header.startswith(prefix + "::"):
        return None
    rest = header[len(prefix) + 2 :].strip()
    if rest.endswith(")") and "(" in rest:
        return rest[rest.rindex("(") + 1 : -1].strip()
    return rest or None
