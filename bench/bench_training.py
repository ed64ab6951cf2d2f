"""Training time: a fresh `rasa train` of the full three-language bot into a temp dir.

The cached model of scripts/train.sh is not used: this always trains from scratch, with the
project's config.yml, domain/ and data/ (English, French, Spanish).

Usage: .venv/bin/python bench/bench_training.py
Prints JSON: wall time (s), the target (180 s), the model size and the machine load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 180


def main() -> None:
    """Train once, print the figures."""
    with tempfile.TemporaryDirectory(prefix="tracer-train-") as out:
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
        load = os.getloadavg()
        started = time.monotonic()
        done = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "rasa"),
                "train",
                "--config",
                "config.yml",
                "--domain",
                "domain",
                "--data",
                "data",
                "--out",
                out,
                "--fixed-model-name",
                "bench",
                "--force",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.monotonic() - started
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
            sys.exit(f"rasa train failed with exit code {done.returncode}")
        model = Path(out) / "bench.tar.gz"
        print(
            json.dumps(
                {
                    "train_wall_s": round(wall, 1),
                    "target_s": TARGET_S,
                    "within_target": wall <= TARGET_S,
                    "model_mb": round(model.stat().st_size / 1e6, 1),
                    "cpu_cores": os.cpu_count(),
                    "load_before": [round(x, 2) for x in load],
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
