#!/usr/bin/env bash
# Builds ObservabilityStack's images with `docker import` from the binaries Debian packages
# (there is no registry to pull from), each on the project rootfs (static busybox for health
# checks, the unprivileged `app` user 10001):
#   <prefix>/prometheus:<version>         /bin/prometheus, /bin/promtool (Debian's prometheus)
#   <prefix>/alertmanager:<version>       /bin/alertmanager, /bin/amtool (prometheus-alertmanager)
#   <prefix>/node-exporter:<version>      /bin/node_exporter (prometheus-node-exporter)
#   <prefix>/blackbox-exporter:<version>  /bin/blackbox_exporter (prometheus-blackbox-exporter)
#   <prefix>/engine-exporter:1            the engine-stats exporter (scripts/observability/build.sh)
# <prefix> is shipshape-observability unless --prefix says otherwise (tests use their own).
# The Debian binaries are dynamically linked (ldd shows libc only): the image carries the shared
# libraries ldd lists, at the same paths. <version> is the Debian package's upstream version.
# Rebuilds only when its inputs change. Prints one line per image built, nothing otherwise.
#   bash scripts/images/observability-images.sh [--host unix:///path/to/docker.sock] [--prefix P] [--print-tags]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/../env.sh"
# shellcheck source=scripts/images/rootfs.sh
source "$here/rootfs.sh"

print_tags=0
prefix=shipshape-observability
while [ $# -gt 0 ]; do
  case "$1" in
    --host) export DOCKER_HOST="$2"; shift 2 ;;
    --prefix) prefix="$2"; shift 2 ;;
    --print-tags) print_tags=1; shift ;;
    *) echo "usage: bash scripts/images/observability-images.sh [--host unix:///…] [--prefix P] [--print-tags]" >&2; exit 2 ;;
  esac
done

upstream_version() { dpkg-query -W -f '${Version}' "$1" | sed -E 's/^[0-9]+://; s/[+~-].*$//'; }

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "observability-images: $1 not found: install Debian's $2 (scripts/setup.sh does)" >&2
    exit 2
  }
}
need prometheus prometheus
need promtool prometheus
need prometheus-alertmanager prometheus-alertmanager
need amtool prometheus-alertmanager
need prometheus-node-exporter prometheus-node-exporter
need prometheus-blackbox-exporter prometheus-blackbox-exporter
exporter_bin="$SHIPSHAPE_CACHE/tools/bin/shipshape-engine-exporter"
[ -x "$exporter_bin" ] || bash "$here/../observability/build.sh"

# The shared libraries a binary needs (absolute paths ldd prints; a static binary has none).
libs_of() { ldd "$1" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' | sort -u || true; }

# image TAG DEST=SRC... : the rootfs plus each binary at /bin/DEST, with its libraries.
image() {
  local tag="$1" pair src dest lib hash work root
  shift
  hash="$( { rootfs_inputs_hash; sha256sum <"${BASH_SOURCE[0]}"; for pair in "$@"; do sha256sum <"${pair#*=}"; for lib in $(libs_of "${pair#*=}"); do sha256sum <"$lib"; done; done; } | sha256sum | cut -c1-16)"
  if [ "$print_tags" = 1 ]; then echo "$tag"; return; fi
  if image_up_to_date "$tag" "$hash"; then return; fi
  work="$(mktemp -d)"
  root="$work/rootfs"
  rootfs_base "$root"
  for pair in "$@"; do
    dest="${pair%%=*}"
    src="${pair#*=}"
    cp "$src" "$root/bin/$dest"
    for lib in $(libs_of "$src"); do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
  # Alertmanager's templates (Debian's build reads its default template from here).
  if [ -d /usr/share/prometheus/alertmanager ] && [[ "$tag" == */alertmanager:* ]]; then
    mkdir -p "$root/usr/share/prometheus"
    cp -r /usr/share/prometheus/alertmanager "$root/usr/share/prometheus/"
  fi
  rootfs_import "$root" "$tag" "$hash"
  rm -rf "$work"
  echo "observability-images: built $tag" >&2
}

image "$prefix/prometheus:$(upstream_version prometheus)" \
  prometheus="$(command -v prometheus)" promtool="$(command -v promtool)"
image "$prefix/alertmanager:$(upstream_version prometheus-alertmanager)" \
  alertmanager="$(command -v prometheus-alertmanager)" amtool="$(command -v amtool)"
image "$prefix/node-exporter:$(upstream_version prometheus-node-exporter)" \
  node_exporter="$(command -v prometheus-node-exporter)"
image "$prefix/blackbox-exporter:$(upstream_version prometheus-blackbox-exporter)" \
  blackbox_exporter="$(command -v prometheus-blackbox-exporter)"
image "$prefix/engine-exporter:1" engine_exporter="$exporter_bin"
