"""Pure parsing of typed chat answers into typed, validated values (no I/O, no Rasa).

``parse_answer(question, text, language, today=None)`` returns a ``ParseResult``: ``ok`` with
``value`` (``"yes"``/``"no"``, a choice code, ``int``, months, ``"YYYY-MM"``, text, or
``{"amount": float, "currency": str | None}``), or an ``error`` key with hint ``details``.
"""

from bot.answers.dispatch import parse_answer
from bot.answers.result import ERROR_KEYS, ParseResult

__all__ = ["ERROR_KEYS", "ParseResult", "parse_answer"]
