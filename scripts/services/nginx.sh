#!/usr/bin/env bash
# nginx as Tracer's load balancer on loopback, run from a generated config in a run dir
# (no system service, no /etc/nginx changes).
#   scripts/services/nginx.sh start RUNDIR PORT RASA_ADDRS [ACTIONS_PORT ACTIONS_ADDRS]
#       RASA_ADDRS / ACTIONS_ADDRS: comma-separated host:port lists. Installs the Debian
#       package if missing, writes RUNDIR/nginx.conf from deploy/nginx.conf.template, starts
#       nginx (pid in RUNDIR/nginx.pid) and prints the internal URL (PORT + 4: Rasa's API and
#       REST for the scheduler, CLI and tests; the public PORT only has the web chat,
#       socket.io and the Telegram webhook).
#   scripts/services/nginx.sh reload RUNDIR PORT RASA_ADDRS [...]   # new config, no downtime
#   scripts/services/nginx.sh stop RUNDIR
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
action=${1:?usage: $0 start|reload|stop RUNDIR [PORT RASA_ADDRS [ACTIONS_PORT ACTIONS_ADDRS]]}
rundir=$(realpath -m "${2:?RUNDIR missing}")

nginx_bin() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }

ensure_installed() {
  [ -n "$(nginx_bin)" ] && return 0
  [ "$(id -u)" = 0 ] || { echo "error: nginx is missing: apt-get install nginx" >&2; exit 1; }
  echo "Installing nginx (Debian package)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package's own service from starting on port 80 during installation.
  local policy=/usr/sbin/policy-rc.d made_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends nginx >&2 || {
    [ -n "$made_policy" ] && rm -f "$policy"; exit 1; }
  [ -n "$made_policy" ] && rm -f "$policy"
  return 0
}

write_config() {
  local port=${1:?PORT missing} rasa=${2:?RASA_ADDRS missing} actions_port=${3:-} actions=${4:-}
  mkdir -p "$rundir"
  NGINX_INTERNAL_LISTEN="127.0.0.1:$((port + 4))" sh "$here/deploy/render-nginx.sh" "$here/deploy/nginx.conf.template" "$rundir/nginx.conf" \
    "127.0.0.1:$port" "$rundir" "$rundir/error.log" "$rasa" \
    "${actions_port:+127.0.0.1:$actions_port}" "$actions"
  "$(nginx_bin)" -t -q -p "$rundir" -c "$rundir/nginx.conf" -e "$rundir/error.log" >&2
}

running() { [ -f "$rundir/nginx.pid" ] && kill -0 "$(cat "$rundir/nginx.pid")" 2>/dev/null; }

case "$action" in
  start)
    ensure_installed
    write_config "${3:-}" "${4:-}" "${5:-}" "${6:-}"
    if running; then
      "$(nginx_bin)" -p "$rundir" -c "$rundir/nginx.conf" -e "$rundir/error.log" -s reload
    else
      "$(nginx_bin)" -p "$rundir" -c "$rundir/nginx.conf" -e "$rundir/error.log"
    fi
    echo "http://127.0.0.1:$((${3} + 4))"
    ;;
  reload)
    write_config "${3:-}" "${4:-}" "${5:-}" "${6:-}"
    "$(nginx_bin)" -p "$rundir" -c "$rundir/nginx.conf" -e "$rundir/error.log" -s reload
    ;;
  stop)
    if running; then
      pid=$(cat "$rundir/nginx.pid")
      kill -QUIT "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$rundir/nginx.pid"
    ;;
  *) echo "usage: $0 start|reload|stop RUNDIR [PORT RASA_ADDRS [ACTIONS_PORT ACTIONS_ADDRS]]" >&2
     exit 2 ;;
esac
