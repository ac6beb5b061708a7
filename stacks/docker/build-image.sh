#!/usr/bin/env bash
# Builds the reference stack's local image from Debian's static busybox (with its dpkg record,
# so the image scan has a package database to read: scripts/images/rootfs.sh) with `docker import`
# (the engine has no registry to pull from), into the engine DOCKER_HOST names (the main job's
# hardened engine, or the default one). Rebuilds only when its inputs change, so the image
# ID, and with it every container of the stack, stays the same from one run to the next.
#   bash stacks/docker/build-image.sh [TAG]     (default shipshape-reference/app:1)
set -euo pipefail
tag="${1:-shipshape-reference/app:1}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/images/rootfs.sh
source "$here/../../scripts/images/rootfs.sh"

label="shipshape.io/image-inputs"
hash="$( { rootfs_inputs_hash; sha256sum <"${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-16)"
if image_up_to_date "$tag" "$hash"; then
  echo "build-image: $tag is up to date ($label=$hash)" >&2
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
rootfs_base "$root"
mkdir -p "$root/www" "$root/data"
printf '<!doctype html>\n<title>shipshape reference stack</title>\n<p>Served by a hardened SecureService.</p>\n' >"$root/www/index.html"
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$root" --exclude=./data -cf "$work/rootfs.tar" .
# The worker's state directory belongs to the app user, so the named volume mounted there (which
# starts as a copy of it) is writable by the container's user, remapped or not.
tar --mtime=@0 --numeric-owner --owner=10001 --group=10001 -C "$root" -rf "$work/rootfs.tar" ./data
docker import --change "LABEL $label=$hash" --change 'CMD ["/bin/sh"]' "$work/rootfs.tar" "$tag" >/dev/null
echo "build-image: built $tag from $(rootfs_busybox) ($label=$hash)" >&2
