"""k-anonymity by greedy local suppression, and l-diversity measurement.

Semantics (documented in ``docs/export.md``): a record is *k-anonymous* when at least ``k``
records (itself included) agree with it on every quasi-identifier it still shows, counting only
records that also show those quasi-identifiers.  A suppressed cell is therefore a "don't know"
that matches nothing, which is the conservative reading; skipped / not-asked values are ordinary
values.  Greedy: while some records are not k-anonymous, each offending group of identical
records gets the smallest set of extra suppressed cells that makes it k-anonymous (ties broken
by the configured priority); repeat until stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd


@dataclass
class KResult:
    """Suppression mask over the quasi-identifier columns and the k finally achieved."""

    suppressed: pd.DataFrame
    k_achieved: int
    passes: int


def _codes(frame: pd.DataFrame) -> np.ndarray:
    columns = []
    for name in frame.columns:
        codes, _ = pd.factorize(frame[name].astype(object).fillna("\x00na"), sort=True)
        columns.append(codes.astype(np.int64))
    return np.stack(columns, axis=1) if columns else np.zeros((len(frame), 0), np.int64)


def _keys(codes: np.ndarray, keep: tuple[int, ...], radix: np.ndarray) -> np.ndarray:
    key = np.zeros(len(codes), dtype=np.int64)
    span = 1
    for column in keep:
        if span * int(radix[column]) > 2**62:  # re-number to stay within int64
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
            span = int(key.max()) + 1 if len(key) else 1
        key = key * radix[column] + codes[:, column]
        span *= int(radix[column])
    return key


class _Counter:
    """Class sizes for a set of shown columns, cached per pass."""

    def __init__(self, codes: np.ndarray, mask: np.ndarray, radix: np.ndarray) -> None:
        self.codes, self.mask, self.radix = codes, mask, radix
        self.cache: dict[tuple[int, ...], dict[int, int]] = {}

    def table(self, keep: tuple[int, ...]) -> dict[int, int]:
        if keep not in self.cache:
            eligible = (
                ~self.mask[:, list(keep)].any(axis=1) if keep else np.ones(len(self.codes), bool)
            )
            keys = _keys(self.codes[eligible], keep, self.radix)
            unique, counts = np.unique(keys, return_counts=True)
            self.cache[keep] = dict(zip(unique.tolist(), counts.tolist(), strict=True))
        return self.cache[keep]

    def per_record(self) -> np.ndarray:
        """How many records match each record under the documented semantics."""
        result = np.zeros(len(self.codes), dtype=np.int64)
        patterns = self.mask.dot(1 << np.arange(self.mask.shape[1], dtype=np.int64))
        for pattern in np.unique(patterns):
            rows = patterns == pattern
            keep = tuple(c for c in range(self.mask.shape[1]) if not self.mask[rows][0, c])
            table = self.table(keep)
            keys = _keys(self.codes[rows], keep, self.radix)
            result[rows] = [table[key] for key in keys.tolist()]
        return result


def match_counts(frame: pd.DataFrame, suppressed: pd.DataFrame) -> np.ndarray:
    """Per record, the size of its equivalence class (suppressed cells ignored, see above)."""
    codes = _codes(frame)
    radix = codes.max(axis=0) + 2 if len(codes) else np.ones(codes.shape[1], np.int64)
    return _Counter(codes, suppressed.to_numpy(bool), radix).per_record()


def _candidates(shown: tuple[int, ...], rank: dict[int, int]) -> list[tuple[int, ...]]:
    result: list[tuple[int, ...]] = []
    for size in range(1, len(shown) + 1):
        subsets = list(combinations(shown, size))
        subsets.sort(key=lambda subset: sorted(rank[c] for c in subset))
        result.extend(subsets)
    return result


def enforce_k(frame: pd.DataFrame, k: int, priority: list[str]) -> KResult:
    """Suppress the fewest quasi-identifier cells (greedily) so every record is k-anonymous."""
    n_rows, n_cols = frame.shape
    mask = np.zeros((n_rows, n_cols), dtype=bool)
    if n_rows == 0 or n_cols == 0:
        return KResult(pd.DataFrame(mask, index=frame.index, columns=frame.columns), n_rows, 0)
    codes = _codes(frame)
    radix = codes.max(axis=0) + 2
    order = [frame.columns.get_loc(name) for name in priority if name in frame.columns]
    order += [c for c in range(n_cols) if c not in order]
    rank = {column: position for position, column in enumerate(order)}
    passes = 0
    while True:
        passes += 1
        counter = _Counter(codes, mask, radix)
        counts = counter.per_record()
        bad = np.flatnonzero(counts < k)
        if len(bad) == 0 or passes > n_cols + 2:
            break
        patterns = mask[bad].dot(1 << np.arange(n_cols, dtype=np.int64))
        groups = (
            pd.DataFrame(codes[bad])
            .assign(_p=patterns)
            .groupby(list(range(n_cols)) + ["_p"], sort=False)
            .indices
        )
        for members in groups.values():
            rows = bad[members]
            first = rows[0]
            shown = tuple(c for c in range(n_cols) if not mask[first, c])
            chosen: tuple[int, ...] = shown
            for subset in _candidates(shown, rank):
                keep = tuple(c for c in shown if c not in subset)
                key = int(_keys(codes[[first]], keep, radix)[0])
                if counter.table(keep).get(key, 0) >= k:
                    chosen = subset
                    break
            mask[np.ix_(rows, list(chosen))] = True
    final = _Counter(codes, mask, radix).per_record()
    return KResult(
        pd.DataFrame(mask, index=frame.index, columns=frame.columns),
        int(final.min()) if n_rows else 0,
        passes,
    )


def l_diversity(classes: pd.DataFrame, sensitive: pd.Series) -> pd.Series:
    """Distinct known values of ``sensitive`` in each equivalence class (exact QI tuples)."""
    return sensitive.groupby(class_keys(classes)).nunique(dropna=True)


def class_keys(classes: pd.DataFrame) -> pd.Series:
    """One integer per equivalence class (identical rows get the same key)."""
    codes = _codes(classes)
    radix = codes.max(axis=0) + 2 if len(codes) else np.ones(codes.shape[1], np.int64)
    return pd.Series(_keys(codes, tuple(range(codes.shape[1])), radix), index=classes.index)
