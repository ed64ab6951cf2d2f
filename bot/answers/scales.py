"""Ratings and frequencies typed in words, read with their negations and intensifiers.

The words live in one table (``bot/answers/rating_words.py``); this module only reads a phrase
with it. A phrase becomes a score from -2 (worst, never) to +2 (best, always), and whether the
reading is sure. A sure reading is stored and echoed; an unsure one ("a bit satisfied", "not
excellent", "maybe good", a typo) is proposed for confirmation; a phrase that cannot be placed,
or a negated phrase that would land above the middle of the scale, is not read at all.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Mapping, Sequence

from rapidfuzz import fuzz

from bot.answers import rating_words as table
from bot.answers.normalize import fold, precheck, words
from bot.answers.result import ParseResult, accept, propose
from bot.questionnaire.model import Choice

LONGEST_PHRASE = 4
"""Most words in one table entry."""
NEGATION_REACH = 3
"""How many other words may stand between a negator and the head it negates."""
TYPO_SIMILARITY = 80.0
"""Lowest similarity (0-100) for a misspelt word to count as a table word (then unsure)."""
TYPO_MARGIN = 8.0
"""A misspelt word close to two table words of different meaning is not read."""

_CLAUSE_RE = re.compile(r"[,.;:!?()\[\]/\n…¿¡]+")
_ROLE_ORDER = ("head", "hedge", "negator", "strengthener", "modifier", "balance", "break")


@dataclass(frozen=True)
class Reading:
    """A phrase's place on a -2..+2 scale; ``negated`` when any negating word was typed."""

    score: float
    sure: bool
    negated: bool


@dataclass(frozen=True)
class _Item:
    """One table entry found in the text, with the role it plays there."""

    role: str
    text: str
    typo: bool = False


LEXICONS: dict[str, Mapping[str, float]] = {
    "satisfaction": table.SATISFACTION,
    "frequency": table.FREQUENCY,
}
"""The head tables a phrase can be read with."""


@cache
def _roles(lexicon: str) -> dict[str, frozenset[str]]:
    """Phrase → the roles it can play when read with the heads of ``lexicon``."""
    roles: dict[str, set[str]] = {}
    groups = {
        "head": LEXICONS[lexicon],
        "negator": table.NEGATORS,
        "strengthener": table.STRENGTHENERS,
        "modifier": table.MODIFIERS,
        "hedge": table.HEDGES,
        "balance": table.BALANCE,
        "break": table.CLAUSE_BREAKS,
    }
    for role, phrases in groups.items():
        for phrase in phrases:
            roles.setdefault(phrase, set()).add(role)
    return {phrase: frozenset(r) for phrase, r in roles.items()}


@cache
def _typo_candidates(lexicon: str) -> tuple[str, ...]:
    """Single head or modifier words long enough to be recognised when misspelt.

    Negators and hedges are never guessed from a misspelling ("ever" is not "never").
    """
    return tuple(
        p
        for p, roles in _roles(lexicon).items()
        if " " not in p and len(p) >= 4 and p.isalpha() and roles <= {"head", "modifier"}
    )


def _meaning(phrase: str, lexicon: str) -> tuple:
    """What a table word does, to tell whether two near spellings mean the same."""
    return (
        LEXICONS[lexicon].get(phrase),
        table.NEGATORS.get(phrase),
        table.MODIFIERS.get(phrase),
        phrase in table.HEDGES,
    )


@lru_cache(maxsize=4096)  # bounded: tokens are whatever trainees type
def _typo(token: str, lexicon: str) -> str | None:
    """The table word ``token`` is a clear misspelling of, if any."""
    if len(token) < 4 or not token.isalpha():
        return None
    scored = sorted(((fuzz.ratio(token, c), c) for c in _typo_candidates(lexicon)), reverse=True)
    if not scored or scored[0][0] < TYPO_SIMILARITY:
        return None
    best_score, best = scored[0]
    for score, other in scored[1:]:
        if score < best_score - TYPO_MARGIN:
            break
        if _meaning(other, lexicon) != _meaning(best, lexicon):
            return None
    return best


def _entries(tokens: list[str], lexicon: str) -> list[tuple[str, frozenset[str], bool]]:
    """(phrase, roles, misspelt) for each table entry in ``tokens``, longest match first."""
    roles = _roles(lexicon)
    found: list[tuple[str, frozenset[str], bool]] = []
    i = 0
    while i < len(tokens):
        for size in range(min(LONGEST_PHRASE, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + size])
            if phrase in roles:
                found.append((phrase, roles[phrase], False))
                i += size
                break
        else:
            corrected = _typo(tokens[i], lexicon)
            if corrected is None:
                found.append((tokens[i], frozenset(), False))
            else:
                found.append((corrected, roles[corrected], True))
            i += 1
    return found


def _items(tokens: list[str], lexicon: str) -> list[_Item]:
    """Entries with one role each: a word that can be a modifier or a head modifies a head."""
    entries = _entries(tokens, lexicon)
    items: list[_Item] = []
    for index, (phrase, roles, typo) in enumerate(entries):
        following = entries[index + 1][1] if index + 1 < len(entries) else frozenset()
        if "head" in roles and roles & {"modifier", "negator"} and "head" in following:
            roles = roles - {"head"}
        role = next((r for r in _ROLE_ORDER if r in roles), "other")
        items.append(_Item(role, phrase, typo))
    return items


def _score_head(
    item: _Item,
    heads: Mapping[str, float],
    modifiers: list[str],
    negation: tuple[float, bool] | None,
    concord: bool,
) -> tuple[float, bool] | None:
    """The score of one head under its modifiers and negation, and whether it is sure."""
    lexical = heads[item.text]
    score, sure = lexical, not item.typo
    kinds = {table.MODIFIERS[m] for m in modifiers}
    if "middle" in kinds:
        score = 0.0
    elif "very" in kinds or ("total" in kinds and negation is None):
        score = math.copysign(min(2.0, abs(score) * 2), score) if score else 0.0
    if "down" in kinds:
        score, sure = math.copysign(min(abs(score), 1.0), score), False
    if negation is None:
        return score, sure
    target, negation_sure = negation
    if "total" in kinds and target > -2:  # "not completely satisfied": in between
        target, negation_sure = 0.0, False
    if "moderate" in kinds or (lexical >= 2 and not kinds & {"very", "total"}):
        negation_sure = False  # "not fairly good", "not excellent": how far down is unclear
    if score > 0:
        return target, sure and negation_sure
    if score < 0:
        return (score, sure) if concord else (0.0, False)  # "not bad": not a clear place
    return None


def _clause(items: list[_Item], heads: Mapping[str, float], concord: bool) -> list[tuple]:
    """(score, sure) of each head of one clause, or of the clause's lone negation."""
    scores: list[tuple[float, bool]] = []
    last_negated: int | None = None
    negation: tuple[float, bool] | None = None
    negation_modified = False  # "not really": a negation followed by an intensifier
    modifiers: list[str] = []
    gap = 0
    for item in items:
        if item.role == "modifier":
            modifiers.append(item.text)
            negation_modified |= negation is not None
            continue
        if (
            item.role == "negator"
            and item.text in table.STRENGTHENERS
            and negation is None
            and last_negated is not None
        ):
            item = _Item("strengthener", item.text)  # "no me gustó nada": after its head
        if item.role == "negator":
            new = table.NEGATORS[item.text]
            negation = new if negation is None or new[0] < negation[0] else negation
            gap = 0
        elif item.role == "strengthener":
            if negation is not None:
                negation = (-2.0, True)
            elif last_negated is not None and scores[last_negated][0] < 0:
                scores[last_negated] = (-2.0, scores[last_negated][1])  # "not useful at all"
        elif item.role == "head":
            scored = _score_head(item, heads, modifiers, negation, concord)
            if scored is not None:
                last_negated = len(scores) if negation is not None else last_negated
                scores.append(scored)
            negation, negation_modified, gap = None, False, 0
        elif negation is not None:
            gap += 1
            if gap > NEGATION_REACH:
                negation, negation_modified = None, False
        modifiers = []
    if not scores and negation is not None:
        lone = _lone(negation, negation_modified)
        return [lone] if lone else []
    if any(i.role == "balance" for i in items) and (
        not scores or {math.copysign(1, s) for s, _ in scores if s} == {1.0, -1.0}
    ):
        return [(0.0, bool(scores))]
    return scores


def _lone(negation: tuple[float, bool], modified: bool) -> tuple[float, bool] | None:
    """A negation with no head: "not at all" is the bottom, "not really" one step up."""
    if negation[0] <= -2:
        return (-2.0, False)
    return (-1.0, False) if modified else None


def read_scale(
    text: str, lexicon: str = "satisfaction", *, concord: bool = False
) -> Reading | None:
    """Where ``text`` sits on a -2..+2 scale read with the heads of ``lexicon``, if anywhere.

    ``concord`` reads a negated negative word as itself ("je ne l'utilise jamais" is never),
    as for frequencies; otherwise "not bad" is an unsure middle.
    """
    heads = LEXICONS[lexicon]
    folded = fold(text)
    results: list[tuple[float, bool]] = []
    hedged = negated = False
    for piece in _CLAUSE_RE.split(folded):
        items = _items(words(piece), lexicon)
        clause: list[_Item] = []
        for item in items + [_Item("break", "")]:
            hedged |= item.role == "hedge"
            negated |= item.role == "negator" or (
                item.role in ("head", "hedge")
                and any(w in table.NEGATORS for w in item.text.split())
            )
            if item.role == "break":
                results += _clause(clause, heads, concord)
                clause = []
            else:
                clause.append(item)
    if not results:
        return None
    values = {score for score, _ in results}
    sure = all(s for _, s in results) and not hedged and len(values) == 1
    score = sum(score for score, _ in results) / len(results)
    return Reading(score=score, sure=sure, negated=negated)


def without_heads(text: str, lexicon: str = "satisfaction") -> str:
    """``text`` (folded) without its scale words, e.g. to look for a rating number in the rest.

    "entre les deux" has no number left in it; "tres bien" typed in Spanish keeps its "tres".
    """
    pieces = (
        " ".join(i.text for i in _items(words(piece), lexicon) if i.role != "head")
        for piece in _CLAUSE_RE.split(fold(text))
    )
    return ", ".join(p for p in pieces if p)


def has_negation(text: str) -> bool:
    """True when any negating word or phrase of the table is in ``text``."""
    tokens = words(fold(text))
    padded = f" {' '.join(tokens)} "
    return any(f" {phrase} " in padded for phrase in table.NEGATORS)


def _toward_middle(score: float) -> float:
    """``score`` rounded to a whole step, halves toward 0 (1.5 → 1, -0.5 → 0)."""
    return math.copysign(math.floor(abs(score) + 0.5 - 1e-9), score) if score else 0.0


def rating_from_words(text: str, minimum: int, maximum: int) -> ParseResult | None:
    """A scale point named in words: stored and echoed when sure, else proposed.

    ``None`` when no rating words are found, or when a negated phrase would land above the
    middle of the scale (so "not P" is never read as praise).
    """
    reading = read_scale(text, "satisfaction")
    if reading is None:
        return None
    step = _toward_middle(reading.score)
    if reading.negated and step > 0:
        return None
    wide = maximum - minimum >= 4
    middle = (minimum + maximum) / 2
    points = {
        2.0: maximum,
        1.0: maximum - 1 if wide else maximum,
        0.0: int(middle) if middle.is_integer() else None,
        -1.0: minimum + 1 if wide else minimum,
        -2.0: minimum,
    }
    point = points[step]
    if point is None:
        return None
    if reading.sure and step == reading.score:
        return accept(point, echo=True)
    return propose(point)


def _frequency_points(choices: Sequence[Choice]) -> dict[float, str] | None:
    """Score → choice code when every choice is a frequency (often/sometimes/never...)."""
    if len(choices) < 2 or any(c.code not in table.FREQUENCY_CODES for c in choices):
        return None
    return {float(table.FREQUENCY_CODES[c.code]): c.code for c in choices}


def parse_frequency(choices: Sequence[Choice], text: str) -> ParseResult | None:
    """A frequency choice read from words ("not often", "pas souvent", "all the time").

    ``None`` when the question is not a frequency scale, the text is a code, a payload or a
    label as shown, or no frequency words are found: the ordinary choice parser then reads it.
    """
    points = _frequency_points(choices)
    if points is None:
        return None
    cleaned, failure = precheck(text)
    if failure or cleaned.startswith("/") or any(ch.isdigit() for ch in cleaned):
        return None
    phrase = " ".join(words(fold(cleaned)))
    names = {fold(c.code.replace("_", " ")) for c in choices}
    names |= {" ".join(words(fold(label))) for c in choices for label in c.label.values()}
    if phrase in names:
        return None
    reading = read_scale(cleaned, "frequency", concord=True)
    if reading is None:
        return None
    scores = sorted(points)
    middle = 0.0
    if reading.score >= scores[-1]:
        score, exact = scores[-1], True
    elif reading.score <= scores[0]:
        score, exact = scores[0], True
    else:
        score = min(scores, key=lambda s: (abs(s - reading.score), abs(s - middle)))
        exact = score == reading.score
    if reading.negated and score > middle:
        return None
    if reading.sure and exact:
        return accept(points[score], echo=True)
    return propose(points[score])
