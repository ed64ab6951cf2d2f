#!/usr/bin/env bash
# The main job: set up if needed, migrate the database, train a model if the data changed,
# then run the action server and the Rasa server (REST + socket.io + web page) on localhost.
# Ctrl-C stops both. TRACER_BIND (default 127.0.0.1) is the address Rasa listens on; anything
# but loopback needs an explicit TRACER_RASA_TOKEN (scripts/check-exposure.sh, docs/security.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/check-exposure.sh
bind=${TRACER_BIND:-127.0.0.1}
scripts/setup.sh
source scripts/env.sh
.venv/bin/tracer db upgrade >/dev/null
.venv/bin/python -m bot.devseed
model=$(scripts/train.sh)
token=$(.venv/bin/python -c "from bot.config import get_settings; print(get_settings().rasa_token)")

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping Tracer..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

SANIC_HOST=127.0.0.1 .venv/bin/python -m bot.action_server --port "$TRACER_ACTIONS_PORT" &
pids+=($!)
.venv/bin/rasa run --model "$model" --endpoints endpoints.yml --credentials credentials.yml \
  --interface "$bind" --port "$TRACER_RASA_PORT" --enable-api --auth-token "$token" \
  --cors "*" &
pids+=($!)
# The officer console (bot/console, docs/console.md): loopback only, its own port.
.venv/bin/python -m bot.console --port "$TRACER_CONSOLE_PORT" &
pids+=($!)

probe=$bind
case "$bind" in 0.0.0.0|::|"[::]") probe=127.0.0.1 ;; esac
for _ in $(seq 1 180); do
  if curl -fs "http://${probe}:${TRACER_RASA_PORT}/" >/dev/null 2>&1; then break; fi
  sleep 1
done
echo
echo "Tracer is running:"
echo "  web chat:  http://127.0.0.1:${TRACER_RASA_PORT}/webchat/"
case "${TRACER_REST_ENABLED:-}" in
  1|true|yes) echo "  REST:      POST http://127.0.0.1:${TRACER_RASA_PORT}/webhooks/rest/webhook" ;;
  *) echo "  REST:      off (TRACER_REST_ENABLED=1 for development)" ;;
esac
echo "  actions:   http://127.0.0.1:${TRACER_ACTIONS_PORT}/health"
echo "  console:   http://127.0.0.1:${TRACER_CONSOLE_PORT}/  (accounts: tracer users add NAME --role admin)"
echo "Press Ctrl-C to stop."
wait -n "${pids[@]}"
