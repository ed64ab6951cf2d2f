#!/usr/bin/env bash
# Train the Rasa model unless one for exactly this config, domain and data already exists.
# Prints the model path. Models are cached by a hash of their inputs in models/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
hash=$(find config.yml domain data -type f -name '*.yml' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-12)
model="models/tracer-${hash}.tar.gz"
if [ ! -f "$model" ]; then
  echo "Training model $model (about a minute)..." >&2
  .venv/bin/rasa train --config config.yml --domain domain --data data \
    --out models --fixed-model-name "tracer-${hash}" >&2
fi
echo "$model"
