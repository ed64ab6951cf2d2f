"""The working table of an export: values, per-cell missing reasons and variable metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

Labels = dict[str, str]


def labels(en: str, fr: str | None = None, es: str | None = None) -> Labels:
    """A label in English, French and Spanish (English used where a translation is missing)."""
    return {"en": en, "fr": fr or en, "es": es or en}


@dataclass
class Variable:
    """One output variable and what the codebook says about it."""

    name: str
    kind: str  # categorical | numeric | string
    label: Labels
    source: str | None = None
    wave: str | None = None
    unit: str | None = None
    question_type: str | None = None
    categories: list[tuple[str, Labels]] = field(default_factory=list)
    recoding: list[str] = field(default_factory=list)
    ordered: bool = False
    per_wave: bool = False

    def category_codes(self) -> list[str]:
        """Codes of the categories, in order."""
        return [code for code, _ in self.categories]

    def add_category(self, code: str, label: Labels) -> None:
        """Add a category (e.g. "other" for merged rare values) unless present."""
        if code not in self.category_codes():
            self.categories.append((code, label))

    def as_dict(self) -> dict[str, Any]:
        """The codebook entry as plain data."""
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "question": self.source,
            "question_type": self.question_type,
            "wave": self.wave,
            "unit": self.unit,
            "values": [
                {"code": code, "stata_code": index + 1, "label": text}
                for index, (code, text) in enumerate(self.categories)
            ],
            "recoding": list(self.recoding),
            "per_wave": self.per_wave,
        }


@dataclass
class Table:
    """Values (NA when missing), reason codes (0 present … 3 suppressed) and variables."""

    data: pd.DataFrame
    reason: pd.DataFrame
    variables: dict[str, Variable]

    def add(self, variable: Variable, values: pd.Series, reason: pd.Series) -> None:
        """Add (or replace) a column."""
        self.variables[variable.name] = variable
        self.data[variable.name] = values
        self.reason[variable.name] = reason.astype("int8")

    def drop(self, name: str) -> None:
        """Remove a column."""
        self.variables.pop(name, None)
        self.data.drop(columns=[name], inplace=True, errors="ignore")
        self.reason.drop(columns=[name], inplace=True, errors="ignore")


def table_from_columns(
    columns: list[tuple[Variable, pd.Series, pd.Series]], index: pd.Index
) -> Table:
    """Build a :class:`Table` in one go (avoids fragmenting a frame column by column)."""
    data = pd.DataFrame({v.name: values for v, values, _ in columns}, index=index)
    reason = pd.DataFrame({v.name: r.astype("int8") for v, _, r in columns}, index=index)
    return Table(data, reason, {v.name: v for v, _, _ in columns})
