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
    "needs_confirmation",
)


@dataclass(frozen=True)
class ParseResult:
    """A typed, validated value (``ok``) or a machine error key with optional hint details.

    Two flags tell the survey turn (``bot/survey/turn.py``) how sure the parser is:

    - ``echo``: the value is stored, and the trainee is told what was stored ("Noted: 2 out of
      5") so that a misreading can be corrected with "go back".  Set it when the value was read
      from words (not digits, not a button payload): see :func:`accept`.
    - ``confirm``: the parser has a likely value but is not sure enough to store it.  The result
      is *not* ``ok`` (``error="needs_confirmation"``, the proposed value in ``value``), so any
      caller that does not know about confirmation safely treats it as unreadable.  The survey
      turn asks "2 out of 5 — is that right?" (Yes/No) and stores ``value`` only on yes: see
      :func:`propose` and ``bot/survey/confirm.py``.
    """

    ok: bool
    value: Any = None
    error: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    echo: bool = False
    confirm: bool = False


def accept(value: Any, *, echo: bool = False) -> ParseResult:
    """A successful result carrying ``value``; ``echo`` asks the bot to repeat what it stored."""
    return ParseResult(ok=True, value=value, echo=echo)


def propose(value: Any, **details: Any) -> ParseResult:
    """A likely ``value`` that the trainee must confirm before it is stored (never stored as is)."""
    return ParseResult(
        ok=False, value=value, error="needs_confirmation", details=dict(details), confirm=True
    )


def reject(error: str, **details: Any) -> ParseResult:
    """A failed result with the machine key ``error`` and hint ``details``."""
    return ParseResult(ok=False, error=error, details=dict(details))


def check_range(value: float, minimum: float | None, maximum: float | None) -> ParseResult | None:
    """An ``out_of_range`` rejection when ``value`` is outside the bounds, else ``None``."""
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return reject("out_of_range", min=_plain(minimum), max=_plain(maximum))
    return None


def _plain(bound: float | None) -> float | int | None:
    """Show whole-number bounds as ints in hint details."""
    if bound is not None and float(bound).is_integer():
        return int(bound)
    return bound
