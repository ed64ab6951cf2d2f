#!/usr/bin/env bash
# Train the Rasa model unless one for exactly this config, domain and data already exists.
# Prints the model path. Models are cached by a hash of their inputs in models/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# NLU choice labels and Rasa test stories follow the active questionnaire (core + installed
# programme modules, issue 17): regenerate them first. The model hash below covers data/, so the
# model is retrained only when the regenerated labels actually change.
.venv/bin/python -m bot.questionnaire.nlu_labels >&2
.venv/bin/python -m tests.stories.build_stories >&2
hash=$(find config.yml domain data -type f -name '*.yml' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-12)
model="models/tracer-${hash}.tar.gz"
if [ ! -f "$model" ]; then
  echo "Training model $model (about a minute)..." >&2
  .venv/bin/rasa train --config config.yml --domain domain --data data \
    --out models --fixed-model-name "tracer-${hash}" >&2
fi
echo "$model"
