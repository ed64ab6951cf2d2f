#!/usr/bin/env bash
# Refuse to expose Rasa's HTTP API beyond this machine without a real token.
#   TRACER_BIND=0.0.0.0 TRACER_RASA_TOKEN=... scripts/check-exposure.sh
# Exit 0 when safe: TRACER_BIND (default 127.0.0.1) is a loopback address, or
# TRACER_RASA_TOKEN is set explicitly in the environment, is at least 16 characters long and is
# not the token auto-generated for developers in var/tracer.env. Otherwise print why and exit 1.
# scripts/run.sh calls it before anything else; it reads only the caller's environment.
set -uo pipefail
cd "$(dirname "$0")/.."
bind=${TRACER_BIND:-127.0.0.1}
token=${TRACER_RASA_TOKEN:-}
dev_env=${TRACER_DEV_ENV_FILE:-var/tracer.env}

case "$bind" in
  127.*|localhost|::1|"[::1]") exit 0 ;;
esac

refuse() {
  echo "error: refusing to serve Rasa's API on TRACER_BIND=$bind: $1." >&2
  echo "  Set TRACER_RASA_TOKEN in the environment to a long random secret (for example" >&2
  echo "  \`python -c 'import secrets; print(secrets.token_urlsafe(32))'\`), or keep the default" >&2
  echo "  TRACER_BIND=127.0.0.1 behind a reverse proxy." >&2
  exit 1
}

[ -n "$token" ] || refuse "TRACER_RASA_TOKEN is not set in the environment"
[ "${#token}" -ge 16 ] || refuse "TRACER_RASA_TOKEN is shorter than 16 characters"
if [ -f "$dev_env" ] && grep -qxF "TRACER_RASA_TOKEN=$token" "$dev_env" \
    && grep -q "^# Generated on first run" "$dev_env"; then
  refuse "TRACER_RASA_TOKEN is the development token generated into $dev_env"
fi
exit 0
