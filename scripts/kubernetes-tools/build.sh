#!/usr/bin/env bash
# Builds the Kubernetes parts from Go sources fetched through the Go module proxy:
#
#   $SHIPSHAPE_PULUMI_DIR/pulumi-resource-kubernetes
#         github.com/pulumi/pulumi-kubernetes/provider/v4 at a pseudo-version (the proxy serves no
#         tagged release), through ./provider: the pulumi/pkg version the provider's own go.mod
#         pins, the schema stamped with the version the npm @pulumi/kubernetes expects, and
#         registered with `pulumi plugin install` (so the CLI finds it in $PULUMI_HOME/plugins)
#   $SHIPSHAPE_CACHE/tools/bin/etcd                     go.etcd.io/etcd/server/v3 (./etcd)
#   $SHIPSHAPE_CACHE/tools/bin/kube-apiserver           k8s.io/kubernetes (./control-plane)
#   $SHIPSHAPE_CACHE/tools/bin/kube-controller-manager  k8s.io/kubernetes (./control-plane)
#
# The control plane these make is started by scripts/cluster.sh and the tests that need it.
# Idempotent: each part keeps a stamp (version + hash of its wrapper module + Go version); with
# everything built this prints nothing. Otherwise one line per part with its time; go's output
# goes to $SHIPSHAPE_CACHE/logs/kubernetes-tools.log. SHIPSHAPE_TOOLS_FORCE=1 ignores the stamps.
# The builds run one at a time, under nice.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
# shellcheck source=scripts/lib/progress.sh
source "$root/scripts/lib/progress.sh"
progress_init kubernetes-tools 4

PROVIDER_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4
PROVIDER_VERSION=v4.0.0-20260115033456-f47bc2d6f199
KUBERNETES_VERSION=1.35.4
# shellcheck source=scripts/lib/go-tools.sh
source "$root/scripts/lib/go-tools.sh"
# The checksum database reachable here has no entries for some of these modules; their hashes are
# in the go.sum files committed next to each wrapper module.
export GONOSUMDB="github.com/pulumi/pulumi-kubernetes"
work="$tools/work/kubernetes"
mkdir -p "$work"

src_hash() { # the wrapper module's committed files
  (cd "$here/$1" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
    sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}
stage() { # copies a wrapper module to the work tree (go may touch go.mod/go.sum there)
  rm -rf "${work:?}/$1"
  cp -R "$here/$1" "$work/$1"
  echo "$work/$1"
}

# --- pulumi-resource-kubernetes -----------------------------------------------------------------
# The version the CLI asks for: the npm package's (its package.json "version").
k8s_npm_version="$(node -p 'require(process.argv[1]).version' "$root/node_modules/@pulumi/kubernetes/package.json" 2>/dev/null || true)"
[ -n "$k8s_npm_version" ] || progress_fail "cannot read the version of node_modules/@pulumi/kubernetes (run npm ci in the main checkout)"

build_provider() {
  local dir src mod
  dir="$(stage provider)"
  # The module's zip, copied so the generated files can be added beside schema.json.
  mod="$(cd "$dir" && "$go_bin" mod download -json "$PROVIDER_MODULE@$PROVIDER_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -d "$mod" ] || { echo "go mod download gave no directory for $PROVIDER_MODULE@$PROVIDER_VERSION"; return 1; }
  src="$dir/provider-src"
  cp -R "$mod" "$src"
  chmod -R u+w "$src"
  # Upstream's generator (cmd/pulumi-resource-kubernetes/generate.go, run by its Makefile) stamps
  # the version into schema.json and compacts both JSON files; do the same.
  node -e '
    const fs = require("node:fs");
    const [dir, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(`${dir}/schema.json`, "utf8"));
    schema.version = version;
    fs.writeFileSync(`${dir}/schema-embed.json`, JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(`${dir}/terraform-mapping.json`, "utf8"));
    fs.writeFileSync(`${dir}/terraform-mapping-embed.json`, JSON.stringify(mapping));
  ' "$src/cmd/pulumi-resource-kubernetes" "$k8s_npm_version"
  # The pulumi/pkg version the provider pins must be the one the wrapper builds with.
  local pinned
  pinned="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$src/go.mod")"
  grep -q "github.com/pulumi/pulumi/pkg/v3 $pinned" "$dir/go.mod" ||
    { echo "the provider's go.mod pins pulumi/pkg $pinned but provider/go.mod does not: update it"; return 1; }
  cd "$dir"
  nice -n 10 "$go_bin" build -trimpath -mod=mod \
    -ldflags "-s -w -X $PROVIDER_MODULE/pkg/version.Version=$k8s_npm_version" \
    -o "$SHIPSHAPE_PULUMI_DIR/pulumi-resource-kubernetes.tmp" "$PROVIDER_MODULE/cmd/pulumi-resource-kubernetes"
  mv "$SHIPSHAPE_PULUMI_DIR/pulumi-resource-kubernetes.tmp" "$SHIPSHAPE_PULUMI_DIR/pulumi-resource-kubernetes"
}

register_provider() {
  local home="${PULUMI_HOME:-$HOME/.pulumi}" f="$SHIPSHAPE_PULUMI_DIR/pulumi-resource-kubernetes"
  cmp -s "$f" "$home/plugins/resource-kubernetes-v$k8s_npm_version/pulumi-resource-kubernetes" && return 0
  [ -x "$SHIPSHAPE_PULUMI_DIR/pulumi" ] || progress_fail "no pulumi CLI in $SHIPSHAPE_PULUMI_DIR (run scripts/pulumi-toolchain/build.sh)"
  "$SHIPSHAPE_PULUMI_DIR/pulumi" plugin install resource kubernetes "$k8s_npm_version" --file "$f" --reinstall >>"$PROGRESS_LOG" 2>&1 ||
    progress_fail "pulumi plugin install resource kubernetes $k8s_npm_version failed"
}

# The toolchain's manifest ($SHIPSHAPE_CACHE/pulumi/manifest.json) lists what was built.
record_provider() {
  local pstamps="$SHIPSHAPE_CACHE/pulumi/stamps"
  mkdir -p "$pstamps"
  local pkg; pkg="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$here/provider/go.mod")"
  echo "$k8s_npm_version $k8s_npm_version $PROVIDER_MODULE@$PROVIDER_VERSION on github.com/pulumi/pulumi/pkg/v3@$pkg (the provider's go.mod pin)" >"$pstamps/kubernetes.built"
  rm -f "$pstamps/kubernetes.blocked"
  # The toolchain script with nothing to build only rewrites the manifest.
  SHIPSHAPE_PULUMI_ONLY=none PROGRESS_INDENT="${PROGRESS_INDENT:-}" bash "$root/scripts/pulumi-toolchain/build.sh" >/dev/null
}

wanted="pulumi-resource-kubernetes $k8s_npm_version $PROVIDER_VERSION src=$(src_hash provider) $go_version"
if ! stamp_ok pulumi-resource-kubernetes "$wanted" "$SHIPSHAPE_PULUMI_DIR/pulumi-resource-kubernetes"; then
  run_step "pulumi-resource-kubernetes $k8s_npm_version ($PROVIDER_MODULE@$PROVIDER_VERSION) from Go sources (a first build took 31 minutes on 2 busy cores)" \
    pulumi-resource-kubernetes -- build_provider
  echo "$wanted" >"$stamps/pulumi-resource-kubernetes"
  rm -f "$SHIPSHAPE_CACHE/pulumi/stamps/kubernetes.built"
else skip_step; fi
register_provider
[ -f "$SHIPSHAPE_CACHE/pulumi/stamps/kubernetes.built" ] || record_provider

# --- etcd ----------------------------------------------------------------------------------------
etcd_version="$(awk '$1 == "require" && $2 == "go.etcd.io/etcd/server/v3" { print $3 }' "$here/etcd/go.mod")"
build_etcd() {
  local dir; dir="$(stage etcd)"
  cd "$dir"
  nice -n 10 "$go_bin" build -trimpath -ldflags "-s -w" -o "$bin/etcd.tmp" .
  mv "$bin/etcd.tmp" "$bin/etcd"
}
wanted="etcd $etcd_version src=$(src_hash etcd) $go_version"
if ! stamp_ok etcd "$wanted" "$bin/etcd"; then
  run_step "etcd $etcd_version from Go sources (a first build took 2 minutes)" etcd -- build_etcd
  echo "$wanted" >"$stamps/etcd"
else skip_step; fi

# --- kube-apiserver, kube-controller-manager -----------------------------------------------------
# What hack/lib/version.sh stamps into a release build: the API server reports it (/version) and
# derives its default emulation version from it.
k8s_ldflags() {
  local minor; minor="$(echo "$KUBERNETES_VERSION" | cut -d. -f2)"
  local p f=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    f="$f -X $p.gitVersion=v$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    f="$f -X $p.buildDate=2026-01-01T00:00:00Z"
  done
  echo "-s -w$f"
}
build_k8s() { # command
  local dir="$work/control-plane"
  [ -d "$dir" ] || dir="$(stage control-plane)"
  cd "$dir"
  nice -n 10 "$go_bin" build -trimpath -ldflags "$(k8s_ldflags)" -o "$bin/$1.tmp" "k8s.io/kubernetes/cmd/$1"
  mv "$bin/$1.tmp" "$bin/$1"
}
rm -rf "${work:?}/control-plane"
# kube-controller-manager after kube-apiserver shares most packages through the build cache.
declare -A first_minutes=([kube-apiserver]="16 minutes" [kube-controller-manager]="2 minutes")
for cmd in kube-apiserver kube-controller-manager; do
  wanted="$cmd v$KUBERNETES_VERSION src=$(src_hash control-plane) $go_version"
  if ! stamp_ok "$cmd" "$wanted" "$bin/$cmd"; then
    run_step "$cmd v$KUBERNETES_VERSION from Go sources (a first build took ${first_minutes[$cmd]} on 2 busy cores)" "$cmd" -- build_k8s "$cmd"
    echo "$wanted" >"$stamps/$cmd"
  else skip_step; fi
done
