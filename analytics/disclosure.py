"""Disclosure control of the report tables: primary and complementary cell suppression.

Primary: a row whose denominator is below :data:`MIN_CELL` (``n`` for indicators, trainees
``due`` for response rates) but not 0 is hidden. Complementary: the tables are then audited
the way an attacker would read them — every published total equals the sum of its groups (per
indicator, wave and breakdown; counts, denominators and, for means, value × n), plus the
identities between indicators (the labour force is employed + unemployed; formal workers are
formal employees + registered businesses) — and, while some hidden figure can be solved from
the published ones (one unknown left in an equation, or unknowns that must all be 0), one
more published row of that equation is hidden (the smallest ``n`` first). A hidden row shows
:data:`SUPPRESSED` in every figure: counts, rates, weighted rates, intervals, n, n_eff, deff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MIN_CELL = 5
SUPPRESSED = "x"
ALL = "all"
QUANTITIES = ("n", "count", "sum")  # additive figures of an indicator row
RESPONSE_QUANTITIES = ("due", "responded")
HIDDEN_COLUMNS = (
    "n",
    "count",
    "value",
    "value_weighted",
    "ci_low",
    "ci_high",
    "ci_low_weighted",
    "ci_high_weighted",
    "n_eff",
    "deff",
)
RESPONSE_COLUMNS = ("due", "responded", "response_rate")
# total (table, indicator prefix, quantity) = sum of parts (same wave, breakdown and group)
IDENTITIES: tuple[tuple[tuple[str, str, str], tuple[tuple[str, str, str], ...]], ...] = (
    (
        ("labour", "Unemployment rate", "n"),
        (("labour", "Employment rate", "count"), ("labour", "Unemployment rate", "count")),
    ),
    (
        ("labour", "Employment rate", "n"),
        (
            ("labour", "Employment rate", "count"),
            ("labour", "Unemployment rate", "count"),
            ("labour", "Outside the labour force", "count"),
        ),
    ),
    (
        ("formality", "Formal (all employed", "count"),
        (
            ("formality", "Formal employees", "count"),
            ("formality", "Registered businesses", "count"),
        ),
    ),
    (
        ("formality", "Formal (all employed", "n"),
        (
            ("formality", "Formal employees", "n"),
            ("formality", "Registered businesses", "n"),
            ("employment_type", "Contributing family workers", "count"),
        ),
    ),
)

Equation = tuple[int, tuple[int, ...]]  # flat cell index of the total, of the parts


@dataclass
class Grid:
    """All rows of all tables as one array of additive figures (row × quantity)."""

    values: np.ndarray  # float, NaN: not a figure of this row
    n: np.ndarray  # the row's denominator, to choose complements
    hidden: np.ndarray  # bool per row
    equations: list[Equation] = field(default_factory=list)
    table: np.ndarray | None = None  # table id per row: complements stay in the total's table

    @property
    def width(self) -> int:
        """Quantities per row."""
        return self.values.shape[1]


def solvable(grid: Grid) -> dict[int, int]:
    """Hidden rows whose figures an attacker can compute: row → index of an equation used.

    Iterates to a fixed point: an equation with one unknown figure gives it; an equation whose
    known, positive total equals the sum of its known parts gives 0 for every unknown part
    (a published total of 0 says every group is 0: that cannot be hidden, and is not).
    When some leaks come straight from published figures, only those are returned: the
    others follow from them and go away with their complements.
    """
    flat = grid.values.reshape(-1)
    known = ~np.repeat(grid.hidden, grid.width) & ~np.isnan(flat)
    present = ~np.isnan(flat)
    derived = np.zeros(len(flat), dtype=bool)
    direct: dict[int, int] = {}
    chained: dict[int, int] = {}
    changed = True
    while changed:
        changed = False
        for index, (total, parts) in enumerate(grid.equations):
            members = (total, *parts)
            unknown = [m for m in members if present[m] and not known[m]]
            if not unknown:
                continue
            solved: list[int] = []
            if len(unknown) == 1:
                solved = unknown
            elif known[total] and total not in unknown and flat[total] > 0:
                rest = flat[total] - sum(flat[p] for p in parts if known[p])
                if abs(rest) < 1e-9:
                    solved = unknown
            if not solved:
                continue
            from_published = not any(derived[m] for m in members if m not in solved)
            for cell in solved:
                known[cell] = derived[cell] = True
                changed = True
                row = cell // grid.width
                if grid.hidden[row]:
                    (direct if from_published else chained).setdefault(row, index)
    return direct or chained


def _complement(grid: Grid, equation: Equation) -> int | None:
    """The published row of ``equation`` to hide next: a part with the smallest n (in the
    total's table when there is one: an identity does not spill into other tables), else the
    total."""
    total, parts = equation
    flat = grid.values.reshape(-1)
    rows = [
        p // grid.width for p in parts if not grid.hidden[p // grid.width] and not np.isnan(flat[p])
    ]
    if grid.table is not None:
        same = [r for r in rows if grid.table[r] == grid.table[total // grid.width]]
        rows = same or rows
    if rows:
        return min(rows, key=lambda r: (grid.n[r], r))
    row = total // grid.width
    return None if grid.hidden[row] else row


def suppress(grid: Grid, min_cell: int = MIN_CELL, max_rounds: int = 200) -> np.ndarray:
    """Primary (0 < n < ``min_cell``) then complementary suppression; the hidden rows.

    Empty groups (n = 0) have no figure to protect and stay visible."""
    grid.hidden = grid.hidden | ((grid.n > 0) & (grid.n < min_cell))
    for _ in range(max_rounds):
        leaks = solvable(grid)
        if not leaks:
            break
        for equation in sorted(set(leaks.values())):
            row = _complement(grid, grid.equations[equation])
            if row is not None:
                grid.hidden[row] = True
    return grid.hidden


def _sum_equations(
    frame: pd.DataFrame, keys: list[str], offsets: np.ndarray, width: int, quantities: range
) -> list[Equation]:
    """Total (breakdown ``all``) = sum of the groups of each other breakdown, per key."""
    equations: list[Equation] = []
    rows = frame.assign(_row=offsets)
    totals = rows[rows["breakdown"] == ALL].set_index(keys)["_row"]
    totals = totals[~totals.index.duplicated()]
    parts = rows[rows["breakdown"] != ALL]
    for key, members in parts.groupby(keys + ["breakdown"], sort=False)["_row"]:
        total = totals.get(key[:-1] if len(keys) > 1 else key[0])
        if total is None:
            continue
        for q in quantities:
            equations.append((int(total) * width + q, tuple(int(m) * width + q for m in members)))
    return equations


def _identity_equations(frame: pd.DataFrame, offsets: np.ndarray, width: int) -> list[Equation]:
    """The identities between indicators, per wave, breakdown and group."""
    index = {
        (t, i, w, b, g): r
        for t, i, w, b, g, r in zip(
            frame["_table"],
            frame["indicator"],
            frame["wave"],
            frame["breakdown"],
            frame["group"],
            offsets,
            strict=True,
        )
    }
    indicators = frame[["_table", "indicator"]].drop_duplicates()
    names = {(t, i) for t, i in zip(indicators["_table"], indicators["indicator"], strict=True)}

    def find(table: str, prefix: str) -> str | None:
        return next((i for t, i in sorted(names) if t == table and i.startswith(prefix)), None)

    equations: list[Equation] = []
    for (table, total_prefix, total_q), part_specs in IDENTITIES:
        total_ind = find(table, total_prefix)
        parts = [(t, find(t, p), q) for t, p, q in part_specs]
        if total_ind is None or any(i is None for _, i, _ in parts):
            continue
        rows = frame[(frame["_table"] == table) & (frame["indicator"] == total_ind)]
        for wave, breakdown, group in zip(
            rows["wave"], rows["breakdown"], rows["group"], strict=True
        ):
            total = index.get((table, total_ind, wave, breakdown, group))
            members = [index.get((t, i, wave, breakdown, group)) for t, i, _ in parts]
            if total is None or any(m is None for m in members):
                continue
            cells = tuple(
                int(m or 0) * width + QUANTITIES.index(q)
                for m, (_, _, q) in zip(members, parts, strict=True)
            )
            equations.append((int(total) * width + QUANTITIES.index(total_q), cells))
    return equations


def _figures(table: pd.DataFrame) -> np.ndarray:
    """n, count and (means) value × n of every row as floats (NaN where not additive)."""
    n = pd.to_numeric(table["n"], errors="coerce").to_numpy(dtype=float)
    count = pd.to_numeric(table["count"], errors="coerce").to_numpy(dtype=float)
    value = pd.to_numeric(table["value"], errors="coerce").to_numpy(dtype=float)
    mean = (table["kind"] == "mean").to_numpy()
    total = np.where(mean, value * n, np.nan)
    total = np.where(mean & (n == 0), 0.0, total)
    return np.column_stack([n, count, total])


def protect_tables(
    tables: dict[str, pd.DataFrame], response: pd.DataFrame, min_cell: int = MIN_CELL
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Suppressed copies of the indicator ``tables`` and of the ``response`` figures (every
    wave × breakdown × group, expectation groups included). Indicator rows print their group's
    response figures as protected in ``response``."""
    response = response.reset_index(drop=True)
    width = len(QUANTITIES)
    values = np.full((len(response), width), np.nan)
    values[:, 0] = response["due"].to_numpy(dtype=float)
    values[:, 1] = response["responded"].to_numpy(dtype=float)
    grid = Grid(values, response["due"].to_numpy(dtype=float), np.zeros(len(response), bool))
    grid.equations = _sum_equations(response, ["wave"], np.arange(len(response)), width, range(2))
    hidden = suppress(grid, min_cell)
    protected_response = response.astype({c: object for c in RESPONSE_COLUMNS})
    protected_response.loc[hidden, list(RESPONSE_COLUMNS)] = SUPPRESSED
    figures = {
        (w, b, g): (d, r, rate)
        for w, b, g, d, r, rate in zip(
            protected_response["wave"],
            protected_response["breakdown"],
            protected_response["group"],
            protected_response["due"],
            protected_response["responded"],
            protected_response["response_rate"],
            strict=True,
        )
    }

    names = [name for name, table in tables.items() if len(table)]
    if not names:
        return tables, protected_response
    frame = pd.concat([tables[name].assign(_table=name) for name in names], ignore_index=True)
    offsets = np.arange(len(frame))
    grid = Grid(
        _figures(frame),
        pd.to_numeric(frame["n"], errors="coerce").fillna(0).to_numpy(dtype=float),
        np.zeros(len(frame), bool),
    )
    grid.equations = _sum_equations(
        frame, ["_table", "indicator", "wave"], offsets, width, range(width)
    )
    grid.equations += _identity_equations(frame, offsets, width)
    grid.table = pd.factorize(frame["_table"])[0]
    hidden = suppress(grid, min_cell)
    columns = [c for c in HIDDEN_COLUMNS if c in frame.columns]
    frame = frame.astype({c: object for c in columns})
    frame.loc[hidden, columns] = SUPPRESSED
    missing = (np.nan, np.nan, np.nan)
    looked_up = [
        figures.get((w, b, g), missing)
        for w, b, g in zip(frame["wave"], frame["breakdown"], frame["group"], strict=True)
    ]
    frame["due"] = [f[0] for f in looked_up]
    frame["responded"] = [f[1] for f in looked_up]
    frame["response_rate"] = [f[2] for f in looked_up]
    result = dict(tables)
    for name, part in frame.groupby("_table", sort=False):
        result[name] = part.drop(columns="_table").reset_index(drop=True)
    return result, protected_response
