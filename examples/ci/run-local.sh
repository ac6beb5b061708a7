#!/usr/bin/env bash
# The CI pipeline of examples/ci (.gitlab-ci.yml, github-actions.yml), stage for stage, on this
# machine: the local Docker engine and the loopback registry (scripts/registry.sh), nothing pulled.
#
#   validate  shipshape audit of the app's Dockerfile and Pulumi program → audit.sarif (gate: any finding)
#   build     docker build of examples/ci/app on a base image imported locally (docker import)
#   scan      shipshape scan IMAGE --block-critical --max-vulns N -e → scan.sarif (the gate)
#   push      shipshape registry push IMAGE --to REGISTRY/REPO:TAG --block-critical (gated push)
#   sign      shipshape image sign REF@DIGEST --key (from shipshape image keygen); cosign verify
#   preview   pulumi preview --policy-pack policy of examples/ci/app, the image pinned by digest
#   deploy    pulumi up --policy-pack policy, then a request to the service and its hardening
#   destroy   (with --destroy) pulumi destroy and stack rm, the pushed tag deleted
#
# A signature is stored in the registry next to the digest it signs, so the image is pushed before
# it is signed; the scan gate runs before either.
#
#   bash examples/ci/run-local.sh [--image IMAGE] [--work-dir DIR] [--stack NAME] [--destroy] [--verbose]
#     --image IMAGE   scan, push and deploy IMAGE (a local engine image) instead of building the app;
#                     e.g. shipshape-test/scan-vulnerable:1 (scripts/images/scan-test-images.sh)
#     --work-dir DIR  reports, keys, the Pulumi state and the log (default: a new directory under /tmp)
#     --stack NAME    the Pulumi stack (default: local)
#     --destroy       tear everything down at the end (the stack, the pushed tag, the built image)
#   Environment: SSPIPE_IMAGE, SSPIPE_WORK_DIR, SSPIPE_STACK, SSPIPE_PREFIX (sspipe: the prefix of
#   every container, image and repository), SSPIPE_PORT (18090), SSPIPE_MAX_VULNS (0),
#   SSPIPE_REGISTRY (127.0.0.1:5000), PULUMI_CONFIG_PASSPHRASE (else a generated one, kept in the
#   work directory with mode 0600), SHIPSHAPE_VERBOSE=1 (stream every command's output).
# One line per stage on stdout; every command's output goes to the log whose path is printed.
# Exit 0 when every stage passed; 1 naming the stage that failed (with the log's tail); 2 on bad usage.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"

usage() {
  sed -n 's/^#   \{0,1\}//p' "${BASH_SOURCE[0]}" | sed -n '/^bash examples/,/directory with mode/p' >&2
  exit "${1:-2}"
}
image="${SSPIPE_IMAGE:-}"
work="${SSPIPE_WORK_DIR:-}"
stack="${SSPIPE_STACK:-local}"
destroy=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --image) [ "$#" -ge 2 ] || usage; image="$2"; shift 2 ;;
    --work-dir) [ "$#" -ge 2 ] || usage; work="$2"; shift 2 ;;
    --stack) [ "$#" -ge 2 ] || usage; stack="$2"; shift 2 ;;
    --destroy) destroy=1; shift ;;
    --verbose | -v) export SHIPSHAPE_VERBOSE=1; shift ;;
    -h | --help) usage 0 ;;
    *) echo "run-local: unknown argument $1" >&2; usage ;;
  esac
done
prefix="${SSPIPE_PREFIX:-sspipe}"
registry="${SSPIPE_REGISTRY:-127.0.0.1:5000}"
port="${SSPIPE_PORT:-18090}"
max_vulns="${SSPIPE_MAX_VULNS:-0}"
[[ "$stack" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "run-local: --stack $stack: use letters, digits, '.', '_' or '-'" >&2; exit 2; }
[[ "$prefix" =~ ^[a-z0-9][a-z0-9-]*$ ]] || { echo "run-local: SSPIPE_PREFIX $prefix: use lowercase letters, digits and '-'" >&2; exit 2; }
[[ "$port" =~ ^[0-9]+$ ]] || { echo "run-local: SSPIPE_PORT $port is not a port number" >&2; exit 2; }
[[ "$max_vulns" =~ ^[0-9]+$ ]] || { echo "run-local: SSPIPE_MAX_VULNS $max_vulns is not a number" >&2; exit 2; }
if [ -z "$work" ]; then work="$(mktemp -d /tmp/sspipe-run.XXXXXX)"; fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"

app_dir="$here/app"
log="$work/pipeline.log"
tag="$stack"
repo="$prefix/ci-app"
target="$registry/$repo:$tag"
project="shipshape-ci-app"
shipshape=(node "$root/dist/src/cli/main.js")
cosign_bin="${SHIPSHAPE_COSIGN:-$SHIPSHAPE_CACHE/tools/bin/cosign}"
export PULUMI_BACKEND_URL="file://$work/state"
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  # A local run's own passphrase: it protects the secrets in this work directory's state only.
  if [ ! -s "$work/passphrase" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$work/passphrase")
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$work/passphrase"
fi
# The program runs from a copy in the work directory (its stack files land there, not in the
# repository): Pulumi.yaml copied, index.ts and node_modules linked to the repository's.
program_dir="$work/app"
pulumi_app() { pulumi --cwd "$program_dir" --non-interactive "$@"; }
stage_program() {
  mkdir -p "$program_dir"
  cp "$app_dir/Pulumi.yaml" "$program_dir/Pulumi.yaml"
  ln -sfn "$app_dir/index.ts" "$program_dir/index.ts"
  ln -sfn "$root/node_modules" "$program_dir/node_modules"
  printf '{"name": "shipshape-ci-app", "private": true}\n' >"$program_dir/package.json"
}

stages=(validate build scan push sign preview deploy)
[ "$destroy" = 1 ] && stages+=(destroy)
total="${#stages[@]}"
n=0
t_start="$(date +%s%N)"
elapsed() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf '%d.%ds' $((ms / 1000)) $(((ms % 1000) / 100)); }

# stage NAME DESCRIPTION -- CMD…: one line "[i/N] NAME  DESCRIPTION … 1.2s"; CMD's output to the log.
stage() {
  local name="$1" what="$2"
  shift 2
  [ "${1:-}" = -- ] && shift
  n=$((n + 1))
  local t0 rc
  t0="$(date +%s%N)"
  printf '\n==> stage %s: %s (%s)\n' "$name" "$what" "$(date -u +%FT%TZ)" >>"$log"
  printf '[%d/%d] %-8s %s … ' "$n" "$total" "$name" "$what"
  set +e
  if [ "${SHIPSHAPE_VERBOSE:-}" = 1 ]; then
    echo
    ( set -e; "$@" ) 2>&1 </dev/null | tee -a "$log"
    rc="${PIPESTATUS[0]}"
  else
    ( set -e; "$@" ) >>"$log" 2>&1 </dev/null
    rc=$?
  fi
  set -e
  if [ "$rc" -eq 0 ]; then
    printf 'ok %s\n' "$(elapsed "$t0")"
    printf '==> stage %s passed\n' "$name" >>"$log"
    return 0
  fi
  printf 'FAILED %s\n' "$(elapsed "$t0")"
  printf '==> stage %s FAILED (exit %d)\n' "$name" "$rc" >>"$log"
  {
    printf 'run-local: stage %s failed (exit %d); the last 30 lines of %s:\n' "$name" "$rc" "$log"
    tail -n 30 "$log"
    printf 'run-local: pipeline stopped at stage %s; full log: %s\n' "$name" "$log"
  } >&2
  exit 1
}

printf '# run-local %s\n' "$(date -u +%FT%TZ)" >"$log"
echo "run-local: work dir $work; log $log"
for tool in docker pulumi node; do
  command -v "$tool" >/dev/null || { echo "run-local: $tool not found on PATH: run scripts/setup.sh" >&2; exit 1; }
done
[ -x "$cosign_bin" ] || { echo "run-local: cosign missing ($cosign_bin): run scripts/setup.sh" >&2; exit 1; }
# The CLI and the policy pack load the built library (dist/): build it when the sources changed.
if [ ! -f "$root/dist/.shipshape-built" ] ||
  [ -n "$(find "$root/src" "$root/tsconfig.json" -newer "$root/dist/.shipshape-built" -print -quit)" ]; then
  echo "run-local: building the library (tsc) first …"
  (cd "$root" && npx tsc -p tsconfig.json >>"$log" 2>&1 && touch dist/.shipshape-built) ||
    { echo "run-local: the library build failed; see $log" >&2; exit 1; }
fi
bash "$root/scripts/registry.sh" start >>"$log" 2>&1 ||
  { echo "run-local: the local registry did not start; see $log" >&2; tail -n 20 "$log" >&2; exit 1; }

# --- validate: the app's Dockerfile and program, as SARIF (CI uploads it to code scanning) --------
validate() {
  # The program runs under shipshape's mock runtime (project "check") before any image exists, so
  # its required image is a placeholder digest here. Every finding is in the SARIF; the gate is
  # that there is none, but image-not-verified: before the push no image can be signed, and the
  # preview judges it (the pack knows the signed image through verifiedImages).
  local rc=0
  PULUMI_CONFIG="{\"check:image\":\"$registry/$repo@sha256:$(printf '0%.0s' {1..64})\"}" \
    "${shipshape[@]}" audit "$app_dir" --format sarif -o "$work/audit.sarif" || rc=$?
  [ "$rc" -le 1 ] || return "$rc"
  node "$here/sarif-gate.cjs" "$work/audit.sarif" image-not-verified
}
stage validate "shipshape audit examples/ci/app (Dockerfile, Pulumi program) → audit.sarif" -- validate

# --- build: the app on a locally imported base image ------------------------------------------------
build() {
  # shellcheck source=scripts/images/rootfs.sh
  source "$root/scripts/images/rootfs.sh"
  local base="$prefix/base:1" hash
  hash="$(rootfs_inputs_hash | sha256sum | cut -c1-16)"
  if ! image_up_to_date "$base" "$hash"; then
    rm -rf "$work/base"
    mkdir -p "$work/base"
    rootfs_base "$work/base/rootfs"
    rootfs_import "$work/base/rootfs" "$base" "$hash"
    rm -rf "$work/base"
  fi
  DOCKER_BUILDKIT=0 docker build --pull=false --build-arg "BASE=$base" -t "$prefix/ci-app:$tag" "$app_dir"
}
if [ -n "$image" ]; then
  stage build "skipped: --image $image given" -- docker image inspect --format '{{.Id}}' "$image"
else
  image="$prefix/ci-app:$tag"
  stage build "docker build examples/ci/app → $image" -- build
fi

# --- scan: the gate -------------------------------------------------------------------------------
scan() {
  # SARIF for code scanning, and the gate: no critical, at most max_vulns critical or high.
  "${shipshape[@]}" scan "$image" -s critical,high -f sarif -o "$work/scan.sarif" \
    --block-critical --max-vulns "$max_vulns" -e
}
stage scan "shipshape scan $image --block-critical --max-vulns $max_vulns → scan.sarif" -- scan

# --- push: the gated push to the registry ---------------------------------------------------------
push() {
  "${shipshape[@]}" registry push "$image" --to "$target" --block-critical
  local digest
  digest="$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$image" |
    grep -m1 "^$registry/$repo@sha256:" | sed 's/.*@//')"
  [ -n "$digest" ] || { echo "no repository digest of $registry/$repo on $image after the push"; return 1; }
  echo "$registry/$repo@$digest" >"$work/image-ref"
  echo "pushed: $(cat "$work/image-ref")"
}
stage push "shipshape registry push $image --to $target --block-critical" -- push
image_ref="$(cat "$work/image-ref")"

# --- sign: shipshape signs the digest, cosign verifies it -----------------------------------------
sign() {
  # The release key: in CI a secret file variable; here generated once per work directory.
  if [ ! -f "$work/keys/release.key" ]; then
    mkdir -p -m 700 "$work/keys"
    "${shipshape[@]}" image keygen -o "$work/keys" -n release
  fi
  "${shipshape[@]}" image sign "$image_ref" --key "$work/keys/release.key"
  "${shipshape[@]}" image verify "$image_ref" --key "$work/keys/release.pub"
  "$cosign_bin" verify --key "$work/keys/release.pub" --insecure-ignore-tlog=true "$image_ref"
}
stage sign "shipshape image sign ${image_ref#*/}, cosign verify" -- sign

# --- preview: the deployment with the policy pack --------------------------------------------------
# The pack counts the pipeline's signed images as verified (image-not-verified's verifiedImages).
printf '{"image-not-verified": {"verifiedImages": ["%s/%s@sha256:*"]}}\n' "$registry" "$repo" >"$work/policy-config.json"
preview() {
  mkdir -p "$work/state"
  stage_program
  pulumi_app stack select "$stack" 2>/dev/null ||
    pulumi_app stack init "$stack" --secrets-provider passphrase
  pulumi_app config set --stack "$stack" image "$image_ref"
  pulumi_app config set --stack "$stack" prefix "$prefix-ci"
  pulumi_app config set --stack "$stack" port "$port"
  pulumi_app preview --stack "$stack" \
    --policy-pack "$root/policy" --policy-pack-config "$work/policy-config.json" 2>&1 | tee "$work/preview.txt"
  # Mandatory violations fail the preview itself; the signed, pinned image must not be reported.
  if grep -Eq '(image-not-verified|image-digest) ' "$work/preview.txt"; then
    echo "the preview reports image-not-verified or image-digest for the signed, pinned image"
    return 1
  fi
}
stage preview "pulumi preview --policy-pack policy (stack $stack)" -- preview

# --- deploy: up, then the running service ----------------------------------------------------------
deploy() {
  pulumi_app up --yes --skip-preview --stack "$stack" \
    --policy-pack "$root/policy" --policy-pack-config "$work/policy-config.json"
  local container health=""
  container="$(pulumi_app stack output --stack "$stack" --json containers | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s)[0]));')"
  echo "$container" >"$work/container"
  for _ in $(seq 1 40); do
    health="$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$container")"
    [ "$health" = healthy ] && break
    sleep 0.5
  done
  [ "$health" = healthy ] || { echo "$container is not healthy ($health)"; return 1; }
  [ "$(docker inspect --format '{{.Config.Image}}' "$container")" = "$image_ref" ] ||
    { echo "$container does not run $image_ref"; return 1; }
  node -e 'fetch(process.argv[1]).then(async (r) => { console.log(r.status, (await r.text()).length, "bytes"); process.exit(r.ok ? 0 : 1); }, (e) => { console.log(e.message); process.exit(1); })' \
    "http://127.0.0.1:$port/"
  docker inspect --format 'user={{.Config.User}} readonly={{.HostConfig.ReadonlyRootfs}} capdrop={{.HostConfig.CapDrop}}' "$container"
}
stage deploy "pulumi up --policy-pack policy; the service answers on 127.0.0.1:$port" -- deploy

# --- destroy (optional) -----------------------------------------------------------------------------
teardown() {
  pulumi_app destroy --yes --skip-preview --stack "$stack"
  pulumi_app stack rm --yes --stack "$stack"
  local digest="${image_ref#*@}"
  # The pushed tag and its signature go; the registry keeps no image of this run.
  node -e '
    const [registry, repo, digest] = process.argv.slice(1);
    const sig = `sha256-${digest.slice(7)}.sig`;
    const del = async (ref) => {
      const head = await fetch(`http://${registry}/v2/${repo}/manifests/${ref}`, { method: "HEAD",
        headers: { accept: "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json" } });
      if (head.status === 404) return;
      const d = head.headers.get("docker-content-digest");
      const r = await fetch(`http://${registry}/v2/${repo}/manifests/${d}`, { method: "DELETE" });
      if (r.status !== 202 && r.status !== 404) throw new Error(`DELETE ${repo}@${d}: ${r.status}`);
    };
    del(sig).then(() => del(digest)).catch((e) => { console.error(e.message); process.exit(1); });
  ' "$registry" "$repo" "$digest"
  docker rmi "$target" >/dev/null 2>&1 || true
  if [ "$image" = "$prefix/ci-app:$tag" ]; then
    docker rmi "$image" >/dev/null 2>&1 || true
    docker rmi "$prefix/base:1" >/dev/null 2>&1 || true
  fi
}
if [ "$destroy" = 1 ]; then
  stage destroy "pulumi destroy, stack rm, the pushed image and signature deleted" -- teardown
fi

if [ "$destroy" = 1 ]; then
  echo "run-local: all $total stages passed in $(elapsed "$t_start"); $image_ref was deployed, then destroyed"
else
  echo "run-local: all $total stages passed in $(elapsed "$t_start"); deployed $image_ref (stack $stack, state in $work/state)"
fi
