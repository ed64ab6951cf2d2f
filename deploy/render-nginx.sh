#!/bin/sh
# Render deploy/nginx.conf.template (POSIX sh + awk: runs on the host and in the nginx image).
#   render-nginx.sh TEMPLATE OUT LISTEN RUN_DIR ERROR_LOG RASA_ADDRS [ACTIONS_LISTEN ACTIONS_ADDRS]
# LISTEN: "127.0.0.1:8080" or "8080"; *_ADDRS: comma-separated host:port lists.
# NGINX_INTERNAL_LISTEN (environment, optional): the private listener with Rasa's HTTP API and
# the REST channel (scheduler, CLI, tests); without it that server block is left out.
set -eu
template=$1 out=$2 listen=$3 run_dir=$4 error_log=$5 rasa=$6
actions_listen=${7:-} actions=${8:-} internal_listen=${NGINX_INTERNAL_LISTEN:-}

servers() {
  echo "$1" | tr ',' '\n' | awk 'NF { printf "server %s max_fails=2 fail_timeout=5s; ", $1 }'
}

awk -v listen="$listen" -v run_dir="$run_dir" -v error_log="$error_log" \
    -v rasa="$(servers "$rasa")" -v actions_listen="$actions_listen" \
    -v actions="$(servers "$actions")" -v internal_listen="$internal_listen" '
  /@ACTIONS_BEGIN@/ { skipping = (actions == ""); next }
  /@ACTIONS_END@/ { skipping = 0; next }
  /@INTERNAL_BEGIN@/ { skipping = (internal_listen == ""); next }
  /@INTERNAL_END@/ { skipping = 0; next }
  skipping { next }
  {
    gsub(/@LISTEN@/, listen); gsub(/@RUN_DIR@/, run_dir); gsub(/@ERROR_LOG@/, error_log)
    gsub(/@RASA_SERVERS@/, rasa); gsub(/@ACTIONS_LISTEN@/, actions_listen)
    gsub(/@ACTIONS_SERVERS@/, actions); gsub(/@INTERNAL_LISTEN@/, internal_listen)
    print
  }' "$template" >"$out"
