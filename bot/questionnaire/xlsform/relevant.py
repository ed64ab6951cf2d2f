"""Skip logic ⇄ XLSForm ``relevant`` expressions.

Tracer writes (and reads back) a small, readable subset of the XLSForm expression language:

    ${fu_worked_last_week} = 'no' and ${fu_temp_absent} = 'no'
    ${bl_activity_status} = 'employee' or ${bl_activity_status} = 'self_employed'
    selected(${ex_completed}, 'completed')           (read as ${ex_completed} = 'completed')
    ${bl_birth_year} >= 1990 and ${bl_birth_year} <= 2000
    ${bl_earnings}/follow_up = 'days_per_week'       (one field of a Tracer money answer)

``or`` of equalities on one question becomes one ``in`` list, ``and`` of ``!=`` one ``not_in``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

from bot.questionnaire.model import Condition

_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{(?P<code>[A-Za-z_][\w.-]*)\}(?:/(?P<field>[A-Za-z_]\w*))?)"
    r"|(?P<str>'[^']*'|\"[^\"]*\")|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<op>!=|>=|<=|=|>|<)|(?P<word>and\b|or\b|selected\b)|(?P<punct>[(),]))"
)


class RelevantError(ValueError):
    """A ``relevant`` expression Tracer cannot read; the message says what was expected."""


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "'yes'" if value else "'no'"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value) + "'"


def _ref(condition: Condition) -> str:
    ref = "${" + str(condition.code) + "}"
    return f"{ref}/{condition.field}" if condition.field else ref


def format_relevant(condition: Condition | None) -> str:
    """The XLSForm ``relevant`` expression of a skip-logic condition ('' when always asked)."""
    if condition is None:
        return ""
    return _format(condition, top=True)


def _format(condition: Condition, *, top: bool = False) -> str:
    if condition.missing_ok:  # XLSForm: an unanswered question compares equal to ''
        blank = f"{_ref(condition)} = ''"
        if condition.in_ == ():  # only when unanswered
            return blank
        text = f"{blank} or {_format(replace(condition, missing_ok=False))}"
        return text if top else f"({text})"
    if condition.all_ or condition.any_:
        joiner = " and " if condition.all_ else " or "
        children = condition.all_ or condition.any_
        text = joiner.join(_format(child) for child in children)
        return text if top else f"({text})"
    ref = _ref(condition)
    parts: list[str] = []
    if condition.in_ is not None:
        ors = [f"{ref} = {_value(v)}" for v in condition.in_]
        inner = " or ".join(ors)
        parts.append(inner if len(ors) == 1 or (top and condition.not_in is None) else f"({inner})")
    parts += [f"{ref} != {_value(v)}" for v in condition.not_in or ()]
    if condition.gte is not None:
        parts.append(f"{ref} >= {_value(condition.gte)}")
    if condition.lte is not None:
        parts.append(f"{ref} <= {_value(condition.lte)}")
    text = " and ".join(parts)
    return text if top or len(parts) == 1 else f"({text})"


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str, str | None]] = []
        position = 0
        text = text.strip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if not match or match.end() == position:
                raise RelevantError(f"cannot read '{text[position : position + 20]}'")
            position = match.end()
            kind = match.lastgroup if match.lastgroup not in ("code", "field") else "ref"
            if match.group("ref"):
                self.tokens.append(("ref", match.group("code"), match.group("field")))
            else:
                self.tokens.append((str(kind), match.group(str(kind)), None))
        self.index = 0

    def peek(self) -> tuple[str, str, str | None] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str, text: str | None = None) -> tuple[str, str, str | None]:
        token = self.peek()
        if token is None or token[0] != kind or (text is not None and token[1] != text):
            found = token[1] if token else "the end"
            raise RelevantError(f"expected {text or kind} but found {found}")
        self.index += 1
        return token

    def expression(self) -> Condition:
        return self._joined("or", self.conjunction, any_=True)

    def conjunction(self) -> Condition:
        return self._joined("and", self.atom, any_=False)

    def _joined(self, word: str, part: Callable[[], Condition], any_: bool) -> Condition:
        """``part`` [``word`` ``part``]…, merged into one condition (any / all of them)."""
        children = [part()]
        while self.peek() and self.peek()[1] == word:  # type: ignore[index]
            self.index += 1
            children.append(part())
        return _merge(children, any_=any_)

    def atom(self) -> Condition:
        token = self.peek()
        if token and token[1] == "(":
            self.index += 1
            inner = self.expression()
            self.take("punct", ")")
            return inner
        if token and token[1] == "selected":
            self.index += 1
            self.take("punct", "(")
            _, code, field = self.take("ref")
            self.take("punct", ",")
            value = self.literal()
            self.take("punct", ")")
            return Condition(code=code, field=field, in_=(value,))
        _, code, field = self.take("ref")
        op = self.take("op")[1]
        return _leaf(code, field, op, self.literal())

    def literal(self) -> Any:
        token = self.peek()
        if token and token[0] == "str":
            self.index += 1
            return token[1][1:-1]
        if token and token[0] == "num":
            self.index += 1
            return float(token[1]) if "." in token[1] else int(token[1])
        raise RelevantError(f"expected a value but found {token[1] if token else 'the end'}")


def _leaf(code: str, field: str | None, op: str, value: Any) -> Condition:
    if op == "=":
        return Condition(code=code, field=field, in_=(value,))
    if op == "!=":
        return Condition(code=code, field=field, not_in=(value,))
    if not isinstance(value, (int, float)):
        raise RelevantError(f"{op} needs a number, not '{value}'")
    if op in (">=", ">"):
        return Condition(code=code, field=field, gte=value + (1 if op == ">" else 0))
    return Condition(code=code, field=field, lte=value - (1 if op == "<" else 0))


def _is_leaf(condition: Condition) -> bool:
    return not (condition.all_ or condition.any_)


def _merge(children: list[Condition], *, any_: bool) -> Condition:
    """Fold ``or`` of equalities (and ``and`` of bounds/!=) on one question into one leaf."""
    merged: list[Condition] = []
    for child in children:
        last = merged[-1] if merged else None
        if last is not None and _is_leaf(child) and _is_leaf(last):
            same = (last.code, last.field) == (child.code, child.field)
            if same and any_ and ("",) in (last.in_, child.in_):  # ${x} = '' or <test of x>
                test = child if last.in_ == ("",) else last
                if not test.missing_ok:
                    merged[-1] = replace(test, missing_ok=True)
                    continue
            if same and any_ and _only(last, "in_") and _only(child, "in_"):
                merged[-1] = Condition(
                    code=last.code,
                    field=last.field,
                    in_=(*last.in_, *child.in_),  # type: ignore[misc]
                )
                continue
            if same and not any_ and _combinable(last, child):
                merged[-1] = _combine(last, child)
                continue
        merged.append(child)
    if len(merged) == 1:
        return merged[0]
    return Condition(any_=tuple(merged)) if any_ else Condition(all_=tuple(merged))


def _missing_ok(condition: Condition) -> Condition:
    """``${x} = ''`` (x unanswered) left in a leaf, as a leaf that holds when x is missing
    (the ``or`` with other tests of x is folded by :func:`_merge`)."""
    if not _is_leaf(condition):
        children = tuple(_missing_ok(child) for child in (*condition.all_, *condition.any_))
        return (
            replace(condition, all_=children)
            if condition.all_
            else replace(condition, any_=children)
        )
    if condition.in_ is None or "" not in condition.in_:
        return condition
    return replace(condition, in_=tuple(v for v in condition.in_ if v != ""), missing_ok=True)


def _only(condition: Condition, name: str) -> bool:
    names = ("in_", "not_in", "gte", "lte")
    return all((getattr(condition, n) is not None) == (n == name) for n in names)


def _combinable(left: Condition, right: Condition) -> bool:
    if right.in_ is not None:
        return False
    if right.not_in is not None and left.not_in is None and left.in_ is not None:
        return False
    return not (
        (right.gte is not None and left.gte is not None)
        or (right.lte is not None and left.lte is not None)
        or (right.not_in is not None and (left.gte is not None or left.lte is not None))
    )


def _combine(left: Condition, right: Condition) -> Condition:
    not_in = (*(left.not_in or ()), *(right.not_in or ())) or None
    return Condition(
        code=left.code,
        field=left.field,
        in_=left.in_,
        not_in=tuple(not_in) if not_in else None,
        gte=left.gte if left.gte is not None else right.gte,
        lte=left.lte if left.lte is not None else right.lte,
    )


def parse_relevant(text: str | None) -> Condition | None:
    """Read a ``relevant`` expression back into a condition (None when empty)."""
    if text is None or not str(text).strip():
        return None
    parser = _Parser(str(text))
    condition = _missing_ok(parser.expression())
    if parser.peek() is not None:
        raise RelevantError(f"unexpected '{parser.peek()[1]}'")  # type: ignore[index]
    return condition


def to_raw(condition: Condition) -> dict[str, Any]:
    """A condition as the questionnaire YAML writes it (``ask_if``)."""
    if condition.all_ or condition.any_:
        key = "all" if condition.all_ else "any"
        return {key: [to_raw(c) for c in condition.all_ or condition.any_]}
    raw: dict[str, Any] = {"code": condition.code}
    if condition.field:
        raw["field"] = condition.field
    for name, key in (("in_", "in"), ("not_in", "not_in"), ("gte", "gte"), ("lte", "lte")):
        if getattr(condition, name) is not None:
            value = getattr(condition, name)
            raw[key] = list(value) if isinstance(value, tuple) else value
    if condition.missing_ok:
        raw["missing_ok"] = True
    return raw
