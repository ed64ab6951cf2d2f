"""Interface strings of the console in en/fr/es, in the same catalogue format as the bot's
(``bot/i18n``: key → language → text) and the same language normalisation."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.i18n import DEFAULT_LANGUAGE, normalise_language

CATALOG_PATH = Path(__file__).with_name("messages.yml")


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """Every console key → language → text, loaded once."""
    return yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))


def translate(key: str, language: str | None, **values: object) -> str:
    """The text of ``key`` in ``language`` (English when missing), with ``values`` filled in."""
    texts = catalog().get(key)
    if texts is None:
        return key
    text = texts.get(normalise_language(language)) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text
