"""Outbound follow-up wave: 100k trainees planned, sent through the pacer to a fake Telegram API.

A wave to 100k trainees at Telegram's 30 messages/s takes 56 minutes, so this benchmark seeds
and plans the whole wave (100k trainees, 90k with a Telegram contact) but sends for a bounded
time (``--seconds``, default 90) and extrapolates. Each message goes through Tracer's real send
loop (``bot.outreach.sender.send_due``: claim row → ``Pacer`` → transport → record outcome) with
a transport that calls ``sendMessage`` on the fake Telegram Bot API (tests/fakes), which runs in
a separate process so its CPU is not counted. The Rasa hop (trigger_intent → Telegram output
channel) is left out: its cost is a turn, measured by bench/bench_turns.py.

Usage: .venv/bin/python bench/bench_outbound.py [--trainees 100000] [--seconds 90] [--rate 30]
Prints JSON: sustained sends/s, the most sends seen in any 1-second window, CPU share of the
sending process (cores), and the extrapolated time for the whole wave.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_followups import KEY, NOW, seed  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.outreach.due import due_items  # noqa: E402
from bot.outreach.pacing import Pacer, max_in_any_window  # noqa: E402
from bot.outreach.planner import plan_outreach  # noqa: E402
from bot.outreach.sender import send_due  # noqa: E402
from bot.outreach.transport import Delivery  # noqa: E402
from bot.storage.migrate import upgrade_database  # noqa: E402

TOKEN = "123456:bench"


def _serve_fake_telegram(port_pipe, stop_event) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes.telegram_api import FakeTelegramAPI

    api = FakeTelegramAPI(TOKEN).start()
    port_pipe.send(api.port)
    stop_event.wait()
    port_pipe.send(len(api.calls_of("sendMessage")))
    api.stop()


class TelegramTransport:
    """Sends the follow-up text with ``sendMessage``; records when each send left."""

    def __init__(self, base_url: str) -> None:
        self.url = f"{base_url}{TOKEN}/sendMessage"
        self.session = requests.Session()
        self.sent_at: list[float] = []

    def send(self, channel: str, address: str, wave: str) -> Delivery:
        """One ``sendMessage`` call; never raises."""
        self.sent_at.append(time.monotonic())
        try:
            response = self.session.post(
                self.url, json={"chat_id": int(address), "text": f"Follow-up {wave}"}, timeout=10
            )
        except requests.RequestException:
            return Delivery(ok=False, connection_error=True, detail="telegram unreachable")
        if response.status_code == 429:
            return Delivery(ok=False, status=429, rate_limited=True, detail="http 429")
        return Delivery(
            ok=response.ok,
            status=response.status_code,
            detail="ok" if response.ok else f"http {response.status_code}",
            bot_messages=1 if response.ok else 0,
        )  # one sendMessage per send


def main() -> None:
    """Seed, plan, send for a bounded time, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--rate", type=float, default=30.0)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tracer-outbound-"))
    url = f"sqlite:///{workdir / 'outbound.db'}"
    upgrade_database(url)
    settings = load_settings(
        {
            "TRACER_ENV_FILE": str(workdir / "none.env"),
            "TRACER_DATABASE_URL": url,
            "TRACER_SECRET_KEY": "bench-secret",
            "TRACER_ENCRYPTION_KEY": KEY,
            "TRACER_SEND_RATE": str(args.rate),
            "TRACER_QUIET_HOURS": "0,0",
        }
    )
    print(f"seeding and planning {args.trainees} trainees...", file=sys.stderr)
    seed(settings, args.trainees)
    plan_outreach(settings, NOW)
    wave_size = len(due_items(settings, NOW).items)

    parent, child = multiprocessing.Pipe()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=_serve_fake_telegram, args=(child, stop), daemon=True)
    server.start()
    port = parent.recv()
    transport = TelegramTransport(f"http://127.0.0.1:{port}/bot")
    sample = int(args.rate * args.seconds)
    print(f"sending {sample} messages at {args.rate}/s...", file=sys.stderr)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    report = send_due(
        settings, NOW, transport, limit=sample, plan_first=False, pacer=Pacer(args.rate)
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    stop.set()
    received = parent.recv()
    server.join(timeout=10)

    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    times = transport.sent_at
    sustained = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    figures = {
        "trainees": args.trainees,
        "wave_size_with_telegram_contact": wave_size,
        "measured_seconds": round(wall, 1),
        "sent": report.sent,
        "received_by_fake_telegram": received,
        "failed": report.failed,
        "sustained_sends_per_s": round(sustained, 2),
        "target_rate_per_s": args.rate,
        "max_sends_in_any_1s_window": max_in_any_window(times),
        "rate_held": max_in_any_window(times) <= args.rate,
        "cpu_seconds": round(cpu, 2),
        "cpu_share_cores": round(cpu / wall, 3),
        "extrapolated_wave_minutes": round(wave_size / sustained / 60, 1) if sustained else None,
        "extrapolated": f"from {report.sent} sends in {wall:.0f} s to the {wave_size} due rows",
        "measured_at": datetime.now().isoformat(timespec="seconds"),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
