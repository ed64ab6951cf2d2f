"""Small builders of ``Question`` objects for the answer-parser tests."""

from __future__ import annotations

from typing import Any

from bot.questionnaire.model import Choice, Question


def _text(en: str) -> dict[str, str]:
    return {"en": en, "fr": en, "es": en}


def question(kind: str, code: str = "q_test", **fields: Any) -> Question:
    """A question of answer type ``kind`` with throwaway wording; ``fields`` override the rest."""
    return Question(
        code=code,
        wave="followup",
        type=kind,
        text=_text(f"{kind}?"),
        label=_text(code),
        help=_text("help"),
        **fields,
    )


def choices(*rows: tuple[str, str, str, str]) -> tuple[Choice, ...]:
    """Choices from ``(code, en, fr, es)`` rows, in display order."""
    return tuple(Choice(code=c, label={"en": en, "fr": fr, "es": es}) for c, en, fr, es in rows)


SEX = choices(
    ("female", "Woman", "Femme", "Mujer"),
    ("male", "Man", "Homme", "Hombre"),
    (
        "other",
        "Other / prefer not to say",
        "Autre / je préfère ne pas répondre",
        "Otro / prefiero no decir",
    ),
)
COMPLETED = choices(
    ("completed", "Completed", "Terminée", "Terminada"),
    ("dropped_out", "Dropped out", "Abandonnée", "La dejé"),
)
ACTIVITY = choices(
    ("wage_employed", "Employed for a wage", "Salarié·e", "Empleado/a asalariado/a"),
    (
        "self_employed",
        "Self-employed / own business",
        "À mon compte / entreprise",
        "Por cuenta propia / negocio",
    ),
    ("studying", "Studying", "Études", "Estudiando"),
    ("looking", "Looking for work", "À la recherche d'un emploi", "Buscando trabajo"),
    (
        "not_working",
        "Not working and not looking",
        "Ni en emploi ni en recherche",
        "No trabaja ni busca",
    ),
)
