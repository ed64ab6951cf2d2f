"""Benchmark follow-up planning for 100k trainees on a temporary SQLite database.

Run: ``.venv/bin/python bench/bench_followups.py [--trainees 100000]``.  Prints JSON figures:
seeding, dry-run preview, plan (writes every first-contact row), due listing, and the database
bookkeeping of a send run (claim + record per message) with a no-op transport and no pacing.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import load_settings  # noqa: E402
from bot.outreach.due import due_items  # noqa: E402
from bot.outreach.pacing import Pacer  # noqa: E402
from bot.outreach.planner import plan_outreach  # noqa: E402
from bot.outreach.sender import preview, send_due  # noqa: E402
from bot.outreach.transport import Delivery  # noqa: E402
from bot.security.crypto import Cipher, keyed_hash  # noqa: E402
from bot.storage.db import engine_for, session_scope  # noqa: E402
from bot.storage.migrate import upgrade_database  # noqa: E402
from bot.storage.models import Cohort, Contact, Programme, Trainee  # noqa: E402

KEY = "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U="
NOW = datetime(2027, 1, 20, 12)


class NullTransport:
    """Accepts every message instantly (measures Tracer's own overhead)."""

    def send(self, channel: str, address: str, wave: str) -> Delivery:
        return Delivery(ok=True, status=200, detail="ok")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(settings, trainees: int, cohorts: int = 20) -> None:
    """Bulk-insert trainees (every 10th without a chat contact) with encrypted contacts."""
    cipher = Cipher(settings.encryption_key)
    with session_scope(settings.database_url) as session:
        programme = Programme(code="bench", name="Bench")
        session.add(programme)
        session.flush()
        cohort_ids = []
        for n in range(cohorts):
            cohort = Cohort(
                programme_id=programme.id,
                code=f"C{n:02d}",
                name=f"Cohort {n}",
                end_date=date(2026, 7, 1),
                timezone=["Africa/Dakar", "America/Lima", "Africa/Nairobi"][n % 3],
            )
            session.add(cohort)
            session.flush()
            cohort_ids.append(cohort.id)
    engine = engine_for(settings.database_url)
    chunk = 10000
    with engine.begin() as connection:
        for start in range(0, trainees, chunk):
            rows = [
                {
                    "id": i + 1,
                    "pseudo_id": f"T{i:015x}",
                    "cohort_id": cohort_ids[i % cohorts],
                    "status": "active",
                    "created_at": NOW,
                }
                for i in range(start, min(start + chunk, trainees))
            ]
            connection.execute(insert(Trainee), rows)
            contacts = [
                {
                    "trainee_id": row["id"],
                    "channel": "telegram",
                    "address_hash": keyed_hash(
                        settings.secret_key, str(10**9 + row["id"]), purpose="address"
                    ),
                    "address_encrypted": cipher.encrypt(str(10**9 + row["id"])),
                    "created_at": NOW,
                }
                for row in rows
                if row["id"] % 10
            ]
            connection.execute(insert(Contact), contacts)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--send-sample", type=int, default=2000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tracer-bench-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade_database(url)
    settings = load_settings(
        {
            "TRACER_ENV_FILE": str(workdir / "none.env"),
            "TRACER_DATABASE_URL": url,
            "TRACER_SECRET_KEY": "bench-secret",
            "TRACER_ENCRYPTION_KEY": KEY,
            "TRACER_SEND_RATE": "1000000",
        }
    )
    figures: dict[str, object] = {"trainees": args.trainees}
    _, figures["seed_s"] = timed(seed, settings, args.trainees)
    (plan, due), seconds = timed(preview, settings, NOW)
    figures.update(
        dry_run_preview_s=round(seconds, 2),
        dry_run_would_contact=len(due.items),
        dry_run_rows_per_s=round(args.trainees / seconds),
    )
    plan, seconds = timed(plan_outreach, settings, NOW)
    figures.update(
        plan_s=round(seconds, 2),
        planned_rows=len(plan.new_rows),
        unreachable=plan.counts["unreachable"],
        plan_rows_per_s=round(args.trainees / seconds),
    )
    due, seconds = timed(due_items, settings, NOW)
    figures.update(due_s=round(seconds, 2), due_rows=len(due.items))
    (_, due_again), seconds = timed(preview, settings, NOW)
    figures.update(dry_run_after_plan_s=round(seconds, 2))
    pacer = Pacer(1e9, per_chat_interval=0)
    report, seconds = timed(
        send_due, settings, NOW, NullTransport(), limit=args.send_sample, pacer=pacer
    )
    figures.update(
        send_sample=report.sent,
        send_bookkeeping_s=round(seconds, 2),
        send_bookkeeping_msgs_per_s=round(report.sent / seconds),
        paced_minutes_for_due_rows_at_30_per_s=round(len(due.items) / 30 / 60, 1),
        seed_s=round(float(figures["seed_s"]), 2),
        peak_rss_mb=round(_peak_mb(), 1),
    )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
