"""Which languages the bot speaks (issue 17): English, French and Spanish are built in; any
other language is on as soon as its strings (``<translations dir>/<lang>.yml``, filled from the
translation sheet) and its NLU examples (``<nlu dir>/<lang>/*.yml``) are complete. Adding one
needs no code; ``tracer questionnaire check`` says what is missing for a language that is off.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.lists import format_list

from bot.answers.normalize import fold

BUILT_IN: tuple[str, ...] = ("en", "fr", "es")
DEFAULT_NLU_DIR = Path(__file__).resolve().parents[2] / "data" / "nlu"


def nlu_dir() -> Path:
    """Where the NLU examples of every language live (``TRACER_NLU_DIR``, default data/nlu):
    the folder the model is trained from."""
    return Path(os.environ.get("TRACER_NLU_DIR") or DEFAULT_NLU_DIR)


def language_gaps(language: str) -> list[str]:
    """What keeps ``language`` off: missing strings (``q.…``/``bot.…`` keys) and intents with
    too few NLU examples (``nlu:<intent>``); empty for a complete language."""
    from bot.i18n import catalog
    from bot.questionnaire.loader import default_questionnaire
    from bot.questionnaire.translations import missing_strings, nlu_missing

    missing = missing_strings(language, default_questionnaire(), catalog())
    if language in BUILT_IN:
        return missing
    return missing + [f"nlu:{intent}" for intent in nlu_missing(language, nlu_dir())]


def enabled_languages() -> tuple[str, ...]:
    """The built-in languages, then every added language that is complete, by code."""
    from bot.questionnaire.translations import translations_dir

    return _enabled(str(translations_dir()), str(nlu_dir()))


@lru_cache(maxsize=8)
def _enabled(translations: str, nlu: str) -> tuple[str, ...]:
    from bot.questionnaire.translations import overlay_languages

    added = [
        language
        for language in overlay_languages(Path(translations))
        if language not in BUILT_IN and _is_code(language) and not language_gaps(language)
    ]
    return (*BUILT_IN, *added)


def forget_languages() -> None:
    """Read the translation and NLU folders again (after an import, in tests)."""
    _enabled.cache_clear()
    _names.cache_clear()
    _cue_words.cache_clear()


GREETING_INTENTS = ("greet", "affirm", "thanks")


def added_cue_words(taken: set[str]) -> dict[str, set[str]]:
    """For each enabled added language: the words of its greeting, yes and thanks examples
    (``<nlu dir>/<lang>/``) and its own name, less ``taken`` (the built-in languages' cue
    words), so that a first "olá" is read as Portuguese."""
    return {
        language: set(_cue_words(language, str(nlu_dir()))) - taken
        | cue_tokens(endonym(language))
        | {fold(endonym(language))}
        for language in enabled_languages()
        if language not in BUILT_IN
    }


@lru_cache(maxsize=8)
def _cue_words(language: str, folder: str) -> frozenset[str]:
    import yaml

    found: set[str] = set()
    for path in sorted((Path(folder) / language).glob("*.yml")):
        for block in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu", []):
            if block.get("intent") in GREETING_INTENTS:
                for line in str(block.get("examples", "")).splitlines():
                    found |= cue_tokens(line.lstrip("- "))
    return frozenset(found)


def cue_tokens(text: str | None) -> set[str]:
    """The words of a message as the first-message guess compares them (lower case, outer
    punctuation dropped): the same for the typed text and for the examples it is matched to."""
    words = (w.strip("!?.,;:¡¿'\"").lower() for w in (text or "").split())
    return {w for w in words if w}


def _is_code(language: str) -> bool:
    return 2 <= len(language) <= 3 and language.isascii() and language.isalpha()


def primary_subtag(tag: str | None) -> str:
    """The language of a tag as browsers and Telegram send it: "pt-BR" → "pt", "fr_FR" → "fr",
    "dyu" → "dyu" (ISO 639-1 or 639-3); "" when it is not one."""
    code = re.split(r"[-_\s]", (tag or "").strip().lower(), maxsplit=1)[0]
    return code if _is_code(code) else ""


def endonym(language: str) -> str:
    """The language's name in itself, capitalised ("Português"); the code when unknown."""
    return language_name(language, language)


def language_name(language: str, in_language: str) -> str:
    """The name of ``language`` in ``in_language`` ("portugais" in French)."""
    return _names(language).get(in_language) or _names(language).get("en") or language


@lru_cache(maxsize=32)
def _names(language: str) -> dict[str, str]:
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return {}
    names: dict[str, str] = {}
    for other in {*BUILT_IN, language}:
        try:
            name = locale.get_display_name(Locale.parse(other)) or ""
        except (UnknownLocaleError, ValueError):
            continue
        names[other] = name[:1].upper() + name[1:]
    return names


def names_list(in_language: str, leave_out: str | None = None) -> str:
    """The names of the enabled languages (each in itself) as a sentence in ``in_language``:
    "Français, Español or Português" (Babel's list patterns), ``leave_out`` left out."""
    names = [endonym(code) for code in enabled_languages() if code != leave_out]
    try:
        return format_list(names, style="or", locale=in_language)
    except (UnknownLocaleError, ValueError):
        return format_list(names, style="or", locale="en")


def names_of_languages() -> dict[str, tuple[str, ...]]:
    """Language code → its names (folded: lower case, no accents) in every built-in language
    and in itself, for every enabled language; "castellano" is Spanish too."""
    found: dict[str, tuple[str, ...]] = {}
    for language in enabled_languages():
        names = {fold(n) for n in _names(language).values() if n}
        if language == "es":
            names.add("castellano")
        found[language] = tuple(sorted(names))
    return found
