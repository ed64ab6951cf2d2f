"""Benchmark: build the HTML report of 100k trainees with every wave answered.

Usage: ``.venv/bin/python bench/bench_report.py [--trainees N] [--keep PATH]``.
Generates demo data (all cohorts old enough for every follow-up, every wave answered) on
SQLite — and on PostgreSQL when ``TRACER_BENCH_PG_URL`` is set — then builds the report in a
fresh subprocess and prints one JSON line per database: wall time and peak memory (RSS).
Targets (issues 14 and 15): ≤ 8 s on SQLite, ≤ 10 s on PostgreSQL, and ≤ 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = {"sqlite": 8, "postgresql": 10}  # wall time of one report build and render
FULL_RESPONSE = {"baseline": 1.0, "exit": 1.0, "followup_6": 1.0, "followup_12": 1.0}


def measure(url: str, out: str) -> dict:
    """Build and write the report once in this process; wall time and peak RSS."""
    from analytics.render import write_report
    from analytics.report import build_report

    started = time.perf_counter()
    report = build_report(url, "bench")
    built = time.perf_counter()
    write_report(report, "html", Path(out))
    done = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "trainees": report.meta["trainees"],
        "build_s": round(built - started, 2),
        "render_s": round(done - built, 2),
        "wall_s": round(done - started, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }


def prepare(url: str, trainees: int) -> dict:
    """Create the schema and the demo data; returns the generation figures."""
    from bot.demo_data import generate_demo_data
    from bot.storage.migrate import upgrade_database

    upgrade_database(url)
    started = time.perf_counter()
    summary = generate_demo_data(
        url, trainees, seed=1, programme="bench", all_waves_due=True, response=FULL_RESPONSE
    )
    return {"answers": summary.answers, "generate_s": round(time.perf_counter() - started, 1)}


def run(url: str, label: str, trainees: int, workdir: Path) -> None:
    """Generate, then measure in a subprocess, and print the JSON figures."""
    figures = {"database": label, **prepare(url, trainees)}
    child = subprocess.run(
        [sys.executable, __file__, "--measure", url, "--out", str(workdir / f"{label}.html")],
        check=True,
        capture_output=True,
        text=True,
    )
    figures.update(json.loads(child.stdout.strip().splitlines()[-1]))
    figures["target_s"] = TARGET_S[label]
    figures["target_met"] = figures["wall_s"] <= TARGET_S[label] and figures["peak_rss_mb"] <= 2048
    print(json.dumps(figures))


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.out)))
        return
    with tempfile.TemporaryDirectory(prefix="tracer-bench-") as tmp:
        workdir = Path(tmp)
        run(f"sqlite:///{workdir / 'bench.db'}", "sqlite", args.trainees, workdir)
        pg_url = os.environ.get("TRACER_BENCH_PG_URL")
        if pg_url:
            run(pg_url, "postgresql", args.trainees, workdir)
        else:
            print(
                "note: PostgreSQL skipped (set TRACER_BENCH_PG_URL to a scratch database)",
                file=sys.stderr,
            )


if __name__ == "__main__":
    main()
