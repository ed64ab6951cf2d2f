"""An attacker's subtraction over published report tables (CSV text), written apart from
``analytics.disclosure`` so that the test does not trust the code it checks.

Known relations: in each table, for one indicator and wave, the ``all`` row is the sum of the
groups of each breakdown (denominator ``n``, numerator ``count``, and for means value × n);
in the response table, per wave, trainees ``due`` and ``responded`` add up the same way; the
labour force is employed + unemployed, the employment-rate denominator employed + unemployed
+ outside; formal workers are formal employees + registered businesses; the formality
denominator adds the family workers of the employment-type table. Rules: one unknown left in
a relation is solved; unknowns whose known positive total is already reached are all 0.
"""

from __future__ import annotations

import pandas as pd

HIDDEN = "x"


def _number(text: str) -> float | None:
    if text in ("", HIDDEN):
        return None
    return float(text)


def _cells(tables: dict[str, pd.DataFrame]) -> tuple[dict, list]:
    """Published values (None: hidden) by cell key, and the relations between cells."""
    values: dict[tuple, float | None] = {}
    hidden: set[tuple] = set()
    relations: list[tuple[tuple, list[tuple]]] = []
    for name, table in tables.items():
        if name == "response":
            for row in table.to_dict("records"):
                for q in ("due", "responded"):
                    key = (name, "", row["wave"], row["breakdown"], row["group"], q)
                    values[key] = _number(row[q])
                    if row[q] == HIDDEN:
                        hidden.add(key)
            keys = ["wave"]
            quantities = ("due", "responded")
        else:
            for row in table.to_dict("records"):
                base = (name, row["indicator"], row["wave"], row["breakdown"], row["group"])
                n = _number(row["n"])
                values[(*base, "n")] = n
                values[(*base, "count")] = _number(row["count"])
                mean = row.get("kind") == "mean"
                value = _number(row["value"])
                values[(*base, "sum")] = (
                    (value * n if value is not None and n else 0.0 if n == 0 else None)
                    if mean
                    else None
                )
                if row["n"] == HIDDEN:
                    hidden.update({(*base, "n"), (*base, "count")})
                    if mean:
                        hidden.add((*base, "sum"))
            keys = ["indicator", "wave"]
            quantities = ("n", "count", "sum")
        for key, part in table.groupby(keys):
            key = key if isinstance(key, tuple) else (key,)
            indicator, wave = ("", key[0]) if name == "response" else key
            if not (part["breakdown"] == "all").any():
                continue
            for breakdown, groups in part[part["breakdown"] != "all"].groupby("breakdown"):
                for q in quantities:
                    total = (name, indicator, wave, "all", "all", q)
                    members = [(name, indicator, wave, breakdown, g, q) for g in groups["group"]]
                    relations.append((total, members))
    relations += _identities(tables)
    return {
        k: (None if k in hidden else v) for k, v in values.items() if v is not None or k in hidden
    }, relations


def _identities(tables: dict[str, pd.DataFrame]) -> list[tuple[tuple, list[tuple]]]:
    def name_of(table: str, prefix: str) -> str | None:
        if table not in tables:
            return None
        names = [i for i in tables[table]["indicator"].unique() if i.startswith(prefix)]
        return names[0] if names else None

    specs = [
        (
            ("labour", "Unemployment rate", "n"),
            [("labour", "Employment rate", "count"), ("labour", "Unemployment rate", "count")],
        ),
        (
            ("labour", "Employment rate", "n"),
            [
                ("labour", "Employment rate", "count"),
                ("labour", "Unemployment rate", "count"),
                ("labour", "Outside the labour force", "count"),
            ],
        ),
        (
            ("formality", "Formal (all", "count"),
            [
                ("formality", "Formal employees", "count"),
                ("formality", "Registered businesses", "count"),
            ],
        ),
        (
            ("formality", "Formal (all", "n"),
            [
                ("formality", "Formal employees", "n"),
                ("formality", "Registered businesses", "n"),
                ("employment_type", "Contributing family", "count"),
            ],
        ),
    ]
    relations = []
    for (table, prefix, q), parts in specs:
        total_name = name_of(table, prefix)
        part_names = [(t, name_of(t, p), pq) for t, p, pq in parts]
        if total_name is None or any(n is None for _, n, _ in part_names):
            continue
        rows = tables[table][tables[table]["indicator"] == total_name]
        for row in rows.to_dict("records"):
            where = (row["wave"], row["breakdown"], row["group"])
            relations.append(
                ((table, total_name, *where, q), [(t, n, *where, pq) for t, n, pq in part_names])
            )
    return relations


def recover_hidden_cells(tables: dict[str, pd.DataFrame]) -> list[tuple]:
    """The hidden cells an attacker can compute exactly, with their value."""
    values, relations = _cells(tables)
    hidden = {k for k, v in values.items() if v is None}
    known = {k: v for k, v in values.items() if v is not None}
    recovered: list[tuple] = []
    progress = True
    while progress:
        progress = False
        for total, parts in relations:
            members = [total, *parts]
            if any(m not in values for m in members):
                continue  # a figure that is not additive here (a median's count, say)
            unknown = [m for m in members if m not in known]
            if not unknown:
                continue
            solved: dict[tuple, float] = {}
            if len(unknown) == 1:
                cell = unknown[0]
                others = sum(known[p] for p in parts if p != cell)
                solved[cell] = others if cell == total else known[total] - others
            elif total in known and known[total] > 0 and total not in unknown:
                if abs(known[total] - sum(known[p] for p in parts if p in known)) < 1e-9:
                    solved = {cell: 0.0 for cell in unknown}
            for cell, value in solved.items():
                known[cell] = value
                progress = True
                if cell in hidden:
                    recovered.append((*cell, value))
    return recovered
