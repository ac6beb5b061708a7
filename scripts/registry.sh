#!/usr/bin/env bash
# A local image registry for tests and the main job: Debian's docker-registry (distribution 2.8),
# listening on loopback only (its packaged config listens on every interface), deletion enabled,
# storage in $SHIPSHAPE_CACHE/registry/data. Nothing leaves the machine.
#   bash scripts/registry.sh start|stop|status      (start is idempotent and quiet when it runs)
#   bash scripts/registry.sh netns-start|netns-stop NETNS
#       the same registry inside a network namespace (the hardened engine's): a second
#       docker-registry process on that namespace's loopback, on the same storage, so an engine
#       there pushes and pulls 127.0.0.1:5000 and sees what the host's registry holds.
# SHIPSHAPE_REGISTRY_ADDR (127.0.0.1:5000) moves it; its log is $SHIPSHAPE_CACHE/logs/registry.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
addr="${SHIPSHAPE_REGISTRY_ADDR:-127.0.0.1:5000}"
dir="$SHIPSHAPE_CACHE/registry"
pidfile="$dir/registry.pid"
log="$SHIPSHAPE_LOG_DIR/registry.log"

# ns_exec CMD…: runs CMD in the network namespace $ns (set by the netns-* commands), else here.
ns=""
ns_exec() { if [ -n "$ns" ]; then nsenter --net="/run/netns/$ns" -- "$@"; else "$@"; fi; }
answers() { ns_exec node -e 'fetch(process.argv[1]).then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "http://$addr/v2/"; }
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
  if running && answers; then return 0; fi
  command -v docker-registry >/dev/null || { echo "registry: docker-registry is not installed: run scripts/setup.sh" >&2; exit 2; }
  case "$addr" in 127.*:* | localhost:* | \[::1\]:*) ;; *) echo "registry: $addr is not a loopback address" >&2; exit 2 ;; esac
  mkdir -p "$dir/data" "$SHIPSHAPE_LOG_DIR"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $addr
  headers:
    X-Content-Type-Options: [nosniff]
YAML
  ns_exec nohup docker-registry serve "$dir/config.yml" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 50); do
    if answers; then return 0; fi
    running || break
    sleep 0.2
  done
  echo "registry: docker-registry did not answer on http://$addr/v2/; its log ($log) ends:" >&2
  tail -n 20 "$log" >&2
  exit 1
}

stop() {
  if running; then kill "$(cat "$pidfile")"; fi
  rm -f "$pidfile"
}

case "${1:-}" in
  netns-start | netns-stop)
    ns="${2:?usage: bash scripts/registry.sh $1 NETNS}"
    [ -e "/run/netns/$ns" ] || { echo "registry: no network namespace $ns" >&2; exit 2; }
    # Its own pidfile and log; the config (address, storage, deletion) is the host instance's.
    pidfile="$dir/registry-$ns.pid"
    log="$SHIPSHAPE_LOG_DIR/registry-$ns.log"
    if [ "$1" = netns-start ]; then start; else stop; fi
    ;;
  start) start ;;
  stop) stop ;;
  status) if running && answers; then echo "registry: up on http://$addr"; else echo "registry: down"; exit 1; fi ;;
  *) echo "usage: bash scripts/registry.sh start|stop|status" >&2; exit 2 ;;
esac
