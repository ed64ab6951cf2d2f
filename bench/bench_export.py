"""Benchmark: anonymised export of 100k synthetic trainees (all four waves) from SQLite.

Prints one JSON object: generation time, export wall time, peak memory (RSS) of the export
process (the data are generated in a child process so they do not count).
Usage: ``.venv/bin/python bench/bench_export.py [--trainees 100000] [--format csv]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.anonymise import anonymise, default_rules, write_release  # noqa: E402
from analytics.anonymise.synthetic import SyntheticSpec, generate  # noqa: E402
from bot.questionnaire.loader import default_questionnaire  # noqa: E402
from bot.storage.migrate import upgrade_database  # noqa: E402


def main() -> None:
    """Generate, export, report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--format", default="csv", choices=["csv", "parquet", "dta"])
    parser.add_argument("--layout", default="wide", choices=["wide", "long"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade_database(url)
        started = time.perf_counter()
        spec = SyntheticSpec(
            trainees=args.trainees, cohorts=24, regions=("North", "South", "East", "West", "Centre")
        )
        child = multiprocessing.get_context("spawn").Process(target=generate, args=(url, spec))
        child.start()
        child.join()
        generated = time.perf_counter() - started
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        release = anonymise(
            url,
            spec.programme,
            secret="bench-secret",
            layout=args.layout,
            rules=default_rules(default_questionnaire()),
        )
        anonymised = time.perf_counter() - started
        files = write_release(release, Path(tmp) / "out", args.format)
        total = time.perf_counter() - started
        print(
            json.dumps(
                {
                    "trainees": args.trainees,
                    "rows": release.risk["rows"],
                    "format": args.format,
                    "layout": args.layout,
                    "generate_seconds": round(generated, 2),
                    "anonymise_seconds": round(anonymised, 2),
                    "export_seconds": round(total, 2),
                    "target_seconds": 30,
                    "peak_rss_mb": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                    "rss_mb_before_export": round(rss_before / 1024, 1),
                    "k_achieved": release.risk["k_achieved"],
                    "records_suppressed": release.risk["records_with_suppressed_quasi_identifiers"],
                    "output_mb": round(sum(f.stat().st_size for f in files) / 2**20, 1),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
