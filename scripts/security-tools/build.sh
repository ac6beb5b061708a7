#!/usr/bin/env bash
# Builds the image scanner and its offline vulnerability database, from Go sources fetched
# through the Go module proxy, into $SHIPSHAPE_CACHE/tools:
#
#   bin/trivy      github.com/aquasecurity/trivy/cmd/trivy (the scanner ImageScan and `shipshape scan` run)
#   bin/trivy-db   github.com/aquasecurity/trivy-db/cmd/trivy-db, at the pseudo-version trivy pins
#   bin/cosign     github.com/sigstore/cosign/v2/cmd/cosign (the peer SignedImage's signatures are
#                  proven against, both ways; shipshape itself signs and verifies natively)
#   trivy/db/      trivy.db + metadata.json built by trivy-db from the OSV advisories in vulndb/osv
#                  (trivy's cache directory layout: point `trivy --cache-dir` or ImageScan's
#                  cacheDir at $SHIPSHAPE_CACHE/tools/trivy)
#
# Idempotent: each part keeps a stamp (version + Go version, or the advisories' hash) and is
# rebuilt only when that changes; with everything built this prints nothing. Otherwise one line
# per part with its time; go's output goes to $SHIPSHAPE_CACHE/logs/security-tools.log.
# SHIPSHAPE_TOOLS_FORCE=1 ignores the stamps.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
# shellcheck source=scripts/lib/progress.sh
source "$root/scripts/lib/progress.sh"
progress_init security-tools 4

TRIVY_VERSION=0.74.0
COSIGN_VERSION=2.6.5
# shellcheck source=scripts/lib/go-tools.sh
source "$root/scripts/lib/go-tools.sh"
# trivy's release builds set this: it uses encoding/json/v2.
export GOEXPERIMENT=jsonv2

# The trivy-db version trivy's own go.mod requires (the proxy serves it at that pseudo-version).
trivy_db_version() {
  local mod="$GOMODCACHE/cache/download/github.com/aquasecurity/trivy/@v/v$TRIVY_VERSION.mod"
  [ -f "$mod" ] || "$go_bin" mod download -json "github.com/aquasecurity/trivy@v$TRIVY_VERSION" >/dev/null
  awk '$1 == "github.com/aquasecurity/trivy-db" { print $2; exit }' "$mod"
}

go_install() { # module@version, ldflags
  GOBIN="$bin" "$go_bin" install -trimpath -ldflags "$2" "$1"
}

wanted="trivy v$TRIVY_VERSION $go_version"
if ! stamp_ok trivy "$wanted" "$bin/trivy"; then
  run_step "trivy v$TRIVY_VERSION from Go sources (a first build took 19 to 28 minutes on 2 cores)" trivy -- \
    go_install "github.com/aquasecurity/trivy/cmd/trivy@v$TRIVY_VERSION" \
    "-s -w -X github.com/aquasecurity/trivy/pkg/version/app.ver=$TRIVY_VERSION"
  echo "$wanted" >"$stamps/trivy"
else skip_step; fi

wanted="cosign v$COSIGN_VERSION $go_version"
if ! stamp_ok cosign "$wanted" "$bin/cosign"; then
  # cosign's version command reads the module version from the build info: no -X flags needed.
  run_step "cosign v$COSIGN_VERSION from Go sources (a first build took 7 minutes on 2 shared cores)" cosign -- \
    go_install "github.com/sigstore/cosign/v2/cmd/cosign@v$COSIGN_VERSION" "-s -w"
  echo "$wanted" >"$stamps/cosign"
else skip_step; fi

db_version="$(trivy_db_version)"
[ -n "$db_version" ] || progress_fail "cannot read the trivy-db version from trivy v$TRIVY_VERSION's go.mod"
wanted="trivy-db $db_version $go_version"
if ! stamp_ok trivy-db "$wanted" "$bin/trivy-db"; then
  run_step "trivy-db $db_version from Go sources" trivy-db -- \
    go_install "github.com/aquasecurity/trivy-db/cmd/trivy-db@$db_version" "-s -w"
  echo "$wanted" >"$stamps/trivy-db"
else skip_step; fi

# The offline DB: trivy-db reads GitHub's advisories (OSV JSON) from ghsa/advisories/github-reviewed
# under its --cache-dir, and needs a (here empty) CocoaPods spec tree beside them.
build_db() {
  local work="$tools/db-work" out="$tools/trivy/db"
  rm -rf "$work"
  mkdir -p "$work/src/ghsa/advisories/github-reviewed" "$work/src/cocoapods-specs/Specs" "$work/out"
  cp "$root"/vulndb/osv/*.json "$work/src/ghsa/advisories/github-reviewed/"
  (cd "$work" && "$bin/trivy-db" build --cache-dir "$work/src" --output-dir "$work/out" \
    --only-update ghsa --update-interval 8760h)
  [ -s "$work/out/trivy.db" ] && [ -s "$work/out/metadata.json" ] || { echo "trivy-db wrote no database" >&2; return 1; }
  rm -rf "$out"
  mkdir -p "$(dirname "$out")"
  mv "$work/out" "$out"
  rm -rf "$work"
}
wanted="db $(cat "$stamps/trivy-db") $(cat "$root"/vulndb/osv/*.json | sha256sum | cut -c1-16)"
if ! stamp_ok vuln-db "$wanted" "$tools/trivy/db/trivy.db"; then
  run_step "offline vulnerability DB from vulndb/osv ($(ls "$root"/vulndb/osv/*.json | wc -l) advisories)" vuln-db -- build_db
  echo "$wanted" >"$stamps/vuln-db"
else skip_step; fi
