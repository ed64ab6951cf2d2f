"""ISCO-08 coding of typed job titles (issue 16): is the right unit group among the three proposed?

Reads ``tests/survey/isco_titles.yml`` (100 typed titles in en/fr/es with typos and local words,
each with the unit group an officer would code) and prints, per language and overall, the share
whose unit group is proposed first and among the three proposed, and the time per title.

    python bench/bench_isco.py [--min-top3 0.80] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml
from bench_choices import percentiles_ms

from bot.answers.understand import prepare
from bot.occupations.isco import default_index

TEST_LIST = Path(__file__).resolve().parents[1] / "tests" / "survey" / "isco_titles.yml"


def titles(path: Path = TEST_LIST) -> list[tuple[str, str, str]]:
    """``(language, typed title, expected unit group)`` for every test title."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(language, text, code) for language, rows in raw.items() for text, code in rows]


def measure(verbose: bool = False) -> dict[str, dict[str, float]]:
    """Counts per language (and ``all``): n, first, top3; plus timings."""
    index = default_index()
    known = {
        prepare(text)
        for group in index.groups.values()
        for text in (*group.titles.values(), *group.synonyms)
    }
    stats: dict[str, dict[str, float]] = {}
    timings = []
    for language, text, expected in titles():
        started = time.perf_counter()
        proposed = [code for code, _ in index.propose(text)]
        timings.append(time.perf_counter() - started)
        for key in (language, "all"):
            row = stats.setdefault(key, {"n": 0, "first": 0, "top3": 0, "verbatim": 0})
            row["n"] += 1
            row["verbatim"] += prepare(text) in known
            row["first"] += bool(proposed) and proposed[0] == expected
            row["top3"] += expected in proposed
        if verbose and expected not in proposed:
            print(f"  {language}: {text!r} → {proposed} (expected {expected})")
    stats["time"] = percentiles_ms(timings)
    return stats


def main() -> int:
    """Print the figures; exit 1 when the top-3 share is below ``--min-top3``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-top3", type=float, default=0.80)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    stats = measure(args.verbose)
    for key in ("en", "fr", "es", "all"):
        row = stats[key]
        print(
            f"{key:>3}: n={row['n']:.0f} right unit group first={row['first'] / row['n']:.1%} "
            f"among three proposed={row['top3'] / row['n']:.1%} "
            f"(typed exactly as a title or synonym of the data: {row['verbatim']:.0f})"
        )
    print(
        f"time per title: p50 {stats['time']['p50_ms']:.1f} ms, "
        f"p95 {stats['time']['p95_ms']:.1f} ms"
    )
    return 0 if stats["all"]["top3"] / stats["all"]["n"] >= args.min_top3 else 1


if __name__ == "__main__":
    sys.exit(main())
