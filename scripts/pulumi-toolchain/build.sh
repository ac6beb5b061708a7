#!/usr/bin/env bash
# Builds the Pulumi toolchain from Go sources fetched through the Go module proxy, at the versions
# of the npm packages this repository pins, and installs it into $SHIPSHAPE_CACHE/pulumi/bin:
#
#   pulumi                          github.com/pulumi/pulumi/pkg/v3/cmd/pulumi (upstream CLI)
#   pulumi-language-nodejs          ./language-nodejs (own host on the released Go SDK)
#   pulumi-language-yaml            github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml (upstream,
#                                   through ./language-yaml, at the pulumi/pkg version its go.mod pins)
#   pulumi-language-python          ./language-python (own host on the released Go SDK and codegen;
#                                   the Python SDK is PyPI's `pulumi`, see scripts/python-venv.sh)
#   pulumi-resource-random          ./provider-random (upstream TF provider through the bridge)
#   pulumi-resource-tls             ./provider-tls    (upstream TF provider through the bridge)
#   pulumi-resource-docker          ./provider-docker (kreuzwerker's TF provider through the bridge)
#   pulumi-resource-pulumi-nodejs   copied from the npm package @pulumi/pulumi
#
# The resource plugins are registered with `pulumi plugin install resource NAME VERSION --file ...`
# (so the CLI finds them in $PULUMI_HOME/plugins and `pulumi plugin ls` shows them), and only the
# CLI and its bundled plugins are linked into $SHIPSHAPE_CACHE/pulumi/path, the directory
# scripts/env.sh puts on PATH: a resource plugin found on PATH makes every preview warn "using
# pulumi-resource-docker from $PATH". Plugins the proxy cannot supply the sources for are reported
# and skipped (docs/pulumi-toolchain.md says which and why).
#
# Idempotent: each component keeps a stamp (wanted version + hash of its sources + Go version) and
# is rebuilt only when that changes; with everything built this takes well under two seconds and
# prints nothing. Otherwise one line per component with its build time (and the time it took the
# last time, or the figure measured on 2 cores); go's output goes to
# $SHIPSHAPE_CACHE/logs/pulumi-toolchain.log (--verbose or SHIPSHAPE_VERBOSE=1 streams it).
#
# Environment: SHIPSHAPE_CACHE (see scripts/env.sh); SHIPSHAPE_PULUMI_ONLY=cli,random to build a
# subset; SHIPSHAPE_PULUMI_FORCE=1 to ignore stamps.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
for arg in "$@"; do
  case "$arg" in
    --verbose | -v) export SHIPSHAPE_VERBOSE=1 ;;
    *) echo "usage: bash scripts/pulumi-toolchain/build.sh [--verbose]" >&2; exit 2 ;;
  esac
done
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
# shellcheck source=scripts/lib/progress.sh
source "$root/scripts/lib/progress.sh"

bin="$SHIPSHAPE_PULUMI_DIR"
cache="$SHIPSHAPE_CACHE/pulumi"
stamps="$cache/stamps"
work="$cache/work"
mkdir -p "$bin" "$stamps" "$work" "$cache/share"

log() { progress_say "$*"; }
die() { progress_fail "$*"; }
progress_init pulumi-toolchain 8

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

only=",${SHIPSHAPE_PULUMI_ONLY:-cli,language-nodejs,language-yaml,language-python,pulumi-nodejs,random,tls,docker,kubernetes},"
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

# go build in a module dir; $1 = module dir, rest = go build args. Runs as a step (run_step).
go_build() {
  local dir="$1"; shift
  cd "$dir"
  "$go_bin" build -trimpath "$@"
}

# How long a first build took on 2 cores (no module or build cache), shown before a build that
# has no record of its own yet; docs/pulumi-toolchain.md has the table.
declare -A first_build_ms=(
  [pulumi-cli]=446000 [pulumi-language-nodejs]=29000 [pulumi-language-yaml]=212000 [pulumi-language-python]=121000
  [pulumi-resource-random]=217000 [pulumi-resource-tls]=143000 [pulumi-resource-docker]=467000
)
# run_step with the estimate: the last build's time, else the measured first-build figure.
build_step() {
  local label="$1" key="$2"; shift 2
  if [ -z "$(duration_last "$key")" ] && [ "${first_build_ms[$key]:-0}" -gt 0 ]; then
    label="$label (about $(fmt_ms "${first_build_ms[$key]}") on 2 cores the first time)"
  fi
  run_step "$label" "$key" -- "$@"
}

module_available() { # module@version: is its zip on the proxy?
  (cd "$work" && "$go_bin" mod download -json "$1" 2>/dev/null | grep -q '"Zip"')
}

built=()
skipped=()
notes="$work/notes"

# --- pulumi CLI ---------------------------------------------------------------------------------
sdk_version="$(npm_version @pulumi/pulumi)"
cli_version="$sdk_version"
# Runs as a step: picks the version the proxy serves, stages the module and builds it.
cli_build() {
  # The exact release first; the proxy reachable here lacks the newest pkg/v3 zips, so fall back to
  # the pin in cli/go.mod (the newest release whose sources it serves) and say so.
  local pinned version="$sdk_version"
  pinned="$(sed -n 's/^\(require \|\t\)github.com\/pulumi\/pulumi\/pkg\/v3 v\([^ ]*\)$/\2/p' "$here/cli/go.mod" | head -n1)"
  if ! module_available "github.com/pulumi/pulumi/pkg/v3@v$sdk_version"; then
    echo "github.com/pulumi/pulumi/pkg/v3@v$sdk_version is not on the Go module proxy; building the CLI at v$pinned (pinned in scripts/pulumi-toolchain/cli/go.mod)" | tee -a "$notes"
    version="$pinned"
  fi
  echo "$version" >"$work/cli.version"
  local dir; dir="$(stage cli)"
  (cd "$dir" && "$go_bin" mod edit \
      -require="github.com/pulumi/pulumi/pkg/v3@v$version" \
      -require="github.com/pulumi/pulumi/sdk/v3@v$version")
  # Copy pkg/v3's own non-local replace directives (go ignores them in a dependency).
  local gomod; gomod="$(cd "$dir" && "$go_bin" mod download -json "github.com/pulumi/pulumi/pkg/v3@v$version" |
    sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
  local rep
  while read -r rep; do
    [ -n "$rep" ] && (cd "$dir" && "$go_bin" mod edit -replace="$rep")
  done < <("$go_bin" mod edit -json "$gomod" |
    awk '/"Replace": \[/ {inrep=1} inrep && /"Old":/ {getline; gsub(/[",]/, ""); op=$2}
         inrep && /"New":/ {getline; gsub(/[",]/, ""); np=$2; getline; if ($1 ~ /"Version"/) {gsub(/[",]/, ""); print op "=" np "@" $2}}')
  go_build "$dir" -ldflags \
    "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}
build_cli() {
  local key; key="cli want=$sdk_version src=$(src_hash cli) $go_version"
  if stamp_ok cli "$key" pulumi; then skip_step; return; fi
  build_step "pulumi CLI v$sdk_version" pulumi-cli cli_build
  cli_version="$(cat "$work/cli.version")"
  mv "$bin/pulumi.tmp" "$bin/pulumi"
  stamp_set cli "$key"
  if [ "$cli_version" = "$sdk_version" ]; then record cli "$sdk_version" "$cli_version"
  else record cli "$sdk_version" "$cli_version" "pkg/v3@v$sdk_version is not on the Go module proxy"; fi
  built+=("pulumi v$cli_version")
}

# --- Node.js language host ----------------------------------------------------------------------
language_build() {
  local sdk="$sdk_version"
  if ! module_available "github.com/pulumi/pulumi/sdk/v3@v$sdk"; then
    sdk="$(sed -n 's/^\tgithub.com\/pulumi\/pulumi\/sdk\/v3 v\(.*\)$/\1/p' "$here/language-nodejs/go.mod")"
    echo "github.com/pulumi/pulumi/sdk/v3@v$sdk_version is not on the proxy; the language host uses v$sdk" | tee -a "$notes"
  fi
  echo "$sdk" >"$work/language-nodejs.sdk"
  local dir; dir="$(stage language-nodejs)"
  (cd "$dir" && "$go_bin" mod edit -require="github.com/pulumi/pulumi/sdk/v3@v$sdk")
  go_build "$dir" -ldflags "-s -w -X main.version=$sdk_version" -o "$bin/pulumi-language-nodejs.tmp" .
}
build_language_nodejs() {
  local key; key="language-nodejs want=$sdk_version src=$(src_hash language-nodejs) $go_version"
  if stamp_ok language-nodejs "$key" pulumi-language-nodejs; then skip_step; return; fi
  build_step "pulumi-language-nodejs $sdk_version" pulumi-language-nodejs language_build
  local sdk; sdk="$(cat "$work/language-nodejs.sdk")"
  mv "$bin/pulumi-language-nodejs.tmp" "$bin/pulumi-language-nodejs"
  stamp_set language-nodejs "$key"
  record language-nodejs "$sdk_version" "$sdk_version" "own host on github.com/pulumi/pulumi/sdk/v3@v$sdk"
  built+=("pulumi-language-nodejs $sdk_version")
}

# --- YAML language host: upstream's, built at its own go.mod --------------------------------------
# pulumi-yaml v1.25.0 is built against pulumi/pkg v3.206.0 (its go.mod): its loader calls do not
# compile against v3.259.0's plugin API. The host talks to the CLI over gRPC, so the older pkg is
# fine; the wrapper module's go.mod/go.sum pin that graph.
yaml_version="$(sed -n 's/^require github.com\/pulumi\/pulumi-yaml v\(.*\)$/\1/p' "$here/language-yaml/go.mod")"
build_language_yaml() {
  local key; key="language-yaml want=$yaml_version src=$(src_hash language-yaml) $go_version"
  if stamp_ok language-yaml "$key" pulumi-language-yaml; then skip_step; return; fi
  local dir; dir="$(stage language-yaml)"
  build_step "pulumi-language-yaml $yaml_version" pulumi-language-yaml \
    go_build "$dir" -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$yaml_version" \
    -o "$bin/pulumi-language-yaml.tmp" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
  mv "$bin/pulumi-language-yaml.tmp" "$bin/pulumi-language-yaml"
  stamp_set language-yaml "$key"
  record language-yaml "$yaml_version" "$yaml_version" "github.com/pulumi/pulumi-yaml@v$yaml_version on the pulumi/pkg/v3 its go.mod requires"
  built+=("pulumi-language-yaml $yaml_version")
}

# --- Python language host: our own, on the CLI's pkg/sdk (codegen for package gen-sdk/add) -----
build_language_python() {
  local key; key="language-python want=$sdk_version src=$(src_hash language-python)-$(sha256sum "$here/language-python/run.py" | cut -c1-8) $go_version"
  if stamp_ok language-python "$key" pulumi-language-python; then skip_step; return; fi
  local dir; dir="$(stage language-python)"
  build_step "pulumi-language-python $sdk_version" pulumi-language-python \
    go_build "$dir" -ldflags "-s -w -X main.version=$sdk_version" -o "$bin/pulumi-language-python.tmp" .
  mv "$bin/pulumi-language-python.tmp" "$bin/pulumi-language-python"
  stamp_set language-python "$key"
  record language-python "$sdk_version" "$sdk_version" "own host on github.com/pulumi/pulumi/{sdk,pkg}/v3@v$sdk_version"
  built+=("pulumi-language-python $sdk_version")
}

# --- dynamic providers: the script the npm package ships ---------------------------------------
install_pulumi_nodejs() {
  local src="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ ! -f "$src" ]; then
    skip_step
    log "WARNING: $src is missing (run npm install); dynamic providers will not work"
    return
  fi
  local key; key="pulumi-nodejs $sdk_version $(sha256sum "$src" | cut -c1-16)"
  if stamp_ok pulumi-nodejs "$key" pulumi-resource-pulumi-nodejs; then skip_step; return; fi
  run_step "pulumi-resource-pulumi-nodejs (the script in @pulumi/pulumi $sdk_version)" "" -- \
    install -m 0755 "$src" "$bin/pulumi-resource-pulumi-nodejs"
  stamp_set pulumi-nodejs "$key"
  record pulumi-nodejs "$sdk_version" "$sdk_version" "script shipped in the npm package"
  built+=("pulumi-resource-pulumi-nodejs (from @pulumi/pulumi $sdk_version)")
}

# --- bridged resource providers -----------------------------------------------------------------
# `pulumi plugin install --file` copies the binary into $PULUMI_HOME/plugins, where the CLI looks
# for resource plugins that are not on PATH.
register_plugin() { # name version
  local name="$1" version="$2" home="${PULUMI_HOME:-$HOME/.pulumi}"
  [ -x "$bin/pulumi" ] || return 0
  cmp -s "$bin/pulumi-resource-$name" "$home/plugins/resource-$name-v$version/pulumi-resource-$name" && return 0
  if ! "$bin/pulumi" plugin install resource "$name" "$version" --file "$bin/pulumi-resource-$name" --reinstall \
      >>"$PROGRESS_LOG" 2>&1; then
    log "WARNING: could not register $name $version with 'pulumi plugin install' (see $PROGRESS_LOG)"
  fi
}

build_bridged() { # name npm-package
  local name="$1" pkg="$2" version
  version="$(npm_version "$pkg")"
  local key; key="$name want=$version src=$(src_hash "provider-$name" bridgeutil) $go_version"
  if stamp_ok "$name" "$key" "pulumi-resource-$name"; then
    skip_step
  else
    local dir; dir="$(stage "provider-$name")"
    # A provider that fails to build is reported (and the tests say so), not fatal: the CLI,
    # the language host and the other providers stay usable.
    PROGRESS_ALLOW_FAIL=1 build_step "pulumi-resource-$name $version" "pulumi-resource-$name" \
      go_build "$dir" -ldflags "-s -w -X main.version=$version" -o "$bin/pulumi-resource-$name.tmp" .
    if [ "$PROGRESS_RC" != 0 ]; then
      rm -f "$bin/pulumi-resource-$name.tmp" "$stamps/$name"
      blocked "$name" "$pkg" "go build failed at $(date -u +%FT%TZ); see $PROGRESS_LOG"
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

# The directory on PATH: the CLI and the plugins it bundles, never a resource plugin.
link_path_dir() {
  local path_dir="$SHIPSHAPE_PULUMI_PATH" f
  mkdir -p "$path_dir"
  for f in pulumi pulumi-language-nodejs pulumi-language-yaml pulumi-language-python pulumi-resource-pulumi-nodejs; do
    if [ -x "$bin/$f" ] && [ "$(readlink "$path_dir/$f" 2>/dev/null)" != "$bin/$f" ]; then
      ln -sfn "$bin/$f" "$path_dir/$f"
    fi
  done
  for f in "$path_dir"/*; do
    [ -L "$f" ] || continue
    case "$(basename "$f")" in pulumi | pulumi-language-nodejs | pulumi-language-yaml | pulumi-language-python | pulumi-resource-pulumi-nodejs) ;; *) rm -f "$f" ;; esac
  done
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

rm -f "$notes"
if wanted cli; then build_cli; else skip_step; fi
if wanted language-nodejs; then build_language_nodejs; else skip_step; fi
if wanted language-yaml; then build_language_yaml; else skip_step; fi
if wanted language-python; then build_language_python; else skip_step; fi
if wanted pulumi-nodejs; then install_pulumi_nodejs; else skip_step; fi
if wanted random; then build_bridged random @pulumi/random; else skip_step; fi
if wanted tls; then build_bridged tls @pulumi/tls; else skip_step; fi
if wanted docker; then build_bridged docker @pulumi/docker; else skip_step; fi
# pulumi-resource-kubernetes is built (and recorded in stamps/kubernetes.built) by
# scripts/kubernetes-tools/build.sh, the setup step after this one.
if wanted kubernetes && [ ! -f "$stamps/kubernetes.built" ]; then
  blocked kubernetes @pulumi/kubernetes "not built yet: scripts/kubernetes-tools/build.sh builds it (see docs/kubernetes.md)"
fi
link_path_dir

write_manifest
if [ -f "$notes" ]; then
  while read -r line; do log "note: $line"; done <"$notes"
fi
if [ ${#built[@]} -gt 0 ]; then
  log "toolchain ready in $bin ($(progress_elapsed)); full log: $PROGRESS_LOG"
  # Said once, when something was built: what is missing and why.
  for s in "${skipped[@]}"; do log "not available: $s"; done
fi
exit 0
