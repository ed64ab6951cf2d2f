#!/bin/sh
# Start the Rasa server of the Tracer image. Rasa's HTTP API (trigger_intent, trackers, model
# upload) is always behind TRACER_RASA_TOKEN: without one the container refuses to start.
set -eu
if [ -z "${TRACER_RASA_TOKEN:-}" ]; then
  echo "error: TRACER_RASA_TOKEN is not set; refusing to start Rasa with an open HTTP API" >&2
  exit 64
fi
exec rasa run --model models/tracer.tar.gz --endpoints deploy/endpoints.cluster.yml \
  --credentials credentials.yml --interface 0.0.0.0 --port 5005 \
  --enable-api --auth-token "$TRACER_RASA_TOKEN" "$@"
