"""Scale-out: 1 vs 2 Rasa processes behind nginx, on PostgreSQL + Redis (deploy/cluster.sh).

For each size the cluster is started fresh (1 action server), 50 virtual trainees register and
answer the baseline wave back to back for ``--seconds`` (default 120), then the load generator's
record of answers sent is compared with the database: every answer stored, one current answer
per (trainee, wave, question), value equal to what was sent.

Usage: .venv/bin/python bench/bench_scaleout.py [--seconds 120] [--chats 50] [--sizes 1 2]
Prints JSON: messages/s, p50/p95/p99 per size, answer-check counts, and the throughput ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.devseed import seed_demo_programme  # noqa: E402
from tests.cluster.cluster import start_cluster  # noqa: E402
from tests.cluster.loadgen import check_answers, percentiles, run_conversations  # noqa: E402
from tests.journeys import wave_script  # noqa: E402


def measure(rasa: int, chats: int, seconds: float) -> dict[str, object]:
    """Start a cluster with ``rasa`` Rasa processes, load it, check the answers, stop it."""
    rundir = Path(tempfile.mkdtemp(prefix=f"tracer-scale{rasa}-"))
    cluster = start_cluster(rundir, rasa=rasa, actions=1, extra_env={"TRACER_REST_ENABLED": "1"})
    try:
        seed_demo_programme(cluster.settings.database_url)
        questions = len(wave_script("baseline", "en"))
        asyncio.run(run_conversations(cluster.url, 4, questions=2))  # warm-up
        record = asyncio.run(run_conversations(cluster.url, chats, questions, seconds=seconds))
        problems = check_answers(cluster.settings, record)
    finally:
        cluster.stop()
        shutil.rmtree(rundir, ignore_errors=True)
    return {
        "rasa_processes": rasa,
        "chats": chats,
        "seconds": seconds,
        "messages": record.messages,
        "messages_per_s": round(record.messages / seconds, 1),
        **percentiles(record.latencies_ms),
        "conversations_finished": len(record.finished),
        "answers_sent": sum(len(sent) for sent in record.sent.values()),
        "client_failures": len(record.failures),
        "retries": record.retries,
        "answer_check": problems,
    }


def main() -> None:
    """Measure each size in turn and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    results: dict[str, object] = {"cpu_cores": os.cpu_count(), "load_before": os.getloadavg()}
    for size in args.sizes:
        print(
            f"{size} Rasa process(es): {args.chats} chats for {args.seconds:.0f} s", file=sys.stderr
        )
        results[f"rasa_{size}"] = measure(size, args.chats, args.seconds)
    if 1 in args.sizes and 2 in args.sizes:
        one, two = results["rasa_1"], results["rasa_2"]
        results["throughput_ratio_2_vs_1"] = round(two["messages_per_s"] / one["messages_per_s"], 2)
        results["p95_ratio_2_vs_1"] = round(two["p95_ms"] / one["p95_ms"], 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
