#!/usr/bin/env bash
# The default Docker engine the tests use: installs Debian's docker.io (and busybox-static, whose
# static busybox the test images are built from, and apparmor, whose apparmor_parser the runtime
# profile tests compile with, iproute2 for `ip netns`, docker-registry for the local registry,
# gocryptfs and fuse3 for EncryptedVolume's encrypted-at-rest volumes, and age for the secret
# store's and backups' interop tests) when missing, and starts dockerd when no engine answers,
# and the loopback registry.
# Quiet when everything is present; the apt and dockerd output goes to $SHIPSHAPE_CACHE/logs.
# (The main job's own hardened engine is scripts/hardened-engine.sh.)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
# shellcheck source=scripts/lib/progress.sh
source "$here/lib/progress.sh"
progress_init docker-engine 3
dockerd_log="$SHIPSHAPE_LOG_DIR/dockerd.log"

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
# A static busybox (the Debian package installs /bin/busybox) for the images built with `docker import`.
[ -e /usr/share/doc/busybox-static ] || missing+=(busybox-static)
command -v apparmor_parser >/dev/null 2>&1 || missing+=(apparmor)
# `ip netns` for the main job's hardened engine, which runs in a network namespace of its own.
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
# The local registry (scripts/registry.sh) that registry scans and pushes use.
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
# EncryptedVolume: gocryptfs over FUSE (fusermount3 from fuse3) for volumes encrypted at rest.
command -v gocryptfs >/dev/null 2>&1 || missing+=(gocryptfs)
command -v fusermount3 >/dev/null 2>&1 || missing+=(fuse3)
# Debian's age: the secret store's and the backups' interop tests check shipshape's files against it.
command -v age >/dev/null 2>&1 || missing+=(age)
# setfacl: the hardened engine grants ObservabilityStack's exporter group its socket (hardened-engine.sh).
command -v setfacl >/dev/null 2>&1 || missing+=(acl)
# Python programs (scripts/python-venv.sh makes their venv with PyPI's pulumi).
{ command -v python3 >/dev/null 2>&1 && python3 -c "import venv, ensurepip" 2>/dev/null; } || missing+=(python3 python3-venv)
# ObservabilityStack and its rule tests: promtool (prometheus), amtool (prometheus-alertmanager) and
# the exporters; scripts/images/observability-images.sh imports their binaries as images.
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v prometheus-node-exporter >/dev/null 2>&1 || missing+=(prometheus-node-exporter)
command -v prometheus-blackbox-exporter >/dev/null 2>&1 || missing+=(prometheus-blackbox-exporter)
# SegmentedNetworks: openssl proves its mTLS certificates (nsenter, from util-linux, enters the
# services' namespaces); Graphviz's dot lays out `shipshape graph`.
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
# scripts/cluster.sh waits for the API server and etcd with curl (ss comes with iproute2).
command -v curl >/dev/null 2>&1 || missing+=(curl)

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "$@"
}

if [ "${#missing[@]}" -gt 0 ]; then
  run_step "apt-get install ${missing[*]}" "apt-${missing[*]}" -- apt_install "${missing[@]}"
else
  skip_step
fi

engine_up() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start_dockerd() {
  mkdir -p "$(dirname "$dockerd_log")"
  echo "dockerd's own log: $dockerd_log"
  nohup dockerd >>"$dockerd_log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    if engine_up; then echo "dockerd $(docker version --format '{{.Server.Version}}') is up"; return 0; fi
    sleep 0.5
  done
  echo "dockerd did not come up within 30 s; the end of $dockerd_log:"
  tail -n 30 "$dockerd_log"
  return 1
}

if engine_up; then
  skip_step
else
  run_step "starting dockerd (its log: $dockerd_log)" "" -- start_dockerd
fi

if bash "$here/registry.sh" status >/dev/null 2>&1; then
  skip_step
else
  run_step "starting the loopback registry (scripts/registry.sh; its log: $SHIPSHAPE_LOG_DIR/registry.log)" "" -- \
    bash "$here/registry.sh" start
fi
