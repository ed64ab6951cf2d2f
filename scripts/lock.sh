#!/usr/bin/env bash
# Re-resolve the dependencies declared in pyproject.toml into two locks:
#   requirements/runtime.txt  what the Docker image installs (no test tools)
#   requirements/dev.txt      runtime + the [dev] extra, what scripts/setup.sh installs
# pip-compile keeps the versions already in a lock when they still satisfy pyproject.toml, so
# adding one dependency does not move the others; `make lock UPGRADE=1` re-resolves to newest.
set -euo pipefail
cd "$(dirname "$0")/.."
upgrade=()
[ "${UPGRADE:-}" = "1" ] && upgrade=(--upgrade)
export CUSTOM_COMPILE_COMMAND="make lock"
compile=(.venv/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links "${upgrade[@]}")
"${compile[@]}" --output-file requirements/runtime.txt pyproject.toml
# The dev lock is constrained by the runtime lock: tests run against exactly what ships.
"${compile[@]}" --extra dev --constraint requirements/runtime.txt \
  --output-file requirements/dev.txt pyproject.toml
echo "Locked: requirements/runtime.txt, requirements/dev.txt"
