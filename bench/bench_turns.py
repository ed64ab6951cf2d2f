"""Conversation throughput and latency: Tracer vs a bare Rasa bot, measured side by side.

The floor is Rasa's own `rasa init` example bot (trained by this script into a temp dir, REST
channel, no custom actions). Tracer runs with its action server and a SQLite database; each
virtual trainee registers and answers the baseline questions (every answer: NLU or button
payload → validate_survey_form → parse → one DB transaction → next question).

Usage: .venv/bin/python bench/bench_turns.py [--chats 1 20] [--seconds 20] [--classifier-only]
Prints JSON: messages/s and p50/p95/p99 latency (ms) per bot and concurrency, the CPU seconds
per 1,000 messages of every process of each stack (``rasa``, ``actions``; SQLite runs inside
them) and of the load generator apart (bench/cpu_meter.py), and the ratios;
and what the free-text choice classifier (issue 16) adds to a message: its p50/p95 time on the
held-out descriptions and on every typed message of the journey, measured in process
(``--classifier-only`` skips the servers).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cpu_meter import CpuMeter  # noqa: E402
from bot.devseed import seed_demo_programme  # noqa: E402
from bot.storage.migrate import upgrade_database  # noqa: E402
from tests.journeys import wave_script  # noqa: E402
from tests.stack import SLOW, Stack, free_port, make_env, trained_model, wait_until  # noqa: E402

MOODBOT_SCRIPT = ["hello", "I am sad", "yes", "great", "bye"]


def tracer_script() -> list[str]:
    """The messages of one Tracer conversation: registration + the whole baseline wave."""
    return ["hello", "yes", "English", '/inform{"choice":"demo"}'] + [
        turn.text for _code, turn in wave_script("baseline", "en")
    ]


async def virtual_user(
    session: aiohttp.ClientSession,
    url: str,
    script: list[str],
    deadline: float,
    latencies: list[float],
) -> None:
    """Run conversations back to back until the deadline, recording each message's latency."""
    while time.monotonic() < deadline:
        sender = uuid.uuid4().hex
        for text in script:
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            async with session.post(url, json={"sender": sender, "message": text}) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status} from {url}")
            latencies.append((time.perf_counter() - started) * 1000)


async def measure(
    url: str, script: list[str], chats: int, seconds: float, meter: CpuMeter
) -> dict[str, object]:
    """Messages/s, latency percentiles and CPU per 1,000 messages for ``chats`` concurrent
    conversations (CPU of every process of the stack, and of this load generator apart)."""
    latencies: list[float] = []
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await virtual_user(session, url, script[:2], time.monotonic() + 2, [])  # warm-up
        before = meter.snapshot()
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(virtual_user(session, url, script, deadline, latencies) for _ in range(chats))
        )
        elapsed = time.monotonic() - started
        after = meter.snapshot()
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {
        "messages": len(ordered),
        "messages_per_s": round(len(ordered) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.fmean(ordered), 1),
        "cpu_per_1000_messages": CpuMeter.per_thousand(before, after, len(ordered)),
    }


def classifier_cost(repeats: int = 5) -> dict[str, float]:
    """Time (ms) the free-text choice reader takes per message, and to train all readers."""
    from bench_choices import cases

    from bot.answers.understand import reader_for, understand_choice
    from bot.questionnaire.loader import default_questionnaire

    questionnaire = default_questionnaire()
    choice_questions = [q for q in questionnaire.questions if q.type == "choice"]
    started = time.perf_counter()
    for question in choice_questions:
        reader_for(question.choices)
    training_ms = (time.perf_counter() - started) * 1000
    messages = [(questionnaire.question(code), text) for _, code, _, text in cases()]
    messages += [(q, text) for q in choice_questions for text in tracer_script()]
    timings = []
    for _ in range(repeats):
        for question, text in messages:
            started = time.perf_counter()
            understand_choice(question.choices, text)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "messages": len(timings),
        "p50_ms": round(timings[len(timings) // 2], 3),
        "p95_ms": round(timings[int(len(timings) * 0.95)], 3),
        "max_ms": round(timings[-1], 3),
        "training_all_questions_ms": round(training_ms, 1),
    }


def ratios(tracer: dict, floor: dict) -> dict[str, float]:
    """Tracer / bare bot: throughput, p95 latency and stack CPU per 1,000 messages."""
    cpu = tracer["cpu_per_1000_messages"]["stack_cpu_s"]
    floor_cpu = floor["cpu_per_1000_messages"]["stack_cpu_s"]
    return {
        "throughput": round(tracer["messages_per_s"] / floor["messages_per_s"], 2),
        "p95": round(tracer["p95_ms"] / floor["p95_ms"], 2),
        "cpu_per_1000_messages": round(cpu / floor_cpu, 2) if floor_cpu else float("nan"),
    }


def start_bare_bot(workdir: Path) -> tuple[subprocess.Popen, int]:
    """Train `rasa init`'s example bot into ``workdir`` and serve it over REST."""
    venv = ROOT / ".venv" / "bin"
    env = {
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PATH": f"{venv}:/usr/bin:/bin",
    }
    subprocess.run(
        [str(venv / "rasa"), "init", "--no-prompt", "--init-dir", str(workdir)],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = open(workdir / "rasa.log", "ab")
    process = subprocess.Popen(
        [
            str(venv / "rasa"),
            "run",
            "--model",
            str(workdir / "models"),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
        ],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    import requests

    try:
        wait_until(
            lambda: requests.get(f"http://127.0.0.1:{port}/", timeout=2).ok,
            180 * SLOW,
            "bare Rasa bot",
            process,
            workdir / "rasa.log",
        )
    except BaseException:
        process.kill()  # never leave a server behind (TRACER_STARTUP_SCALE on a loaded machine)
        process.wait()
        raise
    return process, port


def tracer_stack(workdir: Path) -> Stack:
    """Tracer's action server and Rasa server (not started) on a fresh seeded SQLite file."""
    database_url = f"sqlite:///{workdir / 'tracer.db'}"
    upgrade_database(database_url)
    seed_demo_programme(database_url)
    actions_port = free_port()
    return Stack(
        workdir=workdir,
        model=trained_model(),
        env=make_env(workdir, database_url, actions_port, {"TRACER_LOG_LEVEL": "WARNING"}),
        actions_port=actions_port,
    )


def main() -> None:
    """Run both bots at each concurrency and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--classifier-only",
        action="store_true",
        help="Only the in-process cost of the free-text choice classifier.",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    cost = classifier_cost()
    if args.classifier_only:
        print(json.dumps({"choice_classifier": cost}, indent=2))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print("training/starting the bare bot and Tracer...", file=sys.stderr)
        (workdir / "bare").mkdir()
        bare, bare_port = start_bare_bot(workdir / "bare")
        stack = tracer_stack(workdir)
        results: dict[str, object] = {"choice_classifier": cost}
        try:
            stack.start_actions()
            stack.start_rasa()
            # SQLite runs inside the Rasa and action-server processes: no database process.
            tracer_roles = {name: [p.pid] for name, p in stack.processes.items()}
            bots = {
                "bare_rasa": (
                    f"http://127.0.0.1:{bare_port}/webhooks/rest/webhook",
                    MOODBOT_SCRIPT,
                    CpuMeter({"rasa": [bare.pid]}),
                ),
                "tracer": (
                    f"{stack.rasa_url}/webhooks/rest/webhook",
                    tracer_script(),
                    CpuMeter(tracer_roles),
                ),
            }
            results["database"] = "SQLite in process (its CPU is inside rasa and actions)"
            for chats in args.chats:
                for name, (url, script, meter) in bots.items():
                    print(f"{name}: {chats} chats for {args.seconds:.0f} s", file=sys.stderr)
                    results[f"{name}_{chats}"] = asyncio.run(
                        measure(url, script, chats, args.seconds, meter)
                    )
                results[f"ratio_{chats}"] = ratios(
                    results[f"tracer_{chats}"], results[f"bare_rasa_{chats}"]
                )
        finally:
            stack.stop_all()
            bare.terminate()
            bare.wait(timeout=30)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
