"""Intent macro-F1 of the trained model on the held-out NLU test set (tests/nlu, 3 languages).

Usage: .venv/bin/python bench/nlu_f1.py [--model models/tracer-<hash>.tar.gz] [--min 0.90]
Prints JSON figures; exits 1 when macro-F1 is below --min.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Evaluate the model and print overall and per-language intent scores."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", help="model archive (default: train/cached via train.sh)")
    parser.add_argument("--min", type=float, default=0.0, help="fail below this macro-F1")
    parser.add_argument("--per-language", action="store_true", help="also score each language")
    args = parser.parse_args()
    model = (
        args.model
        or subprocess.run(
            ["bash", "scripts/train.sh"], cwd=ROOT, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    figures: dict[str, object] = {"model": Path(model).name}
    sets = [("all", "tests/nlu")]
    if args.per_language:
        sets += [(lang, f"tests/nlu/test_nlu_{lang}.yml") for lang in ("en", "fr", "es")]
    for name, data in sets:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run(
                [
                    str(ROOT / ".venv/bin/rasa"),
                    "test",
                    "nlu",
                    "--model",
                    model,
                    "--nlu",
                    data,
                    "--out",
                    out,
                    "--no-plot",
                ],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            report = json.loads((Path(out) / "intent_report.json").read_text())
        figures[f"macro_f1_{name}"] = round(report["macro avg"]["f1-score"], 4)
        if name == "all":
            figures["accuracy"] = round(report["accuracy"], 4)
            figures["examples"] = report["macro avg"]["support"]
            figures["worst_intents"] = sorted(
                (
                    (k, round(v["f1-score"], 3))
                    for k, v in report.items()
                    if isinstance(v, dict) and "support" in v and "avg" not in k
                ),
                key=lambda kv: kv[1],
            )[:3]
    print(json.dumps(figures, indent=2))
    return 0 if figures["macro_f1_all"] >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
