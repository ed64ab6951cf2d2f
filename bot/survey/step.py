"""A conversation step as a type, and what a reply leads to next.

The ``step`` slot keeps a step as a short string (see :mod:`bot.survey.steps` for the shapes);
:class:`Step` reads that string once so the turn asks "is this a question, and which one?"
instead of slicing prefixes. :class:`Next` is what applying a reply returns: advance to the next
due question, ask a given step, or end the survey loop — never ``""``/``None`` as signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.survey.confirm import CONFIRM_PREFIX
from bot.survey.occupation import PREFIX as OCCUPATION_PREFIX

QUESTION_PREFIX = "q:"
COHORT_PREFIX = "cohort:"


class StepKind(Enum):
    """The kinds of step a conversation can wait at."""

    CONSENT = "consent"
    LANGUAGE = "language"
    PROGRAMME = "programme"
    COHORT = "cohort"
    QUESTION = "question"
    CONFIRM = "confirm"
    OCCUPATION = "occupation"
    CONFIRM_STOP = "confirm_stop"
    CONFIRM_DELETE = "confirm_delete"
    OTHER = "other"


_FIXED = {
    "consent": StepKind.CONSENT,
    "language": StepKind.LANGUAGE,
    "programme": StepKind.PROGRAMME,
    "confirm_stop": StepKind.CONFIRM_STOP,
    "confirm_delete": StepKind.CONFIRM_DELETE,
}


@dataclass(frozen=True)
class Step:
    """One step, as kept in the ``step`` slot (``str(step)`` gives the slot value back)."""

    value: str

    @property
    def kind(self) -> StepKind:
        """What sort of step this is."""
        if self.value in _FIXED:
            return _FIXED[self.value]
        for prefix, kind in (
            (QUESTION_PREFIX, StepKind.QUESTION),
            (CONFIRM_PREFIX, StepKind.CONFIRM),
            (OCCUPATION_PREFIX, StepKind.OCCUPATION),
            (COHORT_PREFIX, StepKind.COHORT),
        ):
            if self.value.startswith(prefix):
                return kind
        return StepKind.OTHER

    @property
    def is_question(self) -> bool:
        """True for ``q:<code>``: a questionnaire question."""
        return self.kind is StepKind.QUESTION

    @property
    def question_code(self) -> str | None:
        """The questionnaire code of a ``q:<code>`` step, else None."""
        return self.value[len(QUESTION_PREFIX) :] if self.is_question else None

    @classmethod
    def question(cls, code: str) -> Step:
        """The step that asks questionnaire question ``code``."""
        return cls(f"{QUESTION_PREFIX}{code}")

    def __str__(self) -> str:
        return self.value


class NextKind(Enum):
    """Where the conversation goes after a reply was applied."""

    ADVANCE = "advance"  # ask whatever the questionnaire says is due next
    ASK = "ask"  # ask this step (again or instead)
    END = "end"  # the survey loop stops (the outcome says why)


@dataclass(frozen=True)
class Next:
    """The explicit result of applying a reply."""

    kind: NextKind
    step: Step | None = None

    @classmethod
    def advance(cls) -> Next:
        """Carry on with the next due question."""
        return cls(NextKind.ADVANCE)

    @classmethod
    def ask(cls, step: str | Step) -> Next:
        """Ask ``step`` next."""
        return cls(NextKind.ASK, step if isinstance(step, Step) else Step(step))

    @classmethod
    def end(cls) -> Next:
        """Stop the survey loop."""
        return cls(NextKind.END)

    @property
    def advances(self) -> bool:
        """True when the next due question is asked."""
        return self.kind is NextKind.ADVANCE
