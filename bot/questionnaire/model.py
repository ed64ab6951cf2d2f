"""Typed model of the questionnaire: waves, questions, choices and skip logic.

The questionnaire file (``bot/questionnaire/questionnaire.yml``) is the single source of truth
for every question: the bot asks from it, the actions validate with it, the database stores its
codes and the research codebook is generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
ANSWER_TYPES: tuple[str, ...] = (
    "choice",
    "yes_no",
    "integer",
    "rating",
    "money",
    "month",
    "duration",
    "text",
)
NUMERIC_TYPES: frozenset[str] = frozenset({"integer", "rating", "money", "duration"})
"""Answer types stored as a number (with bounds in the questionnaire, a number in analyses)."""
PROGRAMME_KEY = "_programme"
"""Skip-logic context key holding the trainee's programme code (module questions read it)."""


class QuestionnaireError(ValueError):
    """The questionnaire file is not valid; the message names the question and the fault."""


Text = Mapping[str, str]


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice question.

    ``examples`` holds typed phrasings per language ("je cherche du travail" for "Looking for
    work") that teach the free-text choice reader (``bot/answers/understand.py``).
    """

    code: str
    label: Text
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def label_in(self, language: str) -> str:
        """The choice label in ``language`` (English when missing)."""
        return self.label.get(language) or self.label["en"]


@dataclass(frozen=True)
class Condition:
    """Skip logic: a question is asked only when this holds for the answers given so far.

    A leaf compares one earlier answer (``code``, or one ``field`` of it, e.g. the ``follow_up``
    of a money answer) with ``in``/``not_in`` lists of values, or ``gte``/``lte`` bounds;
    ``all``/``any`` combine conditions.  A leaf on a question that was not answered (or was
    skipped, or an answer without that ``field``) is false, unless ``missing_ok``: then it is
    true ("unless the trainee said otherwise").
    """

    code: str | None = None
    field: str | None = None
    in_: tuple[Any, ...] | None = None
    not_in: tuple[Any, ...] | None = None
    gte: float | None = None
    lte: float | None = None
    all_: tuple[Condition, ...] = ()
    any_: tuple[Condition, ...] = ()
    missing_ok: bool = False

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """True when the condition holds for ``answers`` (question code → typed value)."""
        if self.all_:
            return all(c.holds(answers) for c in self.all_)
        if self.any_:
            return any(c.holds(answers) for c in self.any_)
        value = answers.get(self.code) if self.code else None
        if self.field is not None:
            value = value.get(self.field) if isinstance(value, Mapping) else None
        if value is None:
            return self.missing_ok
        if self.in_ is not None and value not in self.in_:
            return False
        if self.not_in is not None and value in self.not_in:
            return False
        if self.gte is not None and not (isinstance(value, (int, float)) and value >= self.gte):
            return False
        if self.lte is not None and not (isinstance(value, (int, float)) and value <= self.lte):
            return False
        return True

    def referenced_codes(self) -> set[str]:
        """Every question code this condition reads."""
        codes = {self.code} if self.code else set()
        for child in (*self.all_, *self.any_):
            codes |= child.referenced_codes()
        return codes


@dataclass(frozen=True)
class Question:
    """One question of one wave kind, with its answer type, bounds and wording."""

    code: str
    wave: str
    type: str
    text: Text
    label: Text
    help: Text
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    required: bool = True
    ask_if: Condition | None = None
    identifying: bool = False
    quasi_identifier: bool = False
    sensitive: bool = False
    unit: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    programme: str | None = None
    """Set on a programme module's questions: asked only to that programme's trainees."""

    def text_in(self, language: str) -> str:
        """The question wording in ``language`` (English when missing)."""
        return self.text.get(language) or self.text["en"]

    def help_in(self, language: str) -> str:
        """The explanation shown on "help" in ``language``."""
        return self.help.get(language) or self.help.get("en", "")

    def label_in(self, language: str) -> str:
        """The short variable label (codebook, reports) in ``language``."""
        return self.label.get(language) or self.label["en"]

    def choice(self, code: str) -> Choice | None:
        """The choice with this code, if any."""
        return next((c for c in self.choices if c.code == code), None)

    @property
    def choice_codes(self) -> tuple[str, ...]:
        """Codes of the allowed choices, in display order."""
        return tuple(c.code for c in self.choices)

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """True when skip logic says this question is asked given ``answers``.

        A module question also needs ``answers[PROGRAMME_KEY]`` to be its programme.
        """
        if self.programme is not None and answers.get(PROGRAMME_KEY) != self.programme:
            return False
        return self.ask_if is None or self.ask_if.holds(answers)


@dataclass(frozen=True)
class Wave:
    """A wave kind (baseline, exit, follow-up) with its label."""

    kind: str
    label: Text

    def label_in(self, language: str) -> str:
        """The wave label in ``language``."""
        return self.label.get(language) or self.label["en"]


@dataclass(frozen=True)
class Questionnaire:
    """All waves and questions, in asking order."""

    version: str
    waves: tuple[Wave, ...]
    questions: tuple[Question, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {q.code: q for q in self.questions})

    def question(self, code: str) -> Question:
        """The question with this code; ``KeyError`` when unknown."""
        return self._by_code[code]  # type: ignore[attr-defined]

    def has_question(self, code: str) -> bool:
        """True when a question has this code."""
        return code in self._by_code  # type: ignore[attr-defined]

    def for_wave(self, wave_kind: str) -> tuple[Question, ...]:
        """The questions of a wave kind, in asking order."""
        return tuple(q for q in self.questions if q.wave == wave_kind)

    def wave(self, kind: str) -> Wave:
        """The wave kind with this name."""
        return next(w for w in self.waves if w.kind == kind)
