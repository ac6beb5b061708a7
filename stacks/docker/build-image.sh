#!/usr/bin/env bash
# Builds the reference stack's local image from Debian's static busybox with `docker import`
# (the engine has no registry to pull from), into the engine DOCKER_HOST names (the main job's
# hardened engine, or the default one). Rebuilds only when its inputs change, so the image
# ID, and with it every container of the stack, stays the same from one run to the next.
#   bash stacks/docker/build-image.sh [TAG]     (default shipshape-reference/app:1)
set -euo pipefail
tag="${1:-shipshape-reference/app:1}"

busybox=""
for candidate in /bin/busybox /usr/bin/busybox; do
  # A static binary names no ELF interpreter (ld-linux…); the dynamic busybox would not run alone.
  if [ -x "$candidate" ] && ! head -c 4096 "$candidate" | grep -aq "ld-linux"; then
    busybox="$candidate"
    break
  fi
done
if [ -z "$busybox" ]; then
  echo "build-image: static busybox not found: install Debian's busybox-static (run scripts/setup.sh)" >&2
  exit 2
fi

applets=(sh httpd wget sleep test date cat echo id ls mkdir rm touch cp chown true unshare)
hash="$( { sha256sum "$busybox" | cut -d' ' -f1; sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1; } | sha256sum | cut -c1-16)"
label="shipshape.io/image-inputs"
current="$(docker image inspect --format "{{ index .Config.Labels \"$label\" }}" "$tag" 2>/dev/null || true)"
if [ "$current" = "$hash" ]; then
  echo "build-image: $tag is up to date ($label=$hash)" >&2
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/bin" "$root/www" "$root/tmp" "$root/data" "$root/etc"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in "${applets[@]}"; do ln -s busybox "$root/bin/$applet"; done
printf 'root:x:0:0:root:/:/bin/sh\napp:x:10001:10001:app:/data:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\napp:x:10001:\n' >"$root/etc/group"
printf '<!doctype html>\n<title>shipshape reference stack</title>\n<p>Served by a hardened SecureService.</p>\n' >"$root/www/index.html"
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$root" --exclude=./data -cf "$work/rootfs.tar" .
# The worker's state directory belongs to the app user, so the named volume mounted there (which
# starts as a copy of it) is writable by the container's user, remapped or not.
tar --mtime=@0 --numeric-owner --owner=10001 --group=10001 -C "$root" -rf "$work/rootfs.tar" ./data
docker import --change "LABEL $label=$hash" --change 'CMD ["/bin/sh"]' "$work/rootfs.tar" "$tag" >/dev/null
echo "build-image: built $tag from $busybox ($label=$hash)" >&2
