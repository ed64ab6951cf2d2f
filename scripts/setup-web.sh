#!/usr/bin/env bash
# Install the web chat widget (rasa-webchat, pinned in web/package-lock.json) into web/node_modules.
# A second run is a fast no-op (stamp). Needs Node.js >= 14 and npm; nothing is built, and no
# package install scripts are run. The Rasa server serves the result at /webchat/.
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=web/node_modules/rasa-webchat/lib/index.js
stamp=web/node_modules/.tracer-installed
want=$(cat web/package.json web/package-lock.json | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$bundle" ]; then
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "error: the web chat needs Node.js (>= 14) and npm to install its widget." >&2
  echo "       Install them (e.g. 'sudo apt-get install -y nodejs npm') and re-run $0." >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 14 ]; then
  echo "error: Node.js $(node --version) is too old for npm ci; install Node.js 14 or newer." >&2
  exit 1
fi

echo "Installing the web chat widget (rasa-webchat, pinned; about 30 s)..."
if ! npm ci --prefix web --no-audit --no-fund --ignore-scripts --loglevel=error >&2; then
  echo "error: 'npm ci' failed in web/ (see above). Check the network access to the npm" >&2
  echo "       registry, or that web/package-lock.json matches web/package.json." >&2
  exit 1
fi
if [ ! -f "$bundle" ]; then
  echo "error: $bundle is missing after npm ci." >&2
  exit 1
fi
echo "$want" > "$stamp"
echo "Web chat widget ready: run the bot and open /webchat/."
