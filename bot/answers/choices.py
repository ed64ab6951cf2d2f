"""Choice answers: a code, a button payload, the option number or a label in any language."""

from __future__ import annotations

import re
from typing import Sequence

from rapidfuzz import fuzz

from bot.answers.normalize import fold, precheck, words
from bot.answers.numbers import words_to_digits
from bot.answers.result import ParseResult, accept, reject
from bot.answers.stopwords import LABEL_FILLER
from bot.questionnaire.model import Choice

THRESHOLD = 80.0
"""Lowest similarity (0-100) a fuzzy label match must reach."""
MARGIN = 10.0
"""How far the best choice must score above the runner-up."""

_STOP = LABEL_FILLER
_NEGATIONS = frozenset({"not", "no", "non", "pas", "ne", "n", "t", "never", "jamais", "nunca"})
_POINTERS = frozenset(
    {
        "the",
        "one",
        "le",
        "la",
        "l",
        "el",
        "option",
        "choice",
        "number",
        "numero",
        "opcion",
        "choix",
        "reponse",
        "respuesta",
        "answer",
        "n",
        "no",
    }
)
_ORDINALS: dict[str, int] = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "premier": 1,
    "premiere": 1,
    "1er": 1,
    "1ere": 1,
    "deuxieme": 2,
    "seconde": 2,
    "2e": 2,
    "2eme": 2,
    "troisieme": 3,
    "3e": 3,
    "3eme": 3,
    "quatrieme": 4,
    "4e": 4,
    "4eme": 4,
    "cinquieme": 5,
    "5e": 5,
    "5eme": 5,
    "primero": 1,
    "primera": 1,
    "1o": 1,
    "1a": 1,
    "segundo": 2,
    "segunda": 2,
    "2o": 2,
    "2a": 2,
    "tercero": 3,
    "tercera": 3,
    "tercer": 3,
    "3o": 3,
    "3a": 3,
    "cuarto": 4,
    "cuarta": 4,
    "quinto": 5,
    "quinta": 5,
}
_LAST = frozenset({"last", "dernier", "derniere", "ultimo", "ultima"})
_NUMBERED_RE = re.compile(r"^(\d+)\s*[.):-]?\s*(.*)$")


def _alternatives(choice: Choice) -> set[str]:
    """Folded ways to name a choice: each label, each ``/`` part of a label, the code."""
    names = {fold(choice.code.replace("_", " "))}
    for label in choice.label.values():
        names.add(" ".join(words(fold(label))))
        names.update(" ".join(words(fold(part))) for part in label.split("/"))
    return {name for name in names if name}


def _content(tokens: list[str]) -> list[str]:
    """Tokens without stop words."""
    return [t for t in tokens if t not in _STOP]


def _similarity(query: list[str], name: str) -> float:
    """0-100 similarity of the typed words and one choice name, tolerant of typos and order."""
    name_tokens = name.split()
    if bool(set(query) & _NEGATIONS) != bool(set(name_tokens) & _NEGATIONS):
        return 0.0  # "not completed" is not "completed"; "working" is not "not working"
    score = fuzz.ratio(" ".join(query), name)
    query_core, name_core = _content(query), _content(name_tokens)
    if query_core and name_core and sum(map(len, query_core)) >= 3:
        score = max(score, fuzz.token_set_ratio(" ".join(query_core), " ".join(name_core)))
        cover = sum(max(fuzz.ratio(n, q) for q in query_core) for n in name_core)
        # Most typed words must belong to the label too: "what does this mean" is not "man".
        matched = sum(
            1 for q in query_core if max(fuzz.ratio(n, q) for n in name_core) >= THRESHOLD
        )
        if 2 * matched >= len(query_core):
            score = max(score, cover / len(name_core))
    return score


def _fuzzy(choices: Sequence[Choice], tokens: list[str]) -> str | None:
    """The code of the one choice clearly closest to ``tokens``, else ``None``."""
    scored = sorted(
        ((max(_similarity(tokens, n) for n in _alternatives(c)), c.code) for c in choices),
        reverse=True,
    )
    best, code = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return code if best >= THRESHOLD and best - runner_up >= MARGIN else None


def _position(tokens: list[str], text: str, language: str, count: int) -> int | None:
    """The 1-based option number in "2", "two", "option 2", "the second one", "le dernier"."""
    rest = [t for t in tokens if t not in _POINTERS]
    if len(rest) == 1 and rest[0] in _ORDINALS:
        return _ORDINALS[rest[0]]
    if len(rest) == 1 and rest[0] in _LAST:
        return count
    digits = [t for t in words(words_to_digits(text, language)) if t not in _POINTERS]
    if len(digits) == 1 and digits[0].isdigit() and len(digits[0]) < 6:
        return int(digits[0])
    return None


def parse_choice(choices: Sequence[Choice], text: str, language: str) -> ParseResult:
    """The code of the choice the text names.

    Tried in order: the code or a ``/payload`` containing it, a label typed exactly (any
    language, any case or accents), the option number in display order ("2", "2.", "two",
    "the second one"), then a fuzzy label match that must be clear.
    """
    cleaned, failure = precheck(text)
    if failure:
        return failure
    if not choices:
        return reject("not_a_choice")
    codes = {c.code.casefold(): c.code for c in choices}
    bare = cleaned.lstrip("/").strip().casefold()
    if bare in codes:
        return accept(codes[bare])
    if cleaned.startswith("/"):
        named = {codes[t] for t in re.findall(r"\w+", bare) if t in codes}
        if len(named) == 1:
            return accept(named.pop())
    tokens = words(fold(cleaned))
    phrase = " ".join(tokens)
    exact = {c.code for c in choices if phrase in _alternatives(c)}
    if len(exact) == 1:
        return accept(exact.pop())
    numbered = _NUMBERED_RE.match(cleaned)
    if numbered and numbered.group(2):  # "2. Man": trust the label typed after the number
        code = _fuzzy(choices, words(fold(numbered.group(2))))
        return accept(code) if code else reject("not_a_choice", min=1, max=len(choices))
    position = _position(tokens, cleaned, language, len(choices))
    if position is not None:
        if 1 <= position <= len(choices):
            return accept(choices[position - 1].code)
        return reject("not_a_choice", min=1, max=len(choices))
    code = _fuzzy(choices, tokens) if tokens else None
    return accept(code) if code else reject("not_a_choice")
