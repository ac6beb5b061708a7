#!/usr/bin/env bash
# The main job: brings up the reference stack (stacks/docker) on the local Docker engine with the
# shipshape policy pack, shows the policy results and what was deployed, and verifies it.
#   bash scripts/main.sh            set up, build, preview with the policy pack, deploy, verify
#   bash scripts/main.sh destroy    tear the stack down (containers, networks, volume) and forget it
# Idempotent: a second run changes nothing. Settings (all optional):
#   SHIPSHAPE_STACK (reference), SHIPSHAPE_STATE_DIR ($SHIPSHAPE_CACHE/state),
#   SHIPSHAPE_NAME_PREFIX (shipshape-ref), SHIPSHAPE_WEB_PORT (18080), PULUMI_CONFIG_PASSPHRASE.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
action="${1:-up}"
case "$action" in
  up | destroy) ;;
  *)
    echo "usage: bash scripts/main.sh [up|destroy]" >&2
    exit 2
    ;;
esac

step() { printf '\n==> %s\n' "$*"; }
fail() {
  printf 'main: %s\n' "$*" >&2
  exit 1
}

if [ "$action" = up ]; then
  step "setup (scripts/setup.sh)"
  bash "$here/setup.sh"
fi
# shellcheck source=scripts/env.sh
source "$here/env.sh"

stack="${SHIPSHAPE_STACK:-reference}"
stack_dir="$root/stacks/docker"
state_dir="${SHIPSHAPE_STATE_DIR:-$SHIPSHAPE_CACHE/state}"
mkdir -p "$state_dir"
export PULUMI_BACKEND_URL="file://$state_dir"
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  # A local demo stack: the passphrase only protects secrets in this machine's state files.
  export PULUMI_CONFIG_PASSPHRASE="shipshape-local"
  passphrase_note="the fixed local passphrase \"shipshape-local\" (set PULUMI_CONFIG_PASSPHRASE to use your own)"
else
  passphrase_note="your PULUMI_CONFIG_PASSPHRASE"
fi
pulumi_in_stack() { pulumi --cwd "$stack_dir" "$@"; }

for tool in pulumi docker node; do
  command -v "$tool" >/dev/null || fail "$tool not found on PATH: run scripts/setup.sh"
done
[ -x "$SHIPSHAPE_PULUMI_DIR/pulumi-resource-docker" ] ||
  fail "pulumi-resource-docker missing in $SHIPSHAPE_PULUMI_DIR: run scripts/setup.sh"

if [ "$action" = destroy ]; then
  step "destroying stack $stack (state in $state_dir)"
  if pulumi_in_stack stack select "$stack" 2>/dev/null; then
    pulumi_in_stack destroy --yes --skip-preview --stack "$stack"
    pulumi_in_stack stack rm --yes "$stack"
  else
    echo "no stack $stack in $state_dir: nothing to destroy"
  fi
  rm -f "$stack_dir/Pulumi.$stack.yaml"
  echo "The image shipshape-reference/app:1 stays cached; remove it with: docker image rm shipshape-reference/app:1"
  exit 0
fi

step "build (tsc: the library the policy pack loads)"
(cd "$root" && npx tsc -p tsconfig.json)

step "local image (stacks/docker/build-image.sh)"
image="shipshape-reference/app:1"
bash "$stack_dir/build-image.sh" "$image"

step "stack $stack: state in $state_dir, secrets encrypted with $passphrase_note"
if ! pulumi_in_stack stack select "$stack" 2>/dev/null; then
  # A config file left from a stack whose state is gone carries the old salt; start afresh.
  rm -f "$stack_dir/Pulumi.$stack.yaml"
  pulumi_in_stack stack init "$stack" --secrets-provider passphrase
fi
config_default() {
  local key="$1" value="$2"
  if ! pulumi_in_stack config get --stack "$stack" "$key" >/dev/null 2>&1; then
    pulumi_in_stack config set --stack "$stack" "$key" "$value"
  fi
}
config_default namePrefix "${SHIPSHAPE_NAME_PREFIX:-shipshape-ref}"
config_default webPort "${SHIPSHAPE_WEB_PORT:-18080}"
config_default image "$image"
if ! pulumi_in_stack config get --stack "$stack" apiKey >/dev/null 2>&1; then
  pulumi_in_stack config set --stack "$stack" --secret apiKey "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
fi

step "preview with the policy pack (pulumi preview --policy-pack policy)"
pulumi_in_stack preview --stack "$stack" --policy-pack "$root/policy"

step "deploy (pulumi up --policy-pack policy)"
pulumi_in_stack up --yes --skip-preview --stack "$stack" --policy-pack "$root/policy"

step "verify what was deployed"
outputs="$(pulumi_in_stack stack output --stack "$stack" --json)"
json_list() { node -e 'const o=JSON.parse(process.argv[1]); console.log((o[process.argv[2]]||[]).join("\n"))' "$outputs" "$1"; }
mapfile -t containers < <(json_list containers)
mapfile -t networks < <(json_list networks)
mapfile -t volumes < <(json_list volumes)
url="$(node -e 'console.log(JSON.parse(process.argv[1]).url)' "$outputs")"
[ "${#containers[@]}" -gt 0 ] || fail "the stack exports no containers"

problems=0
check() {
  local container="$1" what="$2" ok="$3"
  if [ "$ok" = true ]; then
    printf '  ok    %-22s %s\n' "$container" "$what"
  else
    printf '  FAIL  %-22s %s\n' "$container" "$what"
    problems=$((problems + 1))
  fi
}
for c in "${containers[@]}"; do
  # Wait for the health check (start period plus one interval) before judging the container.
  health=""
  for _ in $(seq 1 45); do
    health="$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$c")"
    [ "$health" = starting ] || break
    sleep 1
  done
  fmt() { docker inspect --format "$1" "$c"; }
  user="$(fmt '{{.Config.User}}')"
  check "$c" "running and healthy ($(fmt '{{.State.Status}}'), $health)" \
    "$([ "$(fmt '{{.State.Running}}')" = true ] && [ "$health" = healthy ] && echo true || echo false)"
  check "$c" "non-root user ($user)" "$([[ "$user" =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] && echo true || echo false)"
  check "$c" "read-only root filesystem" "$(fmt '{{.HostConfig.ReadonlyRootfs}}')"
  check "$c" "not privileged" "$([ "$(fmt '{{.HostConfig.Privileged}}')" = false ] && echo true || echo false)"
  check "$c" "capabilities: drop ALL, add [$(fmt '{{join .HostConfig.CapAdd ","}}')]" \
    "$(fmt '{{range .HostConfig.CapDrop}}{{if eq . "ALL"}}true{{end}}{{end}}' | grep -q true && echo true || echo false)"
  opts="$(fmt '{{range .HostConfig.SecurityOpt}}{{printf "%.24s" .}}{{"\n"}}{{end}}')"
  check "$c" "no-new-privileges" "$(grep -qx 'no-new-privileges:true' <<<"$opts" && echo true || echo false)"
  check "$c" "seccomp profile (shipshape's, not unconfined)" \
    "$(grep -q '^seccomp={' <<<"$opts" && echo true || echo false)"
  memory="$(fmt '{{.HostConfig.Memory}}')"
  cpus="$(fmt '{{.HostConfig.NanoCpus}}')"
  check "$c" "memory limit $((memory / 1024 / 1024))MiB, CPU limit $(node -p "$cpus/1e9") cores" \
    "$([ "$memory" -gt 0 ] && [ "$cpus" -gt 0 ] && echo true || echo false)"
  bindings="$(fmt '{{range $p, $b := .HostConfig.PortBindings}}{{range $b}}{{.HostIp}}:{{.HostPort}}->{{$p}} {{end}}{{end}}')"
  check "$c" "ports on loopback only (${bindings:-none})" \
    "$( { [ -z "$bindings" ] || ! tr ' ' '\n' <<<"$bindings" | grep -v '^$' | grep -qv '^127\.0\.0\.1:'; } && echo true || echo false)"
done
if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$url"; then
  printf '  ok    %-22s %s\n' web "answers on $url"
else
  printf '  FAIL  %-22s %s\n' web "does not answer on $url"
  problems=$((problems + 1))
fi

step "live audit of the deployed containers (shipshape audit --docker --containers …)"
shipshape=("node" "$root/dist/src/cli/main.js")
container_list="$(IFS=,; echo "${containers[*]}")"
# The full report, engine settings included; exit code 1 only means "findings below high".
set +e
"${shipshape[@]}" audit --docker --containers "$container_list"
full_status=$?
"${shipshape[@]}" audit --docker --containers "$container_list" --min-severity high >/dev/null
high_status=$?
set -e
[ "$full_status" -le 1 ] || fail "shipshape audit --docker could not audit the engine (exit $full_status)"
if [ "$high_status" -eq 0 ]; then
  echo "  ok    no finding of severity high or critical"
else
  echo "  FAIL  findings of severity high or critical (exit $high_status)"
  problems=$((problems + 1))
fi

step "summary"
echo "stack:       $stack (pulumi state in $state_dir)"
echo "containers:  ${containers[*]}"
echo "networks:    ${networks[*]}"
echo "volumes:     ${volumes[*]}"
echo "web:         $url"
echo "secrets:     apiKey and sessionKey are encrypted in the state; show them with"
echo "             source scripts/env.sh; PULUMI_BACKEND_URL=$PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE=<passphrase> \\"
echo "               pulumi --cwd stacks/docker stack output --stack $stack --show-secrets"
echo "tear down:   bash scripts/main.sh destroy"
if [ "$problems" -gt 0 ]; then
  fail "$problems verification(s) failed (see FAIL above)"
fi
echo "verified:    every check passed"
