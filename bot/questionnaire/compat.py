"""Refuse an import that would break stored data; wording changes are always allowed.

Breaking changes (each refusal names the spreadsheet row):
- a code reused with another answer type;
- a choice question whose choice codes differ from the stored version's (a code removed or
  renamed: stored answers hold it; adding a choice is allowed);
- a removed question code that skip logic (of this form or of a stored module) or a standard
  indicator (``analytics/``) still reads.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from bot.questionnaire.model import Question, Questionnaire
from bot.questionnaire.xlsform.export import languages_of, survey_rows
from bot.questionnaire.xlsform.read import ReadForm, SheetRow

ANALYTICS_DIR = Path(__file__).resolve().parents[2] / "analytics"
_LITERAL = re.compile(r"[\"']([a-z][a-z0-9_]{1,40})[\"']")


@lru_cache(maxsize=4)
def _analytics_literals(root: Path = ANALYTICS_DIR) -> frozenset[str]:
    found: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        found |= set(_LITERAL.findall(path.read_text(encoding="utf-8")))
    return frozenset(found)


def indicator_codes(questionnaire: Questionnaire, root: Path = ANALYTICS_DIR) -> set[str]:
    """Question codes of ``questionnaire`` that the analytics code (indicators) names."""
    return {q.code for q in questionnaire.questions} & _analytics_literals(root)


def survey_row_numbers(questionnaire: Questionnaire) -> dict[str, int]:
    """Question code → its row on the survey sheet of this questionnaire's export."""
    languages = languages_of(questionnaire)
    rows = survey_rows(questionnaire, languages)
    return {row[1]: number for number, row in enumerate(rows, start=1) if number > 1}


def _where(form: ReadForm, code: str) -> SheetRow | str:
    return form.question_rows.get(code) or f"question {code}"


def _type_and_choices(old: Question, new: Question, form: ReadForm) -> list[str]:
    where = _where(form, new.code)
    if old.type != new.type:
        return [
            f"{where}: code '{new.code}' had type {old.type}; stored answers would be "
            f"read as {new.type}. Give the new question a new code."
        ]
    missing = [c for c in old.choice_codes if c not in new.choice_codes]
    if not missing:
        return []
    list_rows = [r for (lst, _), r in form.choice_rows.items() if lst == new.code]
    row = min(list_rows, key=lambda r: r.row) if list_rows else where
    return [
        f"{row}: question '{new.code}' no longer has the choice code(s) "
        f"{', '.join(missing)} that stored answers hold. Keep the codes (change only the "
        "labels) or ask a new question with a new code."
    ]


def _removed(
    removed: set[str],
    form: ReadForm,
    readers: Iterable[Question],
    indicators: set[str],
    old_rows: dict[str, int],
) -> list[str]:
    faults = []
    for question in readers:
        used = (question.ask_if.referenced_codes() if question.ask_if else set()) & removed
        for code in sorted(used):
            faults.append(
                f"{_where(form, question.code)}: relevant of '{question.code}' reads '{code}' "
                f"(sheet 'survey' row {old_rows.get(code, '?')} of the current version), which "
                "this import removes"
            )
    for code in sorted(removed & indicators):
        faults.append(
            f"sheet 'survey' row {old_rows.get(code, '?')} of the current version: question "
            f"'{code}' is removed but the standard indicators use it; keep its row (you may "
            "change its wording)"
        )
    return faults


def breaking_changes(
    previous: Iterable[Questionnaire],
    form: ReadForm,
    *,
    current: Questionnaire | None = None,
    other_modules: Iterable[Questionnaire] = (),
    indicators: set[str] | None = None,
) -> list[str]:
    """Every reason to refuse ``form``, each naming its sheet row; empty when it is safe.

    ``previous`` are the stored versions of the same questionnaire (core, or this programme's
    module); ``current`` the one it replaces; ``other_modules`` the stored modules whose skip
    logic may read core codes; ``indicators`` the codes the standard indicators use.
    """
    new = form.questionnaire
    faults: list[str] = []
    seen: set[str] = set()
    for old_version in previous:
        for old in old_version.questions:
            if new.has_question(old.code) and old.code not in seen:
                seen.add(old.code)
                faults += _type_and_choices(old, new.question(old.code), form)
    if current is not None:
        removed = {q.code for q in current.questions} - {q.code for q in new.questions}
        readers = [*new.questions, *(q for m in other_modules for q in m.questions)]
        faults += _removed(removed, form, readers, indicators or set(), survey_row_numbers(current))
    return faults
