#!/usr/bin/env bash
# Prints the folder holding the Node 24 binary that scripts/prereqs.sh installed, so other
# scripts can run the tests on the same Node major as VS Code's extension host and
# code-server (the machine's own Node is 20). Usage: PATH="$(scripts/node24.sh):$PATH" ...
set -euo pipefail
# shellcheck source=versions.env
source "$(dirname "$0")/versions.env"
CACHE=${SERVE_REVISIONS_CACHE:-$HOME/.cache/serve-revisions}
BIN=$CACHE/node-v$NODE_VERSION/bin
if [ ! -x "$BIN/node" ]; then
  echo "node24: Node $NODE_VERSION not found in $BIN; run scripts/prereqs.sh first." >&2
  exit 1
fi
echo "$BIN"
