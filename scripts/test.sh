#!/usr/bin/env bash
# Every test: lint (ruff check, ruff format --check, mypy), Rasa data validation, pytest (unit
# + end-to-end with real servers), and Rasa test stories. Installs what the tests need on a
# fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
export TRACER_ENV_FILE="$(pwd)/var/test.env"

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --check . ; exit 1; }

echo "== mypy (bot/, actions/, analytics/; settings in pyproject.toml)"
.venv/bin/mypy

echo "== rasa data validate"
.venv/bin/rasa data validate --config config.yml --domain domain --data data

echo "== model (trained once here, before the tests that start Rasa with it)"
model=$(scripts/train.sh)

if [ $# -gt 0 ]; then
  echo "== pytest $*"
  .venv/bin/pytest -q "$@"
else
  # Unit and end-to-end tests on three workers (each test file stays on one worker, so a
  # module's servers are started once); the cluster and crash tests, which kill processes
  # and time recoveries, run afterwards: the two crash tests (3 min, mostly waiting on
  # restarts) beside the rest of them.
  echo "== pytest: unit and end-to-end tests (3 workers: many tests wait on servers)"
  .venv/bin/pytest -q -n 3 --dist loadfile --ignore=tests/cluster --ignore=tests/reliability
  echo "== pytest: cluster and crash tests (crash tests beside the others)"
  mkdir -p var
  crash_log=var/crash-tests.log
  .venv/bin/pytest -q -p no:cacheprovider tests/reliability/test_crash.py >"$crash_log" 2>&1 &
  crash_pid=$!
  others=0
  .venv/bin/pytest -q tests/cluster tests/reliability \
    --ignore=tests/reliability/test_crash.py || others=$?
  crash=0
  wait "$crash_pid" || crash=$?
  echo "-- crash tests (tests/reliability/test_crash.py):"
  cat "$crash_log"
  [ "$others" -eq 0 ] && [ "$crash" -eq 0 ] || exit 1
fi

echo "== rasa test (stories)"
rm -rf results/stories
.venv/bin/rasa test core --model "$model" --stories tests/stories --out results/stories \
  --fail-on-prediction-errors
echo "Rasa test stories: all predicted correctly."

echo "== NLU intent macro-F1 on the held-out test set (tests/nlu)"
.venv/bin/python bench/nlu_f1.py --model "$model" --min 0.90
