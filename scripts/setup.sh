#!/usr/bin/env bash
# Create .venv with Python 3.10 and the pinned dependencies. A second run is a fast no-op.
set -euo pipefail
cd "$(dirname "$0")/.."

is_python310() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1
}

find_python310() {
  local candidate
  candidate=$(command -v python3.10 2>/dev/null || true)
  if [ -n "$candidate" ] && is_python310 "$candidate"; then echo "$candidate"; return 0; fi
  local roots=()
  command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)")
  roots+=("$HOME/.pyenv")
  for root in "${roots[@]}"; do
    for candidate in "$root"/versions/3.10*/bin/python3.10; do
      if [ -x "$candidate" ] && is_python310 "$candidate"; then echo "$candidate"; return 0; fi
    done
  done
  if command -v uv >/dev/null 2>&1; then
    candidate=$(uv python find 3.10 2>/dev/null || true)
    if [ -n "$candidate" ] && is_python310 "$candidate"; then echo "$candidate"; return 0; fi
  fi
  return 1
}

stamp=.venv/.tracer-installed
want=$(cat requirements/dev.txt pyproject.toml | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/rasa ]; then
  bash scripts/setup-web.sh
  exit 0
fi

if [ ! -x .venv/bin/python ]; then
  if ! python=$(find_python310); then
    echo "error: Tracer needs Python 3.10 (Rasa 3.6 does not run on 3.11+)." >&2
    echo "       Install it (e.g. 'pyenv install 3.10.13' or 'uv python install 3.10') and re-run." >&2
    exit 1
  fi
  echo "Creating .venv with $python"
  "$python" -m venv .venv
fi
echo "Installing the locked dependencies, test tools included (first run: about 2 minutes)..."
.venv/bin/pip install --quiet --disable-pip-version-check --upgrade "pip<24" "setuptools<70" wheel
# requirements/dev.txt: pyproject.toml's dependencies + its [dev] extra, resolved by `make lock`
# (every package pinned, transitive ones included); the project itself needs nothing more.
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
.venv/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
.venv/bin/pip check
bash scripts/setup-web.sh
echo "$want" > "$stamp"
echo "Environment ready."
