#!/usr/bin/env bash
# Builds cyclonus, an independent Kubernetes NetworkPolicy engine (it computes who may connect to
# whom from policy YAML alone), from Go sources fetched through the Go module proxy:
#
#   $SHIPSHAPE_CACHE/tools/bin/cyclonus   github.com/mattfenwick/cyclonus (the SegmentedNetworks
#                                         Kubernetes test checks its policies' matrix with it)
#
# Idempotent: a stamp (version + Go version) in $SHIPSHAPE_CACHE/tools/stamps; with it built this
# prints nothing. Otherwise one line with its time; go's output goes to
# $SHIPSHAPE_CACHE/logs/netpol-tools.log. SHIPSHAPE_TOOLS_FORCE=1 ignores the stamp.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
# shellcheck source=scripts/lib/progress.sh
source "$root/scripts/lib/progress.sh"
progress_init netpol-tools 1

CYCLONUS_VERSION=0.5.6
tools="$SHIPSHAPE_CACHE/tools"
bin="$tools/bin"
stamps="$tools/stamps"
mkdir -p "$bin" "$stamps"

go_bin="$(command -v go || true)"
[ -n "$go_bin" ] || { [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go; }
[ -n "$go_bin" ] || progress_fail "no Go toolchain found (need go on PATH or in /usr/local/go)"
export GOPATH="$SHIPSHAPE_CACHE/go"
export GOMODCACHE="$GOPATH/pkg/mod"
export GOCACHE="$GOPATH/cache"
export GOFLAGS="-buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
go_version="$("$go_bin" env GOVERSION)"

stamp_ok() { [ -z "${SHIPSHAPE_TOOLS_FORCE:-}" ] && [ -f "$stamps/$1" ] && [ "$(cat "$stamps/$1")" = "$2" ] && [ -e "$3" ]; }

build_cyclonus() {
  GOBIN="$bin" nice -n 10 "$go_bin" install -trimpath -ldflags "-s -w" "github.com/mattfenwick/cyclonus/cmd/cyclonus@v$CYCLONUS_VERSION"
}

wanted="cyclonus v$CYCLONUS_VERSION $go_version"
if ! stamp_ok cyclonus "$wanted" "$bin/cyclonus"; then
  run_step "cyclonus v$CYCLONUS_VERSION (NetworkPolicy engine) from Go sources" cyclonus -- build_cyclonus
  echo "$wanted" >"$stamps/cyclonus"
else skip_step; fi
