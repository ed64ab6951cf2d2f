#!/usr/bin/env bash
# A throw-away Redis server on loopback (Rasa's RedisLockStore for several Rasa processes).
#   scripts/services/redis.sh start DIR PORT   # installs redis-server if missing; prints host:port
#   scripts/services/redis.sh stop DIR
set -euo pipefail
action=${1:?usage: $0 start|stop DIR [PORT]}
dir=$(realpath -m "${2:?DIR missing}")
port=${3:-56379}

case "$action" in
  start)
    if ! command -v redis-server >/dev/null 2>&1; then
      [ "$(id -u)" = 0 ] || { echo "error: redis-server is missing: apt-get install redis-server" >&2; exit 1; }
      echo "Installing Redis (Debian package)..." >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends redis-server >&2
    fi
    mkdir -p "$dir"
    if [ ! -f "$dir/redis.pid" ] || ! kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then
      redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no
      for _ in $(seq 1 50); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.1
      done
    fi
    echo "127.0.0.1:$port"
    ;;
  stop)
    if [ -f "$dir/redis.pid" ]; then
      kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
      rm -f "$dir/redis.pid"
    fi
    ;;
  *) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
