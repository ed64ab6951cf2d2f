"""Disclosure-control rules of a research export, with defaults derived from the questionnaire.

Rules can be given as a mapping (or a YAML file) overriding any default; see ``docs/export.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, Mapping

import yaml

from bot.questionnaire.model import Questionnaire

DATE_GRAINS = ("month", "quarter", "year")


class RulesError(ValueError):
    """A disclosure-control rule is malformed; the message names the rule."""


@dataclass(frozen=True)
class Rules:
    """Every knob of the anonymisation pipeline.

    ``quasi_identifiers`` name output variables (after generalisation) checked for k-anonymity;
    ``suppression_priority`` orders them for local suppression (first = suppressed first when
    several choices need the same number of cells).
    """

    k: int = 5
    max_suppression: float = 0.05
    age_band_width: int = 5
    age_floor: int = 15
    age_top: int = 60
    cohort_date_grain: str = "quarter"
    job_start_grain: str = "year"
    rare_region_label: str = "Other"
    merge_rare_choices: bool = True
    top_code_percentile: float = 99.0
    band_earnings: bool = False
    earnings_bands: int = 5
    l_diversity_variable: str | None = "fu_earnings"
    l_diversity_l: int = 2
    include_free_text: bool = False
    reference_date: date | None = None
    quasi_identifiers: tuple[str, ...] = ()
    choice_quasi_identifiers: tuple[str, ...] = ()
    sensitive_money: tuple[str, ...] = ()
    free_text: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    suppression_priority: tuple[str, ...] = field(default_factory=tuple)

    def with_overrides(self, **changes: Any) -> Rules:
        """A copy with some rules changed (CLI options, tests)."""
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """The rules as plain data (for the disclosure-risk report)."""
        result = {}
        for item in fields(self):
            value = getattr(self, item.name)
            result[item.name] = list(value) if isinstance(value, tuple) else value
        if self.reference_date is not None:
            result["reference_date"] = self.reference_date.isoformat()
        return result


def default_rules(questionnaire: Questionnaire) -> Rules:
    """Rules derived from the questionnaire's ``quasi_identifier``/``sensitive``/``identifying``.

    Birth year becomes ``age_band``; month questions become period variables; choice
    quasi-identifiers keep their code; free-text questions are dropped by default.
    """
    renamed = {"bl_sex": "sex"}
    choice_qis = tuple(
        renamed.get(q.code, q.code)
        for q in questionnaire.questions
        if q.quasi_identifier and q.type == "choice"
    )
    money = tuple(q.code for q in questionnaire.questions if q.sensitive and q.type == "money")
    free_text = tuple(q.code for q in questionnaire.questions if q.type == "text")
    dropped = tuple(q.code for q in questionnaire.questions if q.identifying and q.type != "text")
    month_qis = tuple(
        q.code for q in questionnaire.questions if q.quasi_identifier and q.type == "month"
    )
    qis = ("age_band", *choice_qis, "region", "cohort_start", "cohort_end", *month_qis)
    priority = (*month_qis, "age_band", "cohort_end", "cohort_start", "region", *choice_qis)
    return Rules(
        quasi_identifiers=qis,
        choice_quasi_identifiers=choice_qis,
        sensitive_money=money,
        free_text=free_text,
        dropped=dropped,
        suppression_priority=priority,
    )


def _coerce(name: str, value: Any, current: Any) -> Any:
    if isinstance(current, tuple) or name in {"quasi_identifiers", "suppression_priority"}:
        if not isinstance(value, (list, tuple)):
            raise RulesError(f"rule '{name}' must be a list")
        return tuple(str(v) for v in value)
    if name == "reference_date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def rules_from_mapping(base: Rules, overrides: Mapping[str, Any]) -> Rules:
    """``base`` with the keys of ``overrides`` applied; unknown keys are an error."""
    known = {item.name: item for item in fields(Rules)}
    changes = {}
    for name, value in overrides.items():
        if name not in known:
            raise RulesError(f"unknown rule '{name}' (known: {', '.join(sorted(known))})")
        changes[name] = _coerce(name, value, getattr(base, name))
    rules = replace(base, **changes)
    validate(rules)
    return rules


def rules_from_file(base: Rules, path: Path | str) -> Rules:
    """``base`` overridden by the mapping in a YAML file."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise RulesError(f"cannot read rules file {path}: {error}") from error
    if not isinstance(raw, Mapping):
        raise RulesError(f"rules file {path} must hold a mapping of rule → value")
    return rules_from_mapping(base, raw)


def validate(rules: Rules) -> None:
    """Raise :class:`RulesError` when a rule is out of range."""
    if rules.k < 1:
        raise RulesError("k must be at least 1")
    if not 0 <= rules.max_suppression <= 1:
        raise RulesError("max_suppression must be a share between 0 and 1")
    if rules.age_band_width < 1:
        raise RulesError("age_band_width must be at least 1")
    for name in ("cohort_date_grain", "job_start_grain"):
        if getattr(rules, name) not in DATE_GRAINS:
            raise RulesError(f"{name} must be one of {', '.join(DATE_GRAINS)}")
    if not 50 <= rules.top_code_percentile <= 100:
        raise RulesError("top_code_percentile must be between 50 and 100")
