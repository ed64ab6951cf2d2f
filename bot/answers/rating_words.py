"""The words of rating and frequency answers, in English, French and Spanish.

The tables are data, in ``bot/answers/rating_words.yml`` (read once, at import); this module
names them.

Everything is folded (lower case, no accents; apostrophes split words: "didn't" → "didn t",
"n'est" → "n est"). ``bot/answers/scales.py`` reads a phrase with these tables:

- a *head* carries a score from -2 to +2 ("satisfied" +1, "excellent" +2, "so so" 0, "bof" -0.5);
- a *negator* turns a positive head into ``target`` (``"not"`` → -1, "pas du tout" → -2) and a
  negative head into an unsure 0; ``sure`` False sends the result to confirmation;
- a *strengthener* ("at all", "du tout", "nada") makes a negation total;
- a *modifier* changes the next head: ``very`` doubles it, ``total`` too (but after a negator it
  means "not completely": an unsure 0), ``moderate`` keeps it, ``down`` ("a bit") keeps it but
  asks for confirmation, ``middle`` ("moderately") makes it 0;
- a *hedge* ("maybe", "je pense", "creo") anywhere sends the result to confirmation;
- a *balance* word ("neither", "ni") with heads of both signs means the middle of the scale.

A phrase is matched longest first, so a phrase entry (an idiom such as "pas terrible") wins
over its words. A word listed both as a modifier and as a head ("super", "bien", "medio") is a
modifier when a head follows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).with_name("rating_words.yml")


def _load(path: Path = DATA_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _scored(groups: dict[Any, list[str]]) -> dict[str, float]:
    """Phrase → score from ``{score: [phrases]}``."""
    return {phrase: float(score) for score, phrases in groups.items() for phrase in phrases}


_DATA = _load()

SATISFACTION: dict[str, float] = _scored(_DATA["satisfaction"])
"""How satisfied or how useful: 1–5 ratings (and any other rating scale)."""

FREQUENCY: dict[str, float] = _scored(_DATA["frequency"])
"""How often: frequency choices whose codes are in :data:`FREQUENCY_CODES`."""

FREQUENCY_CODES: dict[str, float] = {
    code: float(score) for code, score in _DATA["frequency_codes"].items()
}
"""Choice code → score: a choice question whose codes are all here is a frequency scale."""

NEGATORS: dict[str, tuple[float, bool]] = {
    word: (float(group["target"]), bool(group["sure"]))
    for group in _DATA["negators"]
    for word in group["words"]
}
"""Negating words and phrases → (score given to a positive head, sure)."""

STRENGTHENERS: frozenset[str] = frozenset(_DATA["strengtheners"])
"""Words that make a negation in the same clause total ("not useful at all")."""

MODIFIERS: dict[str, str] = {
    word: kind for kind, words in _DATA["modifiers"].items() for word in words
}
"""Words that change the next head (see the module docstring for the kinds)."""

HEDGES: frozenset[str] = frozenset(_DATA["hedges"])
"""Words that make a reading uncertain, so the trainee confirms it."""

BALANCE: frozenset[str] = frozenset(_DATA["balance"])
"""Words that, with heads of both signs, mean the middle of the scale ("neither", "ni")."""

CLAUSE_BREAKS: frozenset[str] = frozenset(_DATA["clause_breaks"])
"""Words that start a new clause: a negation does not reach across them."""
