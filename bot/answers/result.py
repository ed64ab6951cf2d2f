"""The outcome of parsing one typed answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

ERROR_KEYS: tuple[str, ...] = (
    "empty",
    "too_long",
    "not_a_number",
    "out_of_range",
    "not_a_choice",
    "not_yes_no",
    "not_a_date",
    "not_a_duration",
    "not_an_amount",
    "irregular_amount",
    "no_currency",
    "no_text",
)


@dataclass(frozen=True)
class ParseResult:
    """A typed, validated value (``ok``) or a machine error key with optional hint details."""

    ok: bool
    value: Any = None
    error: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


def accept(value: Any) -> ParseResult:
    """A successful result carrying ``value``."""
    return ParseResult(ok=True, value=value)


def reject(error: str, **details: Any) -> ParseResult:
    """A failed result with the machine key ``error`` and hint ``details``."""
    return ParseResult(ok=False, error=error, details=dict(details))


def check_range(
    value: float, minimum: float | None, maximum: float | None
) -> ParseResult | None:
    """An ``out_of_range`` rejection when ``value`` is outside the bounds, else ``None``."""
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return reject("out_of_range", min=_plain(minimum), max=_plain(maximum))
    return None


def _plain(bound: float | None) -> float | int | None:
    """Show whole-number bounds as ints in hint details."""
    if bound is not None and float(bound).is_integer():
        return int(bound)
    return bound
