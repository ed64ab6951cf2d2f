# Sourced by the other scripts: environment shared by Rasa, the action server and the CLI.
# Any value can be overridden by the caller's environment (see README, "Configuration").
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-3}
export PYTHONPATH="$(pwd)${PYTHONPATH:+:$PYTHONPATH}"
export TRACER_RASA_PORT=${TRACER_RASA_PORT:-5005}
export TRACER_ACTIONS_PORT=${TRACER_ACTIONS_PORT:-5055}
export TRACER_CONSOLE_PORT=${TRACER_CONSOLE_PORT:-5080}
export TRACER_ACTION_SERVER_URL=${TRACER_ACTION_SERVER_URL:-http://127.0.0.1:${TRACER_ACTIONS_PORT}/webhook}
export TRACER_RASA_URL=${TRACER_RASA_URL:-http://127.0.0.1:${TRACER_RASA_PORT}}
export TRACER_LOCK_STORE=${TRACER_LOCK_STORE:-in_memory}
export SANIC_REQUEST_TIMEOUT=${SANIC_REQUEST_TIMEOUT:-60}
