"""ISCO-08 unit groups (4-digit occupation codes) in en/fr/es, and a search over their titles.

The titles and the synonyms trainees type ("okada", "couturière", "plomero") ship as data in
``bot/occupations/isco08.tsv`` (its header names the source). :func:`propose` finds the unit
groups closest to a typed job title or description, for the trainee to confirm
(``bot/survey/occupation.py``) or an officer to code (``tracer occupations``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.answers.normalize import fold
from bot.answers.understand import PhraseIndex, prepare

DATA = Path(__file__).with_name("isco08.tsv")
LANGUAGES = ("en", "fr", "es")
TYPO_WEIGHT = 0.9
"""A word matched only as a typo ("electrision") counts this much of a true match."""


@dataclass(frozen=True)
class UnitGroup:
    """One ISCO-08 unit group: its code, titles per language and typed synonyms."""

    code: str
    titles: dict[str, str]
    synonyms: tuple[str, ...]

    def title_in(self, language: str) -> str:
        """The title in ``language`` (English when missing)."""
        return self.titles.get(language) or self.titles["en"]


def read_unit_groups(path: Path = DATA) -> tuple[UnitGroup, ...]:
    """The unit groups of the data file; ``ValueError`` names a malformed line."""
    groups: list[UnitGroup] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (4, 5) or not (fields[0].isdigit() and len(fields[0]) == 4):
            raise ValueError(f"{path.name}:{number}: expected code, en, fr, es[, synonyms]")
        synonyms = tuple(s.strip() for s in (fields[4] if len(fields) == 5 else "").split("|"))
        groups.append(
            UnitGroup(
                code=fields[0],
                titles=dict(zip(LANGUAGES, (f.strip() for f in fields[1:4]), strict=True)),
                synonyms=tuple(s for s in synonyms if s),
            )
        )
    return tuple(groups)


class OccupationIndex:
    """Fuzzy and token search over unit-group titles and synonyms."""

    def __init__(self, groups: tuple[UnitGroup, ...]) -> None:
        self.groups = {group.code: group for group in groups}
        phrases = [
            (group.code, text)
            for group in groups
            for text in (*group.titles.values(), *group.synonyms)
        ]
        self._index = PhraseIndex(phrases)
        words: dict[str, set[str]] = {}
        for code, text in phrases:
            for word in prepare(text).split():
                if len(word) >= 4:
                    words.setdefault(word, set()).add(code)
        self._words = words
        self._vocabulary = list(words)

    def _spelled(self, text: str) -> str:
        """``text`` with each unknown word replaced by the closest known one (typos)."""
        fixed = []
        for word in prepare(text).split():
            if word in self._words or len(word) < 4:
                fixed.append(word)
                continue
            match = process.extractOne(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=75)
            fixed.append(match[0] if match else word)
        return " ".join(fixed)

    def propose(self, text: str, limit: int = 3) -> list[tuple[str, float]]:
        """Up to ``limit`` ``(code, score 0–1)`` for a typed job title, best first."""
        ranked = dict(self._index.rank(text, limit=limit * 2))
        spelled = self._spelled(text)
        if spelled != prepare(text):
            for code, score in self._index.rank(spelled, limit=limit * 2):
                ranked[code] = max(ranked.get(code, 0.0), TYPO_WEIGHT * score)
        return sorted(ranked.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def title(self, code: str, language: str) -> str:
        """The unit-group title in ``language``; the code itself when unknown."""
        group = self.groups.get(code)
        return group.title_in(language) if group else code


@lru_cache(maxsize=1)
def default_index() -> OccupationIndex:
    """The index over the shipped ISCO-08 data, built once per process."""
    return OccupationIndex(read_unit_groups())


def folded(text: str) -> str:
    """Case- and accent-free text, for comparing typed titles."""
    return fold(text)
