"""Choice answers described in free text ("je cherche du travail" → ``unemployed_looking``).

Each choice of the questionnaire may carry example phrasings per language (``examples:`` in
``bot/questionnaire/questionnaire.yml``). For every choice question a small classifier is trained
from its labels and examples when the action server starts (:func:`train_readers`), or the first
time the question is read (no download, no model file):
TF-IDF vectors of character 3–5-grams (typos, accents, word endings) and word uni/bigrams
(a word after a negation is marked: "not_working"), and the cosine similarity of the typed
description with the nearest phrasing of each choice. The best choice's similarity, and its
lead over the runner-up, say how sure the reading is (a scikit-learn logistic regression was
tried first: as good on the held-out set, but sure of itself on nonsense like "banana" → a
choice, and several ms a message instead of well under 1 ms):

- at least :data:`ACCEPT` → the answer is stored and echoed ("Noted: 'Looking for work'");
- at least :data:`CONFIRM` → the trainee is asked "I understood 'Looking for work' — is that
  right?" (Yes/No) before anything is stored;
- below → the question is asked again.

Thresholds were chosen on the examples (leave-one-out) and on off-topic messages ("help",
"banana", "merci"), then checked on a held-out test set (``bench/bench_choices.py``).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Iterable, Sequence

from bot.answers.normalize import fold, words
from bot.answers.result import ParseResult, propose, reject
from bot.answers.stopwords import DESCRIPTION_FILLER
from bot.answers.yes_no import parse_yes_no
from bot.questionnaire.model import Choice

ACCEPT = 0.45
"""Lowest similarity (0–1) of the best choice that is stored straight away (with an echo)."""
CONFIRM = 0.30
"""Lowest similarity that is offered for confirmation; below it the question is asked again."""
MARGIN = 0.10
"""An accepted reading must beat the runner-up by this much, or it is only proposed."""
MAX_WORDS = 30
"""Longer messages are not read as a choice (they are rarely a description of one)."""

_STOP = DESCRIPTION_FILLER
_NEGATIONS = frozenset({"not", "no", "non", "pas", "ne", "n", "never", "jamais", "nunca", "t"})


def prepare(text: str) -> str:
    """The folded content words of ``text``; the word after a negation is marked ("not_working").

    Function words ("I", "je", "el") are dropped: they say nothing about the choice and only
    dilute the similarity of a long description.
    """
    tokens = words(fold(text))
    marked: list[str] = []
    negate = False
    for token in tokens:
        if token in _STOP and token not in _NEGATIONS:
            continue
        if token in _NEGATIONS:
            negate = True
            marked.append(token)
            continue
        marked.append(f"not_{token}" if negate else token)
        negate = False
    return " ".join(marked)


@dataclass(frozen=True)
class Reading:
    """The best choice for a description, its similarity (0–1) and lead over the runner-up."""

    code: str
    confidence: float
    margin: float


def features(prepared: str) -> dict[str, float]:
    """L2-normalised sublinear counts of word uni/bigrams and character 3–5-grams of words."""
    tokens = prepared.split()
    counts: dict[str, int] = {}
    grams = [f"w:{t}" for t in tokens]
    grams += [f"b:{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    for token in tokens:
        padded = f" {token} "
        for size in (3, 4, 5):
            grams.extend(padded[i : i + size] for i in range(max(1, len(padded) - size + 1)))
    for gram in grams:
        counts[gram] = counts.get(gram, 0) + 1
    return {gram: 1.0 + math.log(count) for gram, count in counts.items()}


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {k: v / norm for k, v in vector.items()}


class PhraseIndex:
    """Codes found by the TF-IDF cosine similarity of a text with each code's phrasings.

    Used for the choices of one question (:class:`ChoiceReader`) and for occupation titles
    (``bot/occupations/isco.py``).
    """

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        prepared = {(code, p) for code, text in phrases for p in [prepare(text)] if p}
        rows = sorted(prepared)
        raw = [features(p) for _, p in rows]
        frequency: dict[str, int] = {}
        for vector in raw:
            for gram in vector:
                frequency[gram] = frequency.get(gram, 0) + 1
        total = len(raw) + 1
        self._idf = {g: math.log(total / (1 + n)) + 1.0 for g, n in frequency.items()}
        self._unseen = max(self._idf.values(), default=1.0)
        self._owners = [code for code, _ in rows]
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for row, vector in enumerate(raw):
            weighted = _normalised({g: w * self._idf[g] for g, w in vector.items()})
            for gram, weight in weighted.items():
                self._postings.setdefault(gram, []).append((row, weight))

    def rank(self, text: str, limit: int = 3) -> list[tuple[str, float]]:
        """Up to ``limit`` ``(code, similarity)``, best first (similarity of the best phrasing)."""
        prepared = prepare(text)
        if not prepared or len(prepared.split()) > MAX_WORDS:
            return []
        vector = features(prepared)
        # n-grams never seen in training still count in the norm: unknown words dilute.
        query = _normalised({g: w * self._idf.get(g, self._unseen) for g, w in vector.items()})
        scores: dict[int, float] = {}
        for gram, weight in query.items():
            for row, other in self._postings.get(gram, ()):
                scores[row] = scores.get(row, 0.0) + weight * other
        best: dict[str, float] = {}
        for row, score in scores.items():
            code = self._owners[row]
            best[code] = max(best.get(code, 0.0), score)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]


class ChoiceReader:
    """The nearest phrasing among one question's choice labels and examples."""

    def __init__(self, choices: Sequence[Choice]) -> None:
        phrases: list[tuple[str, str]] = []
        for choice in choices:
            texts = set(choice.label.values())
            texts.update(part for label in choice.label.values() for part in label.split("/"))
            for examples in choice.examples.values():
                texts.update(examples)
            phrases.extend((choice.code, text) for text in texts)
        self.trained = any(c.examples for c in choices)
        self._index = PhraseIndex(phrases)

    def read(self, text: str) -> Reading | None:
        """The choice of the most similar phrasing, or ``None`` when nothing is similar."""
        ranked = self._index.rank(text, limit=2) if self.trained else []
        if not ranked:
            return None
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return Reading(ranked[0][0], ranked[0][1], ranked[0][1] - runner_up)


_readers: dict[tuple, ChoiceReader] = {}
_lock = threading.Lock()


def reader_for(choices: Sequence[Choice]) -> ChoiceReader:
    """The (cached) reader of a question's choices; trained on first use."""
    key = tuple((c.code, tuple(sorted(c.label.items())), id(c.examples)) for c in choices)
    reader = _readers.get(key)
    if reader is None:
        with _lock:
            reader = _readers.get(key)
            if reader is None:
                reader = _readers[key] = ChoiceReader(choices)
    return reader


def understand_choice(choices: Sequence[Choice], text: str) -> ParseResult:
    """A choice read from a free description: accepted with an echo, proposed, or rejected.

    Both outcomes that carry a choice have ``details["free_text"]``: the survey turn lets a
    confident control intent ("help", "stop") win over such a reading, never over a label.
    "I don't know" / "je ne sais pas" is not a description of any choice.
    """
    if parse_yes_no(text).details.get("unsure"):
        return reject("not_a_choice")
    reading = reader_for(choices).read(text)
    if reading is None or reading.confidence < CONFIRM:
        return reject("not_a_choice")
    if reading.confidence >= ACCEPT and reading.margin >= MARGIN:
        return ParseResult(ok=True, value=reading.code, echo=True, details={"free_text": True})
    return propose(reading.code, confidence=round(reading.confidence, 2), free_text=True)


def train_readers(choice_sets: Iterable[Sequence[Choice]]) -> int:
    """Train the readers of these questions' choices now (at load time); how many have examples."""
    return sum(reader_for(choices).trained for choices in choice_sets)
