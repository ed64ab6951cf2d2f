"""Programme modules: extra questions a programme adds, asked after the core questions of a wave.

A module is an XLSForm whose ``settings`` sheet names its programme (``tracer::programme``) and
whose codes start with that programme code.  Installed modules are the ``*.xlsx`` files of the
modules directory (``TRACER_MODULES_DIR``, default ``var/modules``), written by
``tracer questionnaire import``.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from bot.questionnaire.model import Questionnaire, QuestionnaireError

ROOT = Path(__file__).resolve().parents[2]


def modules_dir() -> Path:
    """Where installed modules live (one ``<programme>.xlsx`` each)."""
    return Path(os.environ.get("TRACER_MODULES_DIR") or ROOT / "var" / "modules")


def active_core_path() -> Path:
    """Where ``tracer questionnaire import`` installs the core XLSForm it accepted
    (``TRACER_ACTIVE_QUESTIONNAIRE``, default ``var/questionnaire.xlsx``); absent: the YAML."""
    return Path(
        os.environ.get("TRACER_ACTIVE_QUESTIONNAIRE") or ROOT / "var" / "questionnaire.xlsx"
    )


def installed_modules(directory: Path | None = None) -> list[tuple[str, Questionnaire]]:
    """(programme, module) for every installed module, by programme code."""
    from bot.questionnaire.xlsform.read import read_workbook

    folder = directory or modules_dir()
    modules = []
    for path in sorted(folder.glob("*.xlsx")) if folder.is_dir() else []:
        try:
            form = read_workbook(path.read_bytes())
        except QuestionnaireError as error:
            raise QuestionnaireError(f"module {path.name}: {error}") from error
        modules.append((form.programme or path.stem, form.questionnaire))
    return modules


def with_modules(core: Questionnaire, modules: list[tuple[str, Questionnaire]]) -> Questionnaire:
    """The core with each module's questions placed after the core questions of their wave."""
    if not modules:
        return core
    questions = list(core.questions)
    for programme, module in modules:
        for question in module.questions:
            if core.has_question(question.code):
                raise QuestionnaireError(f"module {programme}: code {question.code} is a core code")
            extra = {**question.extra, "x_module_version": module.version}
            tagged = dataclasses.replace(question, programme=programme, extra=extra)
            last = max(
                (i for i, q in enumerate(questions) if q.wave == question.wave),
                default=len(questions) - 1,
            )
            questions.insert(last + 1, tagged)
    return Questionnaire(version=core.version, waves=core.waves, questions=tuple(questions))


def install_module(programme: str | None, data: bytes, directory: Path | None = None) -> Path:
    """Make ``data`` the active module of ``programme`` (the active core when None)."""
    if programme is None:
        active_core_path().parent.mkdir(parents=True, exist_ok=True)
        active_core_path().write_bytes(data)
        return active_core_path()
    folder = directory or modules_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{programme}.xlsx"
    path.write_bytes(data)
    return path
