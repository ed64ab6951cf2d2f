#!/usr/bin/env bash
# Every performance benchmark, one after the other on this machine; JSON figures on stdout.
#   bash bench/run_all.sh            # full lengths (about 15 minutes)
#   SECONDS_SCALE=30 bash bench/run_all.sh   # shorter scale-out/outbound runs
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
scale=${SECONDS_SCALE:-120}
outbound=${SECONDS_OUTBOUND:-90}
echo "== load: $(uptime)" >&2
echo '{"floor":'
$py bench/bench_turns.py --chats 1 20 --seconds 20
echo ', "scaleout":'
$py bench/bench_scaleout.py --seconds "$scale"
echo ', "outbound":'
$py bench/bench_outbound.py --seconds "$outbound"
echo ', "training":'
$py bench/bench_training.py
echo '}'
