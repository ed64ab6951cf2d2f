"""Reshape the anonymised wide table (one row per trainee) to the long layout (trainee × wave).

Disclosure control is always done on the wide table, so that k counts trainees, not rows, and a
trainee's suppressed cells are the same in every wave.
"""

from __future__ import annotations

import copy

import pandas as pd

from analytics.anonymise.source import NOT_ASKED, column_name
from analytics.anonymise.table import Table, Variable, labels


def to_long(table: Table, waves: tuple[str, ...], responded: pd.DataFrame) -> Table:
    """One row per trainee × wave responded, question columns named by question code."""
    fixed = [name for name, v in table.variables.items() if not v.per_wave]
    variables: dict[str, Variable] = {name: table.variables[name] for name in fixed}
    variables["wave"] = Variable(
        "wave",
        "categorical",
        labels("Survey wave", "Vague d'enquête", "Ola de la encuesta"),
        categories=[(w, labels(w)) for w in waves],
        ordered=True,
    )
    data_parts, reason_parts = [], []
    seen: dict[str, list[str]] = {}
    for wave in waves:
        rows = responded.index[responded[wave].to_numpy(bool)]
        renames: dict[str, str] = {}
        for name, variable in table.variables.items():
            if variable.per_wave and variable.wave == wave:
                base = str(variable.source) + name[len(column_name(str(variable.source), wave)) :]
                renames[name] = base
                if base not in variables:
                    merged = copy.deepcopy(variable)
                    merged.name = base
                    variables[base] = merged
                    seen[base] = [wave]
                else:
                    _merge_categories(variables[base], variable)
                    seen[base].append(wave)
        columns = fixed + list(renames)
        data = table.data.loc[rows, columns].rename(columns=renames).assign(wave=wave)
        reason = table.reason.loc[rows, columns].rename(columns=renames).assign(wave=0)
        data_parts.append(data)
        reason_parts.append(reason)
    order = list(variables)
    data = pd.concat(data_parts).reindex(columns=order)
    reason = pd.concat(reason_parts).reindex(columns=order).fillna(NOT_ASKED).astype("int8")
    for name, found in seen.items():
        variables[name].wave = ",".join(found)
    return Table(data.reset_index(drop=True), reason.reset_index(drop=True), variables)


def _merge_categories(target: Variable, other: Variable) -> None:
    for code, text in other.categories:
        target.add_category(code, text)
