# Sourced: the rootfs every project image starts from. Debian's static busybox with its applets,
# an unprivileged `app` user (10001), the host's os-release and the dpkg record of the
# busybox-static package, so a scanner sees a real OS package database.
# Needs: busybox-static (scripts/setup.sh installs it).
rootfs_busybox() {
  local candidate
  for candidate in /bin/busybox /usr/bin/busybox; do
    # A static binary names no ELF interpreter (ld-linux…); the dynamic busybox would not run alone.
    if [ -x "$candidate" ] && ! head -c 4096 "$candidate" | grep -aq "ld-linux"; then
      echo "$candidate"
      return
    fi
  done
  echo "rootfs: static busybox not found: install Debian's busybox-static (run scripts/setup.sh)" >&2
  return 2
}

ROOTFS_APPLETS=(sh httpd wget sleep test date cat echo id ls mkdir rm touch cp chown true unshare nc)

# What the rootfs is made of: the busybox binary, its dpkg record and this file.
rootfs_inputs_hash() {
  local busybox
  busybox="$(rootfs_busybox)"
  # Contents only, never paths: every checkout (another worktree, a fresh clone) must agree, or
  # each would re-import the images under new IDs.
  sha256sum <"$busybox"
  sha256sum <"${BASH_SOURCE[0]}"
  dpkg-query -s busybox-static 2>/dev/null || true
}

# The dpkg status paragraph of busybox-static, as dpkg records it on this host.
rootfs_dpkg_status() {
  dpkg-query -s busybox-static
}

rootfs_base() {
  local root="$1" busybox applet
  busybox="$(rootfs_busybox)"
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/var/lib/dpkg" "$root/usr/lib"
  chmod 1777 "$root/tmp"
  cp "$busybox" "$root/bin/busybox"
  for applet in "${ROOTFS_APPLETS[@]}"; do ln -s busybox "$root/bin/$applet"; done
  printf 'root:x:0:0:root:/:/bin/sh\napp:x:10001:10001:app:/data:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\napp:x:10001:\n' >"$root/etc/group"
  cp /usr/lib/os-release "$root/usr/lib/os-release"
  ln -s ../usr/lib/os-release "$root/etc/os-release"
  [ -f /etc/debian_version ] && cp /etc/debian_version "$root/etc/debian_version"
  rootfs_dpkg_status >"$root/var/lib/dpkg/status"
}

image_up_to_date() {
  local tag="$1" hash="$2" current
  current="$(docker image inspect --format '{{ index .Config.Labels "shipshape.io/image-inputs" }}' "$tag" 2>/dev/null || true)"
  [ "$current" = "$hash" ]
}

# Imports the rootfs as TAG, reproducibly: sorted names, mtime 0, numeric owners.
rootfs_import() {
  local root="$1" tag="$2" hash="$3" tarball
  tarball="$(dirname "$root")/rootfs.tar"
  tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$root" -cf "$tarball" .
  docker import --change "LABEL shipshape.io/image-inputs=$hash" --change 'CMD ["/bin/sh"]' "$tarball" "$tag" >/dev/null
}
