#!/usr/bin/env bash
# Builds the engine-stats exporter (scripts/observability/engine-exporter, Go standard library
# only, static) into $SHIPSHAPE_CACHE/tools/bin/shipshape-engine-exporter. Idempotent: a stamp
# (the sources' hash and the Go version) in $SHIPSHAPE_CACHE/tools/stamps; with the binary up to
# date it prints nothing, otherwise one line with its time. SHIPSHAPE_TOOLS_FORCE=1 ignores the stamp.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
# shellcheck source=scripts/lib/progress.sh
source "$root/scripts/lib/progress.sh"
progress_init observability-tools 1

# shellcheck source=scripts/lib/go-tools.sh
source "$root/scripts/lib/go-tools.sh"
src="$here/engine-exporter"
wanted="$(cat "$src/go.mod" "$src/main.go" | sha256sum | cut -c1-16) $("$go_bin" env GOVERSION)"
out="$bin/shipshape-engine-exporter"
if [ -z "${SHIPSHAPE_TOOLS_FORCE:-}" ] && [ -f "$stamps/engine-exporter" ] && [ "$(cat "$stamps/engine-exporter")" = "$wanted" ] && [ -x "$out" ]; then
  skip_step
  exit 0
fi
build() { (cd "$src" && nice -n 10 "$go_bin" build -trimpath -ldflags "-s -w" -o "$out" .); }
run_step "engine-stats exporter from Go sources (standard library only)" engine-exporter -- build
echo "$wanted" >"$stamps/engine-exporter"
