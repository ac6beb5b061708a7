#!/usr/bin/env bash
# Installs the peers `npm run bench -- --peers` compares shipshape with, into the project's cache
# (never needed by the tests; each one is optional for the benchmark):
#   kube-score  built from the Go module proxy into $SHIPSHAPE_CACHE/go/bin
#   checkov     from PyPI into a virtual environment, $SHIPSHAPE_CACHE/checkov
#   trivy       not here: the scanning setup builds it into $SHIPSHAPE_CACHE/tools/bin/trivy
# Builds run at the lowest priority: the machine is shared.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"

KUBE_SCORE_VERSION="${KUBE_SCORE_VERSION:-v1.20.0}"
CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"

go_dir="$SHIPSHAPE_CACHE/go"
if [[ ! -x "$go_dir/bin/kube-score" ]]; then
  if command -v go >/dev/null 2>&1; then
    echo "building kube-score $KUBE_SCORE_VERSION into $go_dir/bin (nice -n 19)…"
    GOPATH="$go_dir" GOMODCACHE="$go_dir/pkg/mod" GOCACHE="$go_dir/cache" GOBIN="$go_dir/bin" \
      GOTOOLCHAIN=local CGO_ENABLED=0 \
      nice -n 19 go install "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
  else
    echo "no go command: kube-score is left out (install Debian's golang-go to build it)" >&2
  fi
fi

venv="$SHIPSHAPE_CACHE/checkov"
if [[ ! -x "$venv/bin/checkov" ]]; then
  echo "installing checkov $CHECKOV_VERSION into $venv…"
  python3 -m venv "$venv"
  nice -n 19 "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi

for tool in "$go_dir/bin/kube-score" "$venv/bin/checkov" "$SHIPSHAPE_CACHE/tools/bin/trivy"; do
  if [[ -x "$tool" ]]; then echo "ready: $tool"; else echo "missing: $tool"; fi
done
