"""Read and check the questionnaire file; every fault names the question and what to fix."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from bot.questionnaire.model import (
    ANSWER_TYPES,
    LANGUAGES,
    NUMERIC_TYPES,
    Choice,
    Condition,
    Question,
    Questionnaire,
    QuestionnaireError,
    Wave,
)
from bot.questionnaire.waves import WAVE_KINDS, followup_wave_id, wave_kind

__all__ = ["default_questionnaire", "followup_wave_id", "load_questionnaire", "wave_kind"]

DEFAULT_PATH = Path(__file__).with_name("questionnaire.yml")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
MAX_EXAMPLE = 120
"""Longest example phrasing of a choice (characters)."""


def _texts(raw: Any, where: str, *, required: bool = True) -> dict[str, str]:
    if raw is None and not required:
        return {}
    if not isinstance(raw, Mapping):
        raise QuestionnaireError(f"{where}: expected a mapping of language → text")
    texts = {str(k): str(v).strip() for k, v in raw.items()}
    missing = [lang for lang in LANGUAGES if not texts.get(lang)]
    if missing:
        raise QuestionnaireError(f"{where}: missing wording in {', '.join(missing)}")
    return texts


def _examples(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    """A choice's ``examples: {en: [...], fr: [...], es: [...]}``, checked."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise QuestionnaireError(f"{where}: examples must be a mapping of language → list")
    examples: dict[str, tuple[str, ...]] = {}
    for language, items in raw.items():
        if language not in LANGUAGES:
            raise QuestionnaireError(f"{where}: examples in unknown language '{language}'")
        if not isinstance(items, list) or not items:
            raise QuestionnaireError(f"{where}: examples.{language} must be a non-empty list")
        texts = tuple(str(item).strip() for item in items)
        if any(not text or len(text) > MAX_EXAMPLE for text in texts):
            raise QuestionnaireError(
                f"{where}: examples.{language} holds an empty text or one over {MAX_EXAMPLE} "
                "characters"
            )
        examples[str(language)] = texts
    return examples


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _check_examples(choices: tuple[Choice, ...], where: str) -> None:
    """An example may name one choice only: not another choice's example or label."""
    owner: dict[str, str] = {}
    for choice in choices:
        for text in {_normal(t) for t in choice.label.values()}:
            owner.setdefault(text, choice.code)
    for choice in choices:
        for texts in choice.examples.values():
            for text in {_normal(t) for t in texts}:
                other = owner.setdefault(text, choice.code)
                if other != choice.code:
                    raise QuestionnaireError(
                        f"{where}: example '{text}' of choice {choice.code} also names {other}"
                    )


def _condition(raw: Any, where: str, known: set[str]) -> Condition:
    if not isinstance(raw, Mapping):
        raise QuestionnaireError(f"{where}: ask_if must be a mapping")
    if "all" in raw or "any" in raw:
        key = "all" if "all" in raw else "any"
        children = tuple(_condition(c, where, known) for c in raw[key])
        return Condition(all_=children) if key == "all" else Condition(any_=children)
    code = raw.get("code")
    if code not in known:
        raise QuestionnaireError(
            f"{where}: ask_if refers to '{code}', which is not an earlier question"
        )
    as_tuple = lambda v: tuple(v) if v is not None else None  # noqa: E731
    return Condition(
        code=code,
        field=raw.get("field"),
        in_=as_tuple(raw.get("in")),
        not_in=as_tuple(raw.get("not_in")),
        gte=raw.get("gte"),
        lte=raw.get("lte"),
        missing_ok=bool(raw.get("missing_ok", False)),
    )


def _question(raw: Mapping[str, Any], index: int, known: set[str]) -> Question:
    code = raw.get("code")
    where = f"question #{index + 1} ({code})"
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise QuestionnaireError(f"{where}: code must be lower_snake_case, 2–41 characters")
    if code in known:
        raise QuestionnaireError(f"{where}: duplicate code")
    wave = raw.get("wave")
    if wave not in WAVE_KINDS:
        raise QuestionnaireError(f"{where}: wave must be one of {', '.join(WAVE_KINDS)}")
    qtype = raw.get("type")
    if qtype not in ANSWER_TYPES:
        raise QuestionnaireError(f"{where}: type must be one of {', '.join(ANSWER_TYPES)}")
    choices = tuple(
        Choice(
            code=str(c["code"]),
            label=_texts(c.get("label"), f"{where} choice {c.get('code')}"),
            examples=_examples(c.get("examples"), f"{where} choice {c.get('code')}"),
        )
        for c in raw.get("choices") or []
    )
    _check_examples(choices, where)
    if qtype == "choice" and len(choices) < 2:
        raise QuestionnaireError(f"{where}: a choice question needs at least two choices")
    if qtype != "choice" and choices:
        raise QuestionnaireError(f"{where}: only choice questions have choices")
    lo, hi = raw.get("min"), raw.get("max")
    if qtype in NUMERIC_TYPES and (lo is None or hi is None or lo > hi):
        raise QuestionnaireError(f"{where}: {qtype} questions need min ≤ max")
    ask_if = raw.get("ask_if")
    return Question(
        code=code,
        wave=wave,
        type=qtype,
        text=_texts(raw.get("text"), f"{where} text"),
        label=_texts(raw.get("label"), f"{where} label"),
        help=_texts(raw.get("help"), f"{where} help"),
        choices=choices,
        min=lo,
        max=hi,
        required=bool(raw.get("required", True)),
        ask_if=_condition(ask_if, where, known) if ask_if is not None else None,
        identifying=bool(raw.get("identifying", False)),
        quasi_identifier=bool(raw.get("quasi_identifier", False)),
        sensitive=bool(raw.get("sensitive", False)),
        unit=raw.get("unit"),
        extra={k: v for k, v in raw.items() if k.startswith("x_")},
    )


def parse_questionnaire(
    raw: Mapping[str, Any], outside: frozenset[str] = frozenset()
) -> Questionnaire:
    """Build a checked :class:`Questionnaire` from the parsed YAML mapping.

    ``outside``: codes skip logic may also read (a programme module reads core answers).
    """
    waves = tuple(
        Wave(kind=kind, label=_texts(spec.get("label"), f"wave {kind} label"))
        for kind, spec in (raw.get("waves") or {}).items()
    )
    if {w.kind for w in waves} != set(WAVE_KINDS):
        raise QuestionnaireError(f"waves: define exactly {', '.join(WAVE_KINDS)}")
    known: set[str] = set()
    questions = []
    for index, item in enumerate(raw.get("questions") or []):
        question = _question(item, index, known | outside)
        known.add(question.code)
        questions.append(question)
    if not questions:
        raise QuestionnaireError("questions: the questionnaire has no questions")
    return Questionnaire(
        version=str(raw.get("version", "1")), waves=waves, questions=tuple(questions)
    )


def load_questionnaire(path: Path | str | None = None) -> Questionnaire:
    """Load and check a questionnaire file (the project's own by default)."""
    file = Path(path) if path else DEFAULT_PATH
    try:
        # libyaml's safe loader when built in: the same documents, ~10× faster to parse
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise QuestionnaireError(f"{file}: cannot read the questionnaire: {error}") from error
    try:
        return parse_questionnaire(raw or {})
    except QuestionnaireError as error:
        raise QuestionnaireError(f"{file}: {error}") from error


@lru_cache(maxsize=1)
def core_questionnaire() -> Questionnaire:
    """The active core questionnaire (without programme modules), parsed once per process: the
    last core XLSForm imported (``active_core_path()``) if any, else the shipped YAML; with the
    texts of languages added through the translation sheet."""
    from bot.questionnaire.modules import active_core_path
    from bot.questionnaire.translations import with_translations
    from bot.questionnaire.xlsform.read import read_workbook

    imported = active_core_path()
    if imported.is_file():
        try:
            core = read_workbook(imported.read_bytes()).questionnaire
        except QuestionnaireError as error:
            raise QuestionnaireError(f"{imported}: {error}") from error
    else:
        core = load_questionnaire(DEFAULT_PATH)
    return with_translations(core)


@lru_cache(maxsize=1)
def default_questionnaire() -> Questionnaire:
    """The active questionnaire: the core plus every installed programme module (issue 17)."""
    from bot.questionnaire.modules import installed_modules, with_modules
    from bot.questionnaire.translations import with_translations

    return with_translations(with_modules(core_questionnaire(), installed_modules()))
