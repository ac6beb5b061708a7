#!/usr/bin/env bash
# Installs Debian's docker.io when dockerd is missing and starts dockerd when no engine answers.
set -euo pipefail
log() { printf '[docker] %s\n' "$*" >&2; }
if ! command -v dockerd >/dev/null 2>&1; then
  log "installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq docker.io >&2
fi
# Tests build their images with `docker import` from a busybox-static rootfs (no registry here).
if [ ! -x /bin/busybox ]; then
  log "installing busybox-static"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq busybox-static >&2
fi
# The real-engine tests build their probe image from Debian's static busybox; the runtime
# profile tests compile AppArmor profiles with apparmor_parser.
if [ ! -e /usr/share/doc/busybox-static ] || ! command -v apparmor_parser >/dev/null 2>&1; then
  log "installing busybox-static and apparmor"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq busybox-static apparmor >&2
fi
if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then exit 0; fi
log "starting dockerd"
mkdir -p /var/log
nohup dockerd >/var/log/shipshape-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    log "dockerd $(docker version --format '{{.Server.Version}}') is up"; exit 0
  fi
  sleep 0.5
done
log "dockerd did not come up; see /var/log/shipshape-dockerd.log"
tail -20 /var/log/shipshape-dockerd.log >&2 || true
exit 1
