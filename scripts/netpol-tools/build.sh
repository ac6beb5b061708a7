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
# shellcheck source=scripts/lib/go-tools.sh
source "$root/scripts/lib/go-tools.sh"


build_cyclonus() {
  GOBIN="$bin" nice -n 10 "$go_bin" install -trimpath -ldflags "-s -w" "github.com/mattfenwick/cyclonus/cmd/cyclonus@v$CYCLONUS_VERSION"
}

wanted="cyclonus v$CYCLONUS_VERSION $go_version"
if ! stamp_ok cyclonus "$wanted" "$bin/cyclonus"; then
  run_step "cyclonus v$CYCLONUS_VERSION (NetworkPolicy engine) from Go sources" cyclonus -- build_cyclonus
  echo "$wanted" >"$stamps/cyclonus"
else skip_step; fi
