#!/usr/bin/env bash
# The main job's hardened Docker engine: a second dockerd, configured by shipshape's own
# `shipshape daemon-config` (userns-remap, icc off, no-new-privileges, live-restore, no userland
# proxy, default ulimits, log rotation …), with its own socket, data root, exec root, pidfile and
# network namespace. The default engine (scripts/docker-engine.sh) stays as it is for the tests.
#
#   bash scripts/hardened-engine.sh start    start it, or restart it when its daemon.json changed (idempotent)
#   bash scripts/hardened-engine.sh status   exit 0 when it answers
#   bash scripts/hardened-engine.sh stop     stop dockerd (containers and images stay in the data root)
#   bash scripts/hardened-engine.sh purge    stop it, remove its containers, data root, network namespace and config
#   bash scripts/hardened-engine.sh env      print the DOCKER_HOST line to talk to it
#
# Why a network namespace of its own: every dockerd flushes and rebuilds the iptables chains it
# shares with any other dockerd of the same network namespace (DOCKER, DOCKER-ISOLATION-…), so a
# second engine next to the default one would drop the default engine's published ports. In its
# own namespace it has its own iptables, bridges and loopback: ports it publishes on 127.0.0.1 are
# reached with `nsenter --net=/run/netns/shipshape-docker` (`ip netns exec shipshape-docker …`).
#
# Settings: SHIPSHAPE_ENGINE_SOCKET (/run/shipshape-docker.sock), SHIPSHAPE_ENGINE_DATA_ROOT
# (/var/lib/shipshape-docker), SHIPSHAPE_ENGINE_EXEC_ROOT (/run/shipshape-docker),
# SHIPSHAPE_ENGINE_NETNS (shipshape-docker), SHIPSHAPE_ENGINE_CONF_DIR ($SHIPSHAPE_CACHE/hardened-engine,
# where daemon.json lives); dockerd's log is $SHIPSHAPE_LOG_DIR/hardened-dockerd.log.
# Monitoring (ObservabilityStack): the engine serves its metrics on SHIPSHAPE_ENGINE_METRICS_ADDR
# (172.17.0.1:9323, the default bridge's gateway inside the namespace: containers of any network of
# this engine reach it, nothing outside the namespace does; "" for none), and lets the group
# SHIPSHAPE_ENGINE_SOCKET_GID (10900, as a remapped container sees it) use its socket, through a
# POSIX ACL: only a container that has the socket mounted (SecureService's overrides.engineSocket)
# and runs with that group can use it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=scripts/env.sh
source "$here/env.sh"

socket="$SHIPSHAPE_ENGINE_SOCKET"
metrics_addr="${SHIPSHAPE_ENGINE_METRICS_ADDR-172.17.0.1:9323}"
socket_gid="${SHIPSHAPE_ENGINE_SOCKET_GID:-10900}"
data_root="${SHIPSHAPE_ENGINE_DATA_ROOT:-/var/lib/shipshape-docker}"
exec_root="${SHIPSHAPE_ENGINE_EXEC_ROOT:-/run/shipshape-docker}"
pidfile="$exec_root.pid"
netns="$SHIPSHAPE_ENGINE_NETNS"
conf_dir="${SHIPSHAPE_ENGINE_CONF_DIR:-$SHIPSHAPE_CACHE/hardened-engine}"
config="$conf_dir/daemon.json"
log="${SHIPSHAPE_LOG_DIR:-$SHIPSHAPE_CACHE/logs}/hardened-dockerd.log"
host="unix://$socket"

say() { printf 'hardened-engine: %s\n' "$*"; }
die() { say "$*" >&2; exit 1; }
answers() { docker -H "$host" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
running_pid() {
  local pid
  [ -f "$pidfile" ] && pid="$(cat "$pidfile")" && [ -n "$pid" ] && [ -d "/proc/$pid" ] &&
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] && echo "$pid"
}

# The daemon.json shipshape generates: the same code as `shipshape daemon-config` and HardenedDaemon.
generate_config() {
  mkdir -p "$conf_dir"
  local cli=(node "$root/dist/src/cli/main.js")
  [ -f "$root/dist/src/cli/main.js" ] || cli=(node --import tsx "$root/src/cli/main.ts")
  local flags=()
  [ -z "$metrics_addr" ] || flags+=(--metrics-addr "$metrics_addr")
  (cd "$root" && "${cli[@]}" daemon-config "${flags[@]}" --out "$config.new" --explain >"$conf_dir/daemon.json.explained")
  if [ -f "$config" ] && cmp -s "$config" "$config.new"; then rm -f "$config.new"; else mv "$config.new" "$config"; fi
}

# The hash of what the running daemon was started with; a change restarts it.
wanted_key() { { cat "$config"; echo "$socket $data_root $exec_root $netns"; } | sha256sum | cut -c1-16; }

ensure_netns() {
  if [ ! -e "/run/netns/$netns" ]; then
    ip netns add "$netns"
  fi
  ip -n "$netns" link set lo up
}

start_dockerd() {
  mkdir -p "$(dirname "$log")" "$data_root"
  # The remapped root must be able to traverse into the data root.
  chmod 0711 "$data_root"
  printf '\n# %s starting dockerd (config %s)\n' "$(date -u +%FT%TZ)" "$config" >>"$log"
  # dockerd reads the flags for where it lives; daemon.json holds every security setting, so the
  # live audit reads them from the file shipshape generated. setsid: it outlives this script.
  setsid nsenter --net="/run/netns/$netns" -- dockerd \
    --config-file "$config" \
    -H "$host" \
    --data-root "$data_root" \
    --exec-root "$exec_root" \
    --pidfile "$pidfile" \
    </dev/null >>"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    if answers; then wanted_key >"$conf_dir/running.key"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 40 "$log" >&2
  if kill -0 "$pid" 2>/dev/null; then die "dockerd did not answer on $socket within 60 s; its log: $log"; fi
  die "dockerd exited without answering on $socket; its log: $log"
}

stop_dockerd() {
  local pid
  pid="$(running_pid || true)"
  [ -n "$pid" ] || { rm -f "$conf_dir/running.key"; return 0; }
  kill "$pid"
  for _ in $(seq 1 60); do
    [ -d "/proc/$pid" ] || break
    sleep 0.5
  done
  if [ -d "/proc/$pid" ]; then kill -9 "$pid"; fi
  rm -f "$conf_dir/running.key"
}

# The socket's group for the exporter: a remapped container's gid G is the host's <subgid base>+G.
grant_socket_group() {
  local base
  base="$(awk -F: '$1 == "dockremap" { print $2; exit }' /etc/subgid)"
  [ -n "$base" ] || die "no dockremap range in /etc/subgid: dockerd creates it with userns-remap \"default\""
  command -v setfacl >/dev/null || die "setfacl not found: run scripts/setup.sh (Debian's acl)"
  setfacl -m "g:$((base + socket_gid)):rw" "$socket"
}

# The loopback registry, reachable from the namespace too: SignedImage pushes through this
# engine and its containers pull by digest from 127.0.0.1:5000 (Docker's default insecure range).
start_registry() {
  bash "$here/registry.sh" start
  bash "$here/registry.sh" netns-start "$netns"
}

case "${1:-start}" in
  start)
    command -v dockerd >/dev/null || die "dockerd not found: run scripts/setup.sh (Debian's docker.io)"
    generate_config
    if answers && [ -f "$conf_dir/running.key" ] && [ "$(cat "$conf_dir/running.key")" = "$(wanted_key)" ]; then
      grant_socket_group
      start_registry
      exit 0
    fi
    if [ -n "$(running_pid || true)" ]; then
      say "restarting dockerd: its daemon.json or flags differ from what it was started with (live-restore keeps the containers running)"
      stop_dockerd
    fi
    ensure_netns
    start_dockerd
    say "dockerd $(docker -H "$host" version --format '{{.Server.Version}}') on $host, network namespace $netns, config $config"
    grant_socket_group
    start_registry
    ;;
  status)
    answers
    ;;
  env)
    printf 'export DOCKER_HOST=%s\n' "$host"
    ;;
  stop)
    stop_dockerd
    ;;
  purge)
    if answers; then
      ids="$(docker -H "$host" ps -aq)"
      # live-restore would keep them running after dockerd stops.
      if [ -n "$ids" ]; then
        # shellcheck disable=SC2086
        docker -H "$host" rm -f $ids >/dev/null
      fi
    fi
    stop_dockerd
    if [ -e "/run/netns/$netns" ]; then bash "$here/registry.sh" netns-stop "$netns"; fi
    # dockerd can leave mounts under its roots (the remapped root, overlay layers).
    while read -r mount; do umount -l "$mount" 2>/dev/null || true; done < <(
      awk -v a="$data_root" -v b="$exec_root" 'index($5, a "/") == 1 || $5 == a || index($5, b "/") == 1 || $5 == b {print $5}' /proc/self/mountinfo | sort -r)
    # With userns-remap, dockerd also makes "<exec-root>.<uid>.<gid>" beside the exec root.
    rm -rf "$data_root" "$exec_root" "$exec_root".[0-9]*.[0-9]* "$socket" "$pidfile" "$conf_dir"
    if [ -e "/run/netns/$netns" ]; then ip netns delete "$netns"; fi
    say "removed: dockerd, $data_root, $exec_root, $socket, network namespace $netns, $conf_dir"
    ;;
  *)
    echo "usage: bash scripts/hardened-engine.sh [start|status|stop|purge|env]" >&2
    exit 2
    ;;
esac
