"""Translation workflow: every string of a language in one sheet, filled back in (issue 17).

A language beyond en/fr/es lives in ``<translations dir>/<lang>.yml`` (``TRACER_TRANSLATIONS_DIR``,
default ``bot/questionnaire/translations``): a flat mapping of keys to texts:

    wave.<kind>.label             q.<code>.text / q.<code>.help / q.<code>.label
    q.<code>.choice.<choice>      bot.<message key>   (the bot's own messages, bot/i18n)
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Iterator, Mapping

import yaml

from bot.questionnaire.model import Choice, Question, Questionnaire, Wave

HERE = Path(__file__).resolve().parent
_FIELD = re.compile(r"\{[a-z_]*\}")
MIN_NLU_EXAMPLES = 3


def translations_dir() -> Path:
    """Where the overlay files of extra languages live."""
    return Path(os.environ.get("TRACER_TRANSLATIONS_DIR") or HERE / "translations")


def overlay(language: str, directory: Path | None = None) -> dict[str, str]:
    """The stored translations of ``language`` (key → text); empty when none."""
    path = (directory or translations_dir()) / f"{language}.yml"
    if not path.is_file():
        return {}
    return {str(k): str(v) for k, v in (yaml.safe_load(path.read_text("utf-8")) or {}).items()}


def overlay_languages(directory: Path | None = None) -> list[str]:
    """Languages with an overlay file."""
    folder = directory or translations_dir()
    return sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []


def strings(questionnaire: Questionnaire, messages: dict[str, dict[str, str]]) -> Iterator[tuple]:
    """(key, where, texts by language) of every translatable string, in questionnaire order."""
    for wave in questionnaire.waves:
        yield f"wave.{wave.kind}.label", f"wave {wave.kind}", wave.label
    for q in questionnaire.questions:
        yield f"q.{q.code}.text", f"question {q.code}", q.text
        yield f"q.{q.code}.help", f"hint of {q.code}", q.help
        yield f"q.{q.code}.label", f"short label of {q.code}", q.label
        for c in q.choices:
            yield f"q.{q.code}.choice.{c.code}", f"choice {c.code} of {q.code}", c.label
    for key, texts in messages.items():
        yield f"bot.{key}", "bot message", texts


def _with(texts: Mapping[str, str], language: str, text: str | None) -> dict[str, str]:
    merged = dict(texts)
    if text:
        merged[language] = text
    return merged


def _question(q: Question, language: str, found: dict[str, str]) -> Question:
    choices = tuple(
        dataclasses.replace(
            c, label=_with(c.label, language, found.get(f"q.{q.code}.choice.{c.code}"))
        )
        for c in q.choices
    )
    return dataclasses.replace(
        q,
        text=_with(q.text, language, found.get(f"q.{q.code}.text")),
        help=_with(q.help, language, found.get(f"q.{q.code}.help")),
        label=_with(q.label, language, found.get(f"q.{q.code}.label")),
        choices=choices,
    )


def with_translations(questionnaire: Questionnaire, directory: Path | None = None) -> Questionnaire:
    """The questionnaire with every overlay language's texts added."""
    result = questionnaire
    for language in overlay_languages(directory):
        found = overlay(language, directory)
        waves = tuple(
            Wave(w.kind, _with(w.label, language, found.get(f"wave.{w.kind}.label")))
            for w in result.waves
        )
        questions = tuple(_question(q, language, found) for q in result.questions)
        result = Questionnaire(version=result.version, waves=waves, questions=questions)
    return result


def placeholder_fault(source: str, target: str) -> str | None:
    """Why ``target`` cannot stand for ``source`` ({count}-style fields must be kept)."""
    missing = sorted(set(_FIELD.findall(source)) - set(_FIELD.findall(target)))
    extra = sorted(set(_FIELD.findall(target)) - set(_FIELD.findall(source)))
    if missing or extra:
        return f"keep the fields {', '.join(missing or extra)} exactly as in English"
    return None


def nlu_missing(language: str, folder: Path | None = None) -> list[str]:
    """Intents (control, consent …) with fewer than 3 examples in ``data/nlu/<language>/``
    (``folder``: the NLU folder, default :func:`bot.i18n.languages.nlu_dir`)."""
    from bot.i18n.languages import nlu_dir

    folder = folder or nlu_dir()
    required = _intents(folder / "en") - {"inform"}
    have = _intents(folder / language, minimum=MIN_NLU_EXAMPLES)
    return sorted(required - have)


def _intents(folder: Path, minimum: int = 1) -> set[str]:
    found: set[str] = set()
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        for block in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu", []):
            lines = [x for x in str(block.get("examples", "")).splitlines() if x.strip()]
            if block.get("intent") and len(lines) >= minimum:
                found.add(str(block["intent"]))
    return found


def missing_strings(
    language: str, questionnaire: Questionnaire, messages: dict[str, dict[str, str]]
) -> list[str]:
    """Keys of the strings with no ``language`` text (overlay or built-in)."""
    stored = overlay(language) if language not in ("en", "fr", "es") else {}
    return [
        key
        for key, _, texts in strings(questionnaire, messages)
        if not (texts.get(language) or stored.get(key))
    ]


__all__ = ["Choice", "strings", "with_translations", "overlay", "nlu_missing"]
