"""Stored questionnaire versions: the core and each programme's module, one row per import."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from bot.questionnaire.compat import breaking_changes, indicator_codes
from bot.questionnaire.loader import core_questionnaire, default_questionnaire, load_questionnaire
from bot.questionnaire.model import Questionnaire, QuestionnaireError
from bot.questionnaire.modules import install_module
from bot.questionnaire.xlsform.read import ReadForm, read_workbook
from bot.storage.db import session_scope
from bot.storage.models import QuestionnaireVersion

CORE = "core"


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the scope (core or programme code), version and whether it is new."""

    scope: str
    version: str
    questions: int
    stored: bool


def asked_version(question_code: str) -> str:
    """The version an answer to ``question_code`` is recorded with: the core version, or
    ``<programme>:<module version>`` for a module question."""
    questionnaire = default_questionnaire()
    if questionnaire.has_question(question_code):
        question = questionnaire.question(question_code)
        if question.programme:
            return f"{question.programme}:{question.extra.get('x_module_version', '?')}"
    return questionnaire.version


def stored_versions(url: str, scope: str) -> list[tuple[str, bytes]]:
    """(version, workbook bytes) of every stored version of ``scope``, oldest first."""
    with session_scope(url) as session:
        rows = session.execute(
            select(QuestionnaireVersion.version, QuestionnaireVersion.workbook)
            .where(QuestionnaireVersion.scope == scope)
            .order_by(QuestionnaireVersion.id)
        ).all()
        return [(row.version, bytes(row.workbook)) for row in rows]


def _module_faults(form: ReadForm) -> list[str]:
    prefix = f"{form.programme}_"
    return [
        f"{form.question_rows.get(q.code)}: module codes start with the programme code "
        f"('{prefix}…'), not '{q.code}'"
        for q in form.questionnaire.questions
        if not q.code.startswith(prefix)
    ]


def check_import(url: str, data: bytes) -> tuple[ReadForm, list[str]]:
    """Read a workbook and list every reason to refuse it (empty when it may be stored)."""
    form = read_workbook(data)
    scope = form.programme or CORE
    previous: list[Questionnaire] = [
        read_workbook(b).questionnaire for _, b in stored_versions(url, scope)
    ]
    if scope == CORE:
        previous.insert(0, load_questionnaire())  # the shipped YAML: answers may predate imports
        current = core_questionnaire()
        modules = [
            read_workbook(b).questionnaire
            for other in _module_scopes(url)
            for _, b in stored_versions(url, other)[-1:]
        ]
        faults = breaking_changes(
            previous,
            form,
            current=current,
            other_modules=modules,
            indicators=indicator_codes(current),
        )
    else:
        last = previous[-1] if previous else None
        faults = _module_faults(form) + breaking_changes(previous, form, current=last)
    return form, faults


def _module_scopes(url: str) -> list[str]:
    with session_scope(url) as session:
        scopes = session.execute(select(QuestionnaireVersion.scope).distinct()).scalars().all()
    return sorted(s for s in scopes if s != CORE)


def store_import(url: str, data: bytes) -> ImportResult:
    """Check and store one imported workbook; ``QuestionnaireError`` lists what breaks."""
    form, faults = check_import(url, data)
    if faults:
        raise QuestionnaireError("\n".join(faults))
    scope = form.programme or CORE
    version = form.questionnaire.version
    digest = hashlib.sha256(data).hexdigest()
    with session_scope(url) as session:
        same = session.execute(
            select(QuestionnaireVersion).where(
                QuestionnaireVersion.scope == scope, QuestionnaireVersion.version == version
            )
        ).scalar_one_or_none()
        if same is not None and same.sha256 != digest:
            raise QuestionnaireError(
                f"sheet 'settings' row 2: version {version} of {scope} is already stored with "
                "other content; give this import a new version"
            )
        if same is None:
            session.add(
                QuestionnaireVersion(scope=scope, version=version, sha256=digest, workbook=data)
            )
    if same is None or scope != CORE:
        install_module(None if scope == CORE else scope, data)
    count = len(form.questionnaire.questions)
    return ImportResult(scope=scope, version=version, questions=count, stored=same is None)
