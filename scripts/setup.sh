#!/usr/bin/env bash
# Create .venv with Python 3.10 and the pinned dependencies. A second run is a fast no-op.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
  local candidate
  if command -v python3.10 >/dev/null 2>&1; then command -v python3.10; return 0; fi
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/3.10*/bin/python3.10; do
      [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
  fi
  for candidate in "$HOME"/.pyenv/versions/3.10*/bin/python3.10; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  if command -v uv >/dev/null 2>&1; then
    candidate=$(uv python find 3.10 2>/dev/null || true)
    [ -n "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  fi
  return 1
}

stamp=.venv/.tracer-installed
want=$(cat requirements/requirements.in requirements/constraints.txt pyproject.toml | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/rasa ]; then
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
echo "Installing pinned dependencies (first run: about 2 minutes)..."
.venv/bin/pip install --quiet --disable-pip-version-check --upgrade "pip<24" "setuptools<70" wheel
.venv/bin/pip install --quiet --disable-pip-version-check \
  -r requirements/requirements.in -c requirements/constraints.txt
.venv/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
.venv/bin/pip check
echo "$want" > "$stamp"
echo "Environment ready."
