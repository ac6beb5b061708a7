#!/usr/bin/env bash
# Builds the scanner's test images with `docker import` (there is no registry to pull from):
#   shipshape-test/scan-vulnerable:1   npm packages with published advisories (lodash 4.17.20,
#                                      minimist 1.2.5, request 2.88.2)
#   shipshape-test/scan-fixed:1        the fixed releases (lodash 4.17.21, minimist 1.2.8)
# Both hold Debian's static busybox with its dpkg record and the host's os-release, so the OS
# layer is real too. The npm packages are the registry's own tarballs (`npm pack`), cached in
# $SHIPSHAPE_CACHE/images/npm; vulndb/osv/ has the advisories the project's DB knows for them.
# Rebuilds only when its inputs change, so image IDs stay stable between runs.
#   bash scripts/images/scan-test-images.sh [vulnerable|fixed]...   (default: both)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/../env.sh"
# shellcheck source=scripts/images/rootfs.sh
source "$here/rootfs.sh"

declare -A packages=(
  [vulnerable]="lodash@4.17.20 minimist@1.2.5 request@2.88.2"
  [fixed]="lodash@4.17.21 minimist@1.2.8"
)
variants=("$@")
[ "${#variants[@]}" -gt 0 ] || variants=(vulnerable fixed)
npm_dir="$SHIPSHAPE_CACHE/images/npm"
mkdir -p "$npm_dir"

for variant in "${variants[@]}"; do
  [ -n "${packages[$variant]:-}" ] || { echo "scan-test-images: unknown variant $variant (vulnerable or fixed)" >&2; exit 2; }
  tag="shipshape-test/scan-$variant:1"
  specs=(${packages[$variant]})
  for spec in "${specs[@]}"; do
    tarball="$npm_dir/${spec/@/-}.tgz"
    [ -f "$tarball" ] || npm pack --silent --pack-destination "$npm_dir" "$spec" >/dev/null
  done
  hash="$( { rootfs_inputs_hash; sha256sum <"${BASH_SOURCE[0]}"; for spec in "${specs[@]}"; do sha256sum <"$npm_dir/${spec/@/-}.tgz"; done; } | sha256sum | cut -c1-16)"
  if image_up_to_date "$tag" "$hash"; then continue; fi
  work="$(mktemp -d)"
  root="$work/rootfs"
  rootfs_base "$root"
  for spec in "${specs[@]}"; do
    name="${spec%@*}"
    mkdir -p "$root/app/node_modules/$name"
    tar -xzf "$npm_dir/${spec/@/-}.tgz" -C "$root/app/node_modules/$name" --strip-components=1 --no-same-owner
  done
  printf '{"name":"scan-%s","version":"1.0.0","private":true}\n' "$variant" >"$root/app/package.json"
  rootfs_import "$root" "$tag" "$hash"
  rm -rf "$work"
  echo "scan-test-images: built $tag" >&2
done
