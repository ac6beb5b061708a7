#!/usr/bin/env bash
# A loopback-only Kubernetes control plane on this machine, from the binaries
# scripts/kubernetes-tools/build.sh builds: etcd, kube-apiserver (Pod Security admission on, as it
# is by default) and kube-controller-manager (so Deployments get ReplicaSets, and the ReplicaSets'
# Pod creates are judged by admission). No scheduler and no kubelet: Pods are admitted, never run.
#
#   bash scripts/cluster.sh up       generate certificates (once), start, wait until ready (< 1 min)
#   bash scripts/cluster.sh status   say whether it runs and answers; exit 1 if not
#   bash scripts/cluster.sh down     stop what `up` started and remove the cluster's directory
#
# Everything lives in $SHIPSHAPE_CLUSTER_DIR (default $SHIPSHAPE_CACHE/cluster): certificates,
# the service-account key pair, etcd's data, logs, pid files and the admin kubeconfig
# (kubeconfig). Ports on 127.0.0.1 only: the API server on $SHIPSHAPE_CLUSTER_PORT (default 16443),
# etcd's client and peer URLs on the two ports after it. The controller manager serves nothing.
# The tests start their own instance with another directory and port (test/kubernetes/cluster.ts).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"

dir="${SHIPSHAPE_CLUSTER_DIR:-$SHIPSHAPE_CACHE/cluster}"
port="${SHIPSHAPE_CLUSTER_PORT:-16443}"
etcd_port=$((port + 1))
etcd_peer_port=$((port + 2))
bin="$SHIPSHAPE_CACHE/tools/bin"
pki="$dir/pki"
kubeconfig="$dir/kubeconfig"
ready_timeout="${SHIPSHAPE_CLUSTER_TIMEOUT:-90}"

die() { echo "cluster: $*" >&2; exit 1; }

usage() { echo "usage: bash scripts/cluster.sh up|down|status" >&2; exit 2; }

need_binaries() {
  local b
  for b in etcd kube-apiserver kube-controller-manager; do
    [ -x "$bin/$b" ] || die "$bin/$b is missing: run bash scripts/kubernetes-tools/build.sh (setup builds it)"
  done
}

# --- certificates: one CA, the API server's serving certificate, two client certificates ---------
gen_cert() { # name subject [extensions]
  local name="$1" subj="$2" ext="${3:-}"
  openssl genrsa -out "$pki/$name.key" 2048 2>/dev/null
  openssl req -new -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
  local extfile="$pki/$name.ext"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [ -n "$ext" ]; then echo "$ext"; else echo "extendedKeyUsage=clientAuth"; fi
  } >"$extfile"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 365 -sha256 -extfile "$extfile" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$extfile"
  chmod 0600 "$pki/$name.key"
}

gen_pki() {
  [ -f "$pki/ca.crt" ] && [ -f "$pki/sa.pub" ] && return 0
  rm -rf "$pki"
  mkdir -p "$pki"
  chmod 0700 "$pki"
  openssl genrsa -out "$pki/ca.key" 2048 2>/dev/null
  chmod 0600 "$pki/ca.key"
  openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=shipshape-cluster-ca" -days 365 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$pki/ca.crt" 2>/dev/null
  gen_cert apiserver "/CN=kube-apiserver" \
    "$(printf 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local')"
  gen_cert admin "/O=system:masters/CN=shipshape-admin"
  gen_cert controller-manager "/CN=system:kube-controller-manager"
  # The key pair service-account tokens are signed with (and verified by).
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  chmod 0600 "$pki/sa.key"
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
}

write_kubeconfig() { # file user cert key
  local file="$1" user="$2" cert="$3" key="$4"
  umask 077
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: shipshape
    cluster:
      server: https://127.0.0.1:$port
      certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
  - name: $user
    user:
      client-certificate-data: $(base64 -w0 "$cert")
      client-key-data: $(base64 -w0 "$key")
contexts:
  - name: shipshape
    context:
      cluster: shipshape
      user: $user
current-context: shipshape
EOF
}

# --- processes ---------------------------------------------------------------------------------
running() { # name: its pid file names a live process started from our binary
  local f="$dir/run/$1.pid" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  # /proc/PID/exe is the resolved path: resolve ours too (a cache directory may be a symlink).
  [ -n "$pid" ] && [ -e "/proc/$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$bin/$1")" ]
}

start() { # name args...
  local name="$1"; shift
  running "$name" && return 0
  setsid "$bin/$name" "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/run/$name.pid"
}

api_ready() {
  curl -sf --max-time 3 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
    "https://127.0.0.1:$port/readyz" >/dev/null 2>&1
}

etcd_ready() {
  curl -sf --max-time 2 "http://127.0.0.1:$etcd_port/health" 2>/dev/null | grep -q '"health":"true"'
}

wait_for() { # what command... : polls until it succeeds or ready_timeout passes
  local what="$1"; shift
  local deadline=$((SECONDS + ready_timeout))
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then
      die "$what not ready after ${ready_timeout}s; its log: $dir/logs/$what.log"$'\n'"$(tail -n 20 "$dir/logs/$what.log" 2>/dev/null)"
    fi
    sleep 0.5
  done
}

port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }

up() {
  need_binaries
  mkdir -p "$dir/run" "$dir/logs" "$dir/etcd"
  chmod 0700 "$dir" "$dir/etcd"
  if running kube-apiserver && api_ready; then echo "cluster: already up (kubeconfig $kubeconfig)"; return 0; fi
  local p
  for p in "$port" "$etcd_port" "$etcd_peer_port"; do
    port_free "$p" || running etcd || running kube-apiserver ||
      die "127.0.0.1:$p is in use by another process: set SHIPSHAPE_CLUSTER_PORT to another base port"
  done
  local t0=$SECONDS
  gen_pki
  write_kubeconfig "$kubeconfig" shipshape-admin "$pki/admin.crt" "$pki/admin.key"
  write_kubeconfig "$dir/controller-manager.kubeconfig" system:kube-controller-manager \
    "$pki/controller-manager.crt" "$pki/controller-manager.key"

  start etcd --name shipshape --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "shipshape=http://127.0.0.1:$etcd_peer_port" \
    --listen-metrics-urls "" --log-level warn --quota-backend-bytes 268435456
  wait_for etcd etcd_ready

  start kube-apiserver \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$port" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --authorization-mode Node,RBAC --anonymous-auth=false \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --api-audiences https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/16 \
    --enable-admission-plugins PodSecurity,NodeRestriction \
    --allow-privileged=false --profiling=false \
    --endpoint-reconciler-type none
  wait_for kube-apiserver api_ready

  start kube-controller-manager \
    --kubeconfig "$dir/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$dir/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$dir/controller-manager.kubeconfig" \
    --secure-port 0 --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --service-cluster-ip-range 10.96.0.0/16 --profiling=false
  sleep 1
  running kube-controller-manager ||
    die "kube-controller-manager exited; its log: $dir/logs/kube-controller-manager.log"$'\n'"$(tail -n 20 "$dir/logs/kube-controller-manager.log")"
  echo "cluster: up in $((SECONDS - t0))s: https://127.0.0.1:$port, kubeconfig $kubeconfig"
}

stop() { # name
  local f="$dir/run/$1.pid" pid i
  running "$1" || { rm -f "$f"; return 0; }
  pid="$(cat "$f")"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do [ -e "/proc/$pid" ] || break; sleep 0.2; done
  [ -e "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

down() {
  stop kube-controller-manager
  stop kube-apiserver
  stop etcd
  rm -rf "${dir:?}"
  echo "cluster: down ($dir removed)"
}

status() {
  local name ok=0
  for name in etcd kube-apiserver kube-controller-manager; do
    if running "$name"; then echo "$name: running (pid $(cat "$dir/run/$name.pid"))"; else echo "$name: not running"; ok=1; fi
  done
  if [ -f "$pki/ca.crt" ] && api_ready; then echo "API server: ready at https://127.0.0.1:$port (kubeconfig $kubeconfig)"
  else echo "API server: not answering on https://127.0.0.1:$port"; ok=1; fi
  return $ok
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) usage ;;
esac
