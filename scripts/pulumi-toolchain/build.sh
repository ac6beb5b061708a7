#!/usr/bin/env bash
# Builds the Pulumi toolchain from Go sources fetched through the Go module proxy, at the versions
# of the npm packages this repository pins, and installs it into $SHIPSHAPE_CACHE/pulumi/bin:
#
#   pulumi                          github.com/pulumi/pulumi/pkg/v3/cmd/pulumi (upstream CLI)
#   pulumi-language-nodejs          ./language-nodejs (own host on the released Go SDK)
#   pulumi-resource-random          ./provider-random (upstream TF provider through the bridge)
#   pulumi-resource-tls             ./provider-tls    (upstream TF provider through the bridge)
#   pulumi-resource-docker          ./provider-docker (kreuzwerker's TF provider through the bridge)
#   pulumi-resource-pulumi-nodejs   copied from the npm package @pulumi/pulumi
#
# The resource plugins are also registered with `pulumi plugin install resource NAME VERSION
# --file ...` so that `pulumi plugin ls` shows them. Plugins the proxy cannot supply the sources
# for are reported and skipped (docs/pulumi-toolchain.md says which and why).
#
# Idempotent: each component keeps a stamp (wanted version + hash of its sources + Go version) and
# is rebuilt only when that changes; with everything built this takes well under two seconds.
#
# Environment: SHIPSHAPE_CACHE (see scripts/env.sh); SHIPSHAPE_PULUMI_ONLY=cli,random to build a
# subset; SHIPSHAPE_PULUMI_FORCE=1 to ignore stamps.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"

bin="$SHIPSHAPE_PULUMI_DIR"
cache="$SHIPSHAPE_CACHE/pulumi"
stamps="$cache/stamps"
work="$cache/work"
mkdir -p "$bin" "$stamps" "$work" "$cache/share"

log() { printf '[pulumi-toolchain] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

go_bin="$(command -v go || true)"
[ -n "$go_bin" ] || { [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go; }
[ -n "$go_bin" ] || die "no Go toolchain found (need go >= 1.25 on PATH or in /usr/local/go)"

# A private GOPATH/GOCACHE so rebuilds reuse downloads and compiled packages.
export GOPATH="$SHIPSHAPE_CACHE/go"
export GOMODCACHE="$GOPATH/pkg/mod"
export GOCACHE="$GOPATH/cache"
export GOFLAGS="-mod=mod -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
# The checksum database reachable here has no entries for these modules (lookups answer 404);
# their hashes are recorded in the go.sum files committed next to each wrapper module instead.
export GONOSUMDB="github.com/pulumi/pulumi-terraform-bridge,github.com/terraform-providers,github.com/hashicorp/terraform-provider-tls,github.com/pulumi/terraform-plugin-sdk,github.com/pulumi/pulumi-java,github.com/pulumi/pulumi-yaml,github.com/pulumi/pulumi-dotnet,github.com/kreuzwerker"
go_version="$("$go_bin" env GOVERSION)"

only=",${SHIPSHAPE_PULUMI_ONLY:-cli,language-nodejs,pulumi-nodejs,random,tls,docker,kubernetes},"
wanted() { case "$only" in *",$1,"*) return 0;; *) return 1;; esac; }

# --- versions of the npm packages -------------------------------------------------------------
# Installed package.json first (what actually runs), then the lockfile, then package.json's pin.
npm_version() {
  local pkg="$1" f v
  f="$root/node_modules/$pkg/package.json"
  if [ -f "$f" ]; then
    v="$(sed -n 's/^  "version": "\(.*\)",\{0,1\}$/\1/p' "$f" | head -n1)"
    [ -n "$v" ] && { echo "${v#v}"; return; }
  fi
  if [ -f "$root/package-lock.json" ]; then
    v="$(awk -v key="\"node_modules/$pkg\": {" 'index($0, key) {found=1; next}
      found && /"version":/ {gsub(/.*"version": "|".*/, ""); print; exit}' "$root/package-lock.json")"
    [ -n "$v" ] && { echo "${v#v}"; return; }
  fi
  v="$(sed -n "s/^ *\"${pkg//\//\\/}\": \"[~^=]*\([0-9][^\"]*\)\",\{0,1\}\$/\1/p" "$root/package.json" | head -n1)"
  [ -n "$v" ] || die "cannot find the version of $pkg in node_modules, package-lock.json or package.json"
  echo "$v"
}

# --- stamps -----------------------------------------------------------------------------------
src_hash() { # hash of a component's committed sources (go.mod, go.sum, *.go)
  (cd "$here" && find "$@" -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
    sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}
stamp_ok() { [ -z "${SHIPSHAPE_PULUMI_FORCE:-}" ] && [ -f "$stamps/$1" ] && [ "$(cat "$stamps/$1")" = "$2" ] && [ -x "$bin/$3" ]; }
stamp_set() { echo "$2" > "$stamps/$1"; }
# What was built for a component, for the manifest: "wanted built [note]".
record() { local c="$1"; shift; echo "$*" > "$stamps/$c.built"; }

# Copies a wrapper module (and bridgeutil, which providers share) to a scratch tree, so that
# `go` may update go.mod/go.sum there without touching the repository.
stage() {
  local name="$1" dst="$work/src"
  mkdir -p "$dst"
  rm -rf "${dst:?}/$name"
  cp -R "$here/$name" "$dst/$name"
  if [ -d "$here/bridgeutil" ]; then rm -rf "$dst/bridgeutil"; cp -R "$here/bridgeutil" "$dst/bridgeutil"; fi
  echo "$dst/$name"
}

# Runs go build with timing; $1 = label, $2 = module dir, rest = go build args.
timed_build() {
  local label="$1" dir="$2"; shift 2
  local t0=$SECONDS
  log "building $label ..."
  (cd "$dir" && "$go_bin" build -trimpath "$@") || die "go build failed for $label"
  log "built $label in $((SECONDS - t0))s"
}

module_available() { # module@version: is its zip on the proxy?
  (cd "$work" && "$go_bin" mod download -json "$1" 2>/dev/null | grep -q '"Zip"')
}

built=()
skipped=()

# --- pulumi CLI ---------------------------------------------------------------------------------
sdk_version="$(npm_version @pulumi/pulumi)"
cli_version="$sdk_version"
build_cli() {
  local key; key="cli want=$sdk_version src=$(src_hash cli) $go_version"
  if stamp_ok cli "$key" pulumi; then return; fi
  # The exact release first; the proxy reachable here lacks the newest pkg/v3 zips, so fall back to
  # the pin in cli/go.mod (the newest release whose sources it serves) and say so.
  local pinned; pinned="$(sed -n 's/^\tgithub.com\/pulumi\/pulumi\/pkg\/v3 v\(.*\)$/\1/p' "$here/cli/go.mod")"
  cli_version="$sdk_version"
  if ! module_available "github.com/pulumi/pulumi/pkg/v3@v$sdk_version"; then
    log "WARNING: github.com/pulumi/pulumi/pkg/v3@v$sdk_version is not on the Go module proxy;"
    log "         building the CLI at v$pinned (pinned in scripts/pulumi-toolchain/cli/go.mod)."
    cli_version="$pinned"
  fi
  local dir; dir="$(stage cli)"
  (cd "$dir" && "$go_bin" mod edit \
      -require="github.com/pulumi/pulumi/pkg/v3@v$cli_version" \
      -require="github.com/pulumi/pulumi/sdk/v3@v$cli_version")
  # Copy pkg/v3's own non-local replace directives (go ignores them in a dependency).
  local gomod; gomod="$(cd "$dir" && "$go_bin" mod download -json "github.com/pulumi/pulumi/pkg/v3@v$cli_version" |
    sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
  local rep
  while read -r rep; do
    [ -n "$rep" ] && (cd "$dir" && "$go_bin" mod edit -replace="$rep")
  done < <("$go_bin" mod edit -json "$gomod" |
    awk '/"Replace": \[/ {inrep=1} inrep && /"Old":/ {getline; gsub(/[",]/, ""); op=$2}
         inrep && /"New":/ {getline; gsub(/[",]/, ""); np=$2; getline; if ($1 ~ /"Version"/) {gsub(/[",]/, ""); print op "=" np "@" $2}}')
  timed_build "pulumi v$cli_version" "$dir" -ldflags \
    "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$cli_version" \
    -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  mv "$bin/pulumi.tmp" "$bin/pulumi"
  stamp_set cli "$key"
  if [ "$cli_version" = "$sdk_version" ]; then record cli "$sdk_version" "$cli_version"
  else record cli "$sdk_version" "$cli_version" "pkg/v3@v$sdk_version is not on the Go module proxy"; fi
  built+=("pulumi v$cli_version")
}

# --- Node.js language host ----------------------------------------------------------------------
build_language_nodejs() {
  local key; key="language-nodejs want=$sdk_version src=$(src_hash language-nodejs) $go_version"
  if stamp_ok language-nodejs "$key" pulumi-language-nodejs; then return; fi
  local sdk="$sdk_version"
  if ! module_available "github.com/pulumi/pulumi/sdk/v3@v$sdk"; then
    sdk="$(sed -n 's/^\tgithub.com\/pulumi\/pulumi\/sdk\/v3 v\(.*\)$/\1/p' "$here/language-nodejs/go.mod")"
    log "WARNING: github.com/pulumi/pulumi/sdk/v3@v$sdk_version is not on the proxy; using v$sdk"
  fi
  local dir; dir="$(stage language-nodejs)"
  (cd "$dir" && "$go_bin" mod edit -require="github.com/pulumi/pulumi/sdk/v3@v$sdk")
  timed_build "pulumi-language-nodejs $sdk_version (Go SDK v$sdk)" "$dir" \
    -ldflags "-s -w -X main.version=$sdk_version" -o "$bin/pulumi-language-nodejs.tmp" .
  mv "$bin/pulumi-language-nodejs.tmp" "$bin/pulumi-language-nodejs"
  stamp_set language-nodejs "$key"
  record language-nodejs "$sdk_version" "$sdk_version" "own host on github.com/pulumi/pulumi/sdk/v3@v$sdk"
  built+=("pulumi-language-nodejs $sdk_version")
}

# --- dynamic providers: the script the npm package ships ---------------------------------------
install_pulumi_nodejs() {
  local src="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ ! -f "$src" ]; then
    log "WARNING: $src is missing (run npm install); dynamic providers will not work"
    return
  fi
  local key; key="pulumi-nodejs $sdk_version $(sha256sum "$src" | cut -c1-16)"
  if stamp_ok pulumi-nodejs "$key" pulumi-resource-pulumi-nodejs; then return; fi
  install -m 0755 "$src" "$bin/pulumi-resource-pulumi-nodejs"
  stamp_set pulumi-nodejs "$key"
  record pulumi-nodejs "$sdk_version" "$sdk_version" "script shipped in the npm package"
  built+=("pulumi-resource-pulumi-nodejs (from @pulumi/pulumi $sdk_version)")
}

# --- bridged resource providers -----------------------------------------------------------------
register_plugin() { # name version: make `pulumi plugin ls` show it
  local name="$1" version="$2" home="${PULUMI_HOME:-$HOME/.pulumi}"
  [ -x "$bin/pulumi" ] || return 0
  cmp -s "$bin/pulumi-resource-$name" "$home/plugins/resource-$name-v$version/pulumi-resource-$name" && return 0
  "$bin/pulumi" plugin install resource "$name" "$version" --file "$bin/pulumi-resource-$name" --reinstall >/dev/null 2>&1 ||
    log "WARNING: could not register $name $version with 'pulumi plugin install' (it is still on PATH)"
}

build_bridged() { # name npm-package
  local name="$1" pkg="$2" version
  version="$(npm_version "$pkg")"
  local key; key="$name want=$version src=$(src_hash "provider-$name" bridgeutil) $go_version"
  if ! stamp_ok "$name" "$key" "pulumi-resource-$name"; then
    local dir; dir="$(stage "provider-$name")"
    # A provider that fails to build is reported (and the tests say so), not fatal: the CLI,
    # the language host and the other providers stay usable.
    if ! (timed_build "pulumi-resource-$name $version" "$dir" \
      -ldflags "-s -w -X main.version=$version" -o "$bin/pulumi-resource-$name.tmp" .); then
      rm -f "$bin/pulumi-resource-$name.tmp" "$stamps/$name"
      blocked "$name" "$pkg" "go build failed at $(date -u +%FT%TZ); rerun scripts/pulumi-toolchain/build.sh to see why"
      return 0
    fi
    rm -f "$stamps/$name.blocked"
    mv "$bin/pulumi-resource-$name.tmp" "$bin/pulumi-resource-$name"
    stamp_set "$name" "$key"
    record "$name" "$version" "$version" "$(sed -n 's/^\t\(github.com\/[^ ]*terraform-provider-[a-z]*\) \(v[^ ]*\)$/\1@\2/p' "$here/provider-$name/go.mod" | head -n1)"
    built+=("pulumi-resource-$name $version")
  fi
  register_plugin "$name" "$version"
}

blocked() { # name npm-package reason
  skipped+=("pulumi-resource-$1 $(npm_version "$2"): $3")
  rm -f "$stamps/$1.built"
  echo "$(npm_version "$2") $3" > "$stamps/$1.blocked"
}

# $SHIPSHAPE_CACHE/pulumi/manifest.json: what is in bin, for tests and `cat`.
write_manifest() {
  local f c first=1 wanted_v built_v note
  {
    printf '{\n  "bin": "%s",\n  "components": {' "$bin"
    for f in "$stamps"/*.built; do
      [ -f "$f" ] || continue
      c="$(basename "$f" .built)"
      read -r wanted_v built_v note < "$f" || true
      [ $first = 1 ] || printf ','
      first=0
      printf '\n    "%s": {"wanted": "%s", "built": "%s", "note": "%s"}' "$c" "$wanted_v" "$built_v" "${note//\"/\\\"}"
    done
    printf '\n  },\n  "blocked": {'
    first=1
    for f in "$stamps"/*.blocked; do
      [ -f "$f" ] || continue
      [ $first = 1 ] || printf ','
      first=0
      read -r wanted_v note < "$f" || true
      printf '\n    "%s": {"wanted": "%s", "reason": "%s"}' "$(basename "$f" .blocked)" "$wanted_v" "${note//\"/\\\"}"
    done
    printf '\n  }\n}\n'
  } > "$cache/manifest.json.tmp"
  mv "$cache/manifest.json.tmp" "$cache/manifest.json"
}

t_start=$SECONDS
wanted cli && build_cli
wanted language-nodejs && build_language_nodejs
wanted pulumi-nodejs && install_pulumi_nodejs
wanted random && build_bridged random @pulumi/random
wanted tls && build_bridged tls @pulumi/tls
wanted docker && build_bridged docker @pulumi/docker
wanted kubernetes && blocked kubernetes @pulumi/kubernetes \
  "github.com/pulumi/pulumi-kubernetes/provider/v4 is not on the Go module proxy (see docs/pulumi-toolchain.md)"

write_manifest
if [ ${#built[@]} -gt 0 ]; then
  log "built: ${built[*]}"
  log "toolchain ready in $bin ($((SECONDS - t_start))s)"
fi
for s in "${skipped[@]}"; do log "not available: $s"; done
exit 0
