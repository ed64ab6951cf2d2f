"""The anonymisation pipeline: source → generalise → k-anonymity → (long) → release.

:func:`anonymise` is the one entry point used by ``tracer export`` and by any report that
needs row-level data: nothing leaves it without pseudonyms, generalisation and suppression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Sequence

import numpy as np
import pandas as pd

from analytics.anonymise.build import build_table
from analytics.anonymise.config import Rules, default_rules
from analytics.anonymise.generalise import quantile_bands
from analytics.anonymise.kanon import class_keys, enforce_k, l_diversity, match_counts
from analytics.anonymise.layout import to_long
from analytics.anonymise.source import PRESENT, REASONS, SUPPRESSED, load_source
from analytics.anonymise.table import Table
from bot.questionnaire.loader import default_questionnaire
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.waves import all_waves
from bot.survey.windows import DEFAULT_GRACE_DAYS, DEFAULT_WINDOW_MONTHS

DEFAULT_WAVES = tuple(all_waves())
LAYOUTS = ("wide", "long")
_WAVE_RE = re.compile(r"^(baseline|exit|followup_\d{1,3})$")


class ExportRefusedError(RuntimeError):
    """The export cannot be made safely (or at all); the message says why and what to try."""


@dataclass
class Release:
    """An anonymised data set with its codebook and disclosure-risk summary."""

    programme: str
    layout: str
    waves: tuple[str, ...]
    table: Table
    risk: dict[str, Any]
    rules: Rules
    generated_at: str = field(
        default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds")
    )

    def frame(self) -> pd.DataFrame:
        """The microdata as analysts see it in CSV/Parquet (see ``docs/export.md``)."""
        return render(self.table)


def render(table: Table) -> pd.DataFrame:
    """Values with missing reasons: ``.skipped``/``.not_asked``/``.suppressed`` in categorical
    columns, empty in numeric and string columns."""
    columns = {}
    for name, variable in table.variables.items():
        values, reason = table.data[name], table.reason[name]
        if variable.kind == "categorical":
            text = values.astype(object).where(reason == PRESENT)
            for code, token in REASONS.items():
                text = text.where(reason != code, f".{token}")
            columns[name] = text.where(text.notna(), ".not_asked")
        elif variable.kind == "numeric":
            columns[name] = pd.to_numeric(values, errors="coerce").where(reason == PRESENT)
        else:
            columns[name] = values.astype(object).where(reason == PRESENT)
    return pd.DataFrame(columns, index=table.data.index)


def parse_waves(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """Wave ids from ``"baseline,exit"`` (default: all standard waves); ValueError if unknown."""
    if text is None:
        return DEFAULT_WAVES
    items = text.split(",") if isinstance(text, str) else list(text)
    waves = tuple(dict.fromkeys(item.strip() for item in items if item.strip()))
    bad = [wave for wave in waves if not _WAVE_RE.match(wave)]
    if bad or not waves:
        raise ValueError(
            f"unknown wave(s) {', '.join(bad) or '(none)'}: use baseline, exit, followup_6, "
            "followup_12 …"
        )
    return waves


def quasi_identifier_columns(table: Table, rules: Rules) -> list[str]:
    """The table columns checked for k-anonymity (month rules expand to one column per wave)."""
    result = []
    for name in rules.quasi_identifiers:
        if name in table.variables:
            result.append(name)
        result += [
            c
            for c, v in table.variables.items()
            if v.per_wave
            and v.source == name
            and c not in result
            and v.kind == "categorical"
            and not c.endswith("_cur")
        ]
    return result


def _qi_frame(table: Table, columns: list[str]) -> pd.DataFrame:
    frame = {}
    for name in columns:
        values = table.data[name].astype(object)
        reason = table.reason[name]
        for code, token in REASONS.items():
            values = values.where(reason != code, f".{token}")
        frame[name] = values.where(values.notna(), ".not_asked")
    return pd.DataFrame(frame, index=table.data.index)


def _apply_suppression(table: Table, mask: pd.DataFrame) -> dict[str, int]:
    counts = {}
    for name in mask.columns:
        cells = mask[name].to_numpy(bool)
        counts[name] = int(cells.sum())
        if counts[name]:
            table.data.loc[cells, name] = pd.NA
            table.reason.loc[cells, name] = SUPPRESSED
    return counts


def _l_diversity_report(
    table: Table, qis: pd.DataFrame, mask: pd.DataFrame, rules: Rules
) -> list[dict[str, Any]]:
    if not rules.l_diversity_variable:
        return []
    classes = qis.where(~mask, ".suppressed")
    results = []
    for name, variable in table.variables.items():
        if variable.source != rules.l_diversity_variable or variable.kind != "numeric":
            continue
        band = table.data.get(f"{name}_band")
        if band is None:
            band = quantile_bands(table.data[name], table.data[f"{name}_cur"], rules.earnings_bands)
        sensitive = band.where(table.reason[name] == PRESENT)
        distinct = l_diversity(classes, sensitive)
        holders = distinct[distinct > 0]
        below = holders[holders < rules.l_diversity_l]
        keys = class_keys(classes)
        results.append(
            {
                "variable": name,
                "measured_on": f"{rules.earnings_bands} earnings bands within currency",
                "l_required": rules.l_diversity_l,
                "classes_with_values": int(len(holders)),
                "min_l": int(holders.min()) if len(holders) else None,
                "classes_below_l": int(len(below)),
                "records_in_classes_below_l": int(keys.isin(below.index).sum()),
            }
        )
    return results


@dataclass
class _Suppression:
    """What reaching k took: the quasi-identifiers, the cells blanked and how many records."""

    qis: pd.DataFrame
    mask: pd.DataFrame
    passes: int
    records: int
    share: float
    counts: dict[str, int]
    cells: dict[str, int]


def _refuse_small(programme: str, n_records: int, rules: Rules) -> None:
    if n_records == 0:
        raise ExportRefusedError(f"programme '{programme}' has no trainees (check the code)")
    if n_records < rules.k:
        raise ExportRefusedError(
            f"programme '{programme}' has {n_records} trainee(s): k={rules.k} needs at least "
            f"{rules.k}; nothing can be released"
        )


def _suppress(table: Table, qi_columns: list[str], rules: Rules, n_records: int) -> _Suppression:
    """Blank quasi-identifiers in ``table`` until k holds, or refuse if that takes too many."""
    qis = _qi_frame(table, qi_columns)
    priority = [
        c
        for name in rules.suppression_priority
        for c in qi_columns
        if c == name or table.variables[c].source == name
    ]
    result = enforce_k(qis, rules.k, priority)
    mask = result.suppressed
    records_suppressed = int(mask.any(axis=1).sum())
    share = records_suppressed / n_records
    if share > rules.max_suppression:
        raise ExportRefusedError(
            f"reaching k={rules.k} would suppress quasi-identifiers of {records_suppressed} of "
            f"{n_records} trainees ({share:.1%} > the allowed {rules.max_suppression:.1%}); "
            "nothing was written. Try coarser rules (e.g. cohort_date_grain: year), fewer "
            "waves, a lower --k or a higher --max-suppression."
        )
    other_suppressed = {
        name: int((table.reason[name] == SUPPRESSED).sum()) for name in table.variables
    }
    counts = _apply_suppression(table, mask)
    cells = {name: other_suppressed.get(name, 0) + counts.get(name, 0) for name in table.variables}
    return _Suppression(qis, mask, result.passes, records_suppressed, share, counts, cells)


def _risk_summary(
    table: Table,
    done: _Suppression,
    rules: Rules,
    qi_columns: list[str],
    facts: dict[str, Any],
    outside_window: Any,
) -> dict[str, Any]:
    """The disclosure-risk summary written next to the release (``facts`` lead the keys)."""
    qis, mask = done.qis, done.mask
    sizes = match_counts(qis.where(~mask), mask)
    free_text = [n for n, v in table.variables.items() if v.kind == "string" and n != "pid"]
    return {
        **facts,
        "k_required": rules.k,
        "k_achieved": int(sizes.min()) if len(sizes) else 0,
        "quasi_identifiers": qi_columns,
        "equivalence_classes": int(qis.where(~mask, ".suppressed").drop_duplicates().shape[0]),
        "greedy_passes": done.passes,
        "records_with_suppressed_quasi_identifiers": done.records,
        "share_records_suppressed": round(done.share, 6),
        "max_suppression": rules.max_suppression,
        "cells_suppressed_total": int(sum(done.cells.values())),
        "cells_suppressed": {name: n for name, n in done.cells.items() if n},
        "quasi_identifier_cells_suppressed": done.counts,
        "l_diversity": _l_diversity_report(table, qis, mask, rules),
        "free_text_included": free_text,
        "recoding": {n: v.recoding for n, v in table.variables.items() if v.recoding},
        "rules": rules.as_dict(),
        "outside_fieldwork_window": outside_window,
    }


def _laid_out(
    table: Table, layout: str, wave_ids: tuple[str, ...], responded: pd.DataFrame
) -> Table:
    """Rows sorted by pseudonym, then in the wide (one row per trainee) or long layout."""
    order = np.argsort(table.data["pid"].to_numpy(str), kind="stable")
    table = Table(table.data.iloc[order], table.reason.iloc[order], table.variables)
    if layout == "long":
        return to_long(table, wave_ids, responded.loc[table.data.index])
    return Table(
        table.data.reset_index(drop=True), table.reason.reset_index(drop=True), table.variables
    )


def anonymise(
    database_url: str,
    programme: str,
    *,
    secret: str,
    waves: Sequence[str] | None = None,
    layout: str = "wide",
    rules: Rules | None = None,
    questionnaire: Questionnaire | None = None,
    grace_days: int = DEFAULT_GRACE_DAYS,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> Release:
    """Anonymised row-level data of one programme, or :class:`ExportRefusedError`.

    Responses outside their wave's fieldwork window (``grace_days``, ``window_months``) are
    left out as in the outcome report and counted in the risk summary.

    Also the function for officers' row-level reports: call it and use ``release.frame()``.
    """
    if layout not in LAYOUTS:
        raise ExportRefusedError(f"layout must be one of {', '.join(LAYOUTS)}")
    if not secret:
        raise ExportRefusedError("no pseudonymisation secret: set TRACER_EXPORT_SECRET")
    questionnaire = questionnaire or default_questionnaire()
    rules = rules or default_rules(questionnaire)
    wave_ids = parse_waves(waves)
    today = rules.reference_date or date.today()
    source = load_source(
        database_url, programme, wave_ids, questionnaire, grace_days, window_months
    )
    n_records = len(source.trainees)
    _refuse_small(programme, n_records, rules)
    table = build_table(source, rules, questionnaire, programme, secret, today)
    qi_columns = quasi_identifier_columns(table, rules)
    done = _suppress(table, qi_columns, rules, n_records)
    facts = {
        "programme": programme,
        "layout": layout,
        "waves": list(wave_ids),
        "reference_date": today.isoformat(),
        "records": n_records,
    }
    risk = _risk_summary(table, done, rules, qi_columns, facts, source.outside_window)
    table = _laid_out(table, layout, wave_ids, source.responded)
    risk["rows"] = len(table.data) if layout == "long" else n_records
    return Release(programme, layout, wave_ids, table, risk, rules)
