"""The bot's own sentences (not the questionnaire) in every supported language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.i18n.languages import (
    BUILT_IN,
    added_cue_words,
    cue_tokens,
    enabled_languages,
    names_list,
    primary_subtag,
)

CATALOG_PATH = Path(__file__).with_name("messages.yml")
# The outcome report's words (``report_*`` keys), same format, one catalogue with the above.
REPORT_CATALOG_PATH = Path(__file__).with_name("report.yml")
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """Every message key → language → text, loaded once (bot messages and report words)."""
    found = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))
    found.update(yaml.safe_load(REPORT_CATALOG_PATH.read_text(encoding="utf-8")))
    return found


def normalise_language(language: str | None) -> str:
    """A supported language code from a slot, a browser or Telegram value ("fr-FR" → "fr")."""
    code = primary_subtag(language)
    if code in BUILT_IN:  # always on; no need to look at the added languages
        return code
    return code if code in enabled_languages() else DEFAULT_LANGUAGE


def _added_texts(language: str) -> dict[str, str]:
    """The bot's messages in a language added by translation sheet (``bot.<key>`` entries)."""
    if language in BUILT_IN:  # their texts are in the catalogue itself
        return {}
    from bot.questionnaire.translations import translations_dir

    return _read_added_texts(language, str(translations_dir()))


@lru_cache(maxsize=16)
def _read_added_texts(language: str, directory: str) -> dict[str, str]:
    from bot.questionnaire.translations import overlay

    return {k[4:]: v for k, v in overlay(language, Path(directory)).items() if k.startswith("bot.")}


def t(key: str, language: str | None, **values: object) -> str:
    """The message ``key`` in ``language`` with ``values`` filled in."""
    texts = catalog()[key]
    code = normalise_language(language)
    text = texts.get(code) or _added_texts(code).get(key) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def in_every_language(key: str) -> dict[str, str]:
    """The message ``key`` in every enabled language (language → text)."""
    return {language: t(key, language) for language in enabled_languages()}


def language_kept(language: str) -> str:
    """ "We'll continue in English — type Français or Español to change." (every language)"""
    return t("language_kept", language, others=names_list(language, leave_out=language))


def language_help(language: str) -> str:
    """ "Tap a button or type English, Français, or Español." (every language the bot speaks)"""
    return t("language_help", language, languages=names_list(language))


_CUE_WORDS = {
    "en": {
        "hello",
        "hi",
        "hey",
        "good",
        "morning",
        "yes",
        "thanks",
        "i",
        "am",
        "the",
        "want",
        "english",
        "please",
        "start",
    },
    "fr": {
        "bonjour",
        "salut",
        "bonsoir",
        "coucou",
        "oui",
        "merci",
        "je",
        "suis",
        "le",
        "la",
        "les",
        "des",
        "est",
        "pour",
        "veux",
        "français",
        "francais",
        "commencer",
    },
    "es": {
        "hola",
        "buenas",
        "buenos",
        "días",
        "dias",
        "sí",
        "gracias",
        "quiero",
        "soy",
        "el",
        "los",
        "para",
        "estoy",
        "español",
        "espanol",
        "empezar",
    },
}


def guess_language(text: str | None) -> str | None:
    """The language a short first message is most likely in ("bonjour" → "fr"), if clear."""
    words = cue_tokens(text)
    taken = set().union(*_CUE_WORDS.values())
    cues_by_language = {**_CUE_WORDS, **added_cue_words(taken)}
    scores = {lang: len(words & cues) for lang, cues in cues_by_language.items()}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    return best if ranked[0] > 0 and ranked[0] > ranked[1] else None
