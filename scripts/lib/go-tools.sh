# shellcheck shell=bash
# The Go environment of the tool builds (security-tools, netpol-tools, observability): the
# machine's Go, module and build caches in $SHIPSHAPE_CACHE/go, no VCS stamping, no toolchain
# download, static binaries; and their layout, $SHIPSHAPE_CACHE/tools/{bin,stamps}.
# Source it after scripts/lib/progress.sh (a missing Go is a progress_fail).
tools="$SHIPSHAPE_CACHE/tools"
bin="$tools/bin"
stamps="$tools/stamps"
mkdir -p "$bin" "$stamps"

go_bin="$(command -v go || true)"
[ -n "$go_bin" ] || { [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go; }
[ -n "$go_bin" ] || progress_fail "no Go toolchain found (need go >= 1.25 on PATH or in /usr/local/go)"
export GOPATH="$SHIPSHAPE_CACHE/go"
export GOMODCACHE="$GOPATH/pkg/mod"
export GOCACHE="$GOPATH/cache"
export GOFLAGS="-buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
go_version="$("$go_bin" env GOVERSION)"

# stamp_ok NAME WANTED FILE: the stamp says WANTED and FILE exists (SHIPSHAPE_TOOLS_FORCE=1 ignores stamps).
stamp_ok() { [ -z "${SHIPSHAPE_TOOLS_FORCE:-}" ] && [ -f "$stamps/$1" ] && [ "$(cat "$stamps/$1")" = "$2" ] && [ -e "$3" ]; }
