"""Free-text choice answers (issue 16): accuracy among accepted answers and share confirmed.

Reads the held-out descriptions of ``tests/survey/choice_descriptions.yml`` (never the
questionnaire's training examples) through the real answer parser and prints, per language and
overall: accepted (stored with an echo), correct among accepted, sent to confirmation (and
correct among those), re-asked; plus the time the parser takes per message (p50/p95).

    python bench/bench_choices.py [--min-accuracy 0.90] [--max-confirm 0.20] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from bot.answers import parse_answer
from bot.questionnaire.loader import default_questionnaire

TEST_SET = Path(__file__).resolve().parents[1] / "tests" / "survey" / "choice_descriptions.yml"


def cases(path: Path = TEST_SET) -> list[tuple[str, str, str, str]]:
    """``(language, question code, expected choice, text)`` for every held-out description."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        (language, question, expected, text)
        for language, questions in raw.items()
        for question, choices in questions.items()
        for expected, texts in choices.items()
        for text in texts
    ]


def measure(verbose: bool = False) -> dict[str, dict[str, float]]:
    """Counts and shares per language (and ``all``)."""
    questionnaire = default_questionnaire()
    for question in questionnaire.questions:  # train every reader before timing
        if question.type == "choice":
            parse_answer(question, "warm up", "en")
    stats: dict[str, dict[str, float]] = {}
    timings: list[float] = []
    for language, code, expected, text in cases():
        question = questionnaire.question(code)
        started = time.perf_counter()
        result = parse_answer(question, text, language)
        timings.append(time.perf_counter() - started)
        for key in (language, "all"):
            row = stats.setdefault(
                key, {"n": 0, "accepted": 0, "correct": 0, "confirm": 0, "confirm_ok": 0}
            )
            row["n"] += 1
            if result.ok:
                row["accepted"] += 1
                row["correct"] += result.value == expected
            elif result.confirm:
                row["confirm"] += 1
                row["confirm_ok"] += result.value == expected
        if verbose and (not result.ok or result.value != expected):
            got = result.value if (result.ok or result.confirm) else result.error
            kind = "ok" if result.ok else ("confirm" if result.confirm else "reask")
            print(f"  {language} {code}: {text!r} → {kind} {got} (expected {expected})")
    stats["time"] = percentiles_ms(timings)
    return stats


def percentiles_ms(seconds: list[float]) -> dict[str, float]:
    """p50 and p95 of durations in seconds, as milliseconds."""
    ordered = sorted(seconds)
    return {
        "p50_ms": 1000 * ordered[len(ordered) // 2],
        "p95_ms": 1000 * ordered[int(len(ordered) * 0.95)],
    }


def main() -> int:
    """Print the figures; exit 1 when below the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-accuracy", type=float, default=0.90)
    parser.add_argument("--max-confirm", type=float, default=0.20)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    stats = measure(args.verbose)
    failed = False
    for key in ("en", "fr", "es", "all"):
        row = stats[key]
        accuracy = row["correct"] / row["accepted"] if row["accepted"] else 0.0
        confirm = row["confirm"] / row["n"]
        reask = (row["n"] - row["accepted"] - row["confirm"]) / row["n"]
        print(
            f"{key:>3}: n={row['n']:.0f} accepted={row['accepted']:.0f} "
            f"correct among accepted={accuracy:.1%} sent to confirmation={confirm:.1%} "
            f"(right proposal {row['confirm_ok']:.0f}/{row['confirm']:.0f}) re-asked={reask:.1%}"
        )
        failed |= accuracy < args.min_accuracy or confirm > args.max_confirm
    print(
        f"parse time per message: p50 {stats['time']['p50_ms']:.2f} ms, "
        f"p95 {stats['time']['p95_ms']:.2f} ms"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
