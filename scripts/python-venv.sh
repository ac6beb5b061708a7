#!/usr/bin/env bash
# The Python side of the toolchain: a virtual environment in $SHIPSHAPE_CACHE/python/venv with
# PyPI's `pulumi` (pinned below: PyPI's newest release, which may trail the CLI), plus what the Python
# SDKs `pulumi package add` generates need offline: `parver` (their runtime dependency) and
# `wheel` (pip builds a local SDK with this environment's setuptools, no build isolation).
# scripts/pulumi-toolchain/language-python runs programs in it, or in a program's own environment
# made on top of it (runtime option `virtualenv`).
#
# Idempotent: a stamp (versions + python) in $SHIPSHAPE_CACHE/python/stamp; with it current this
# prints nothing. Otherwise one line with its time. Needs python3 (>= 3.9) with venv.
#   bash scripts/python-venv.sh [--verbose]      SHIPSHAPE_PYTHON_FORCE=1 rebuilds it
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
for arg in "$@"; do
  case "$arg" in
    --verbose | -v) export SHIPSHAPE_VERBOSE=1 ;;
    *) echo "usage: bash scripts/python-venv.sh [--verbose]" >&2; exit 2 ;;
  esac
done
# shellcheck source=scripts/env.sh
source "$here/env.sh"
# shellcheck source=scripts/lib/progress.sh
source "$here/lib/progress.sh"
progress_init python-venv 1

venv="$SHIPSHAPE_CACHE/python/venv"
stamp="$SHIPSHAPE_CACHE/python/stamp"
python="$(command -v python3 || true)"
[ -n "$python" ] || progress_fail "no python3 on PATH (apt-get install python3 python3-venv)"
# The Python SDK. PyPI's newest `pulumi` release is 3.272.0 (3.273.0 has only pre-releases there,
# 3.274-3.276 none), while the CLI and @pulumi/pulumi are 3.276.0: a language SDK talks to the CLI
# over the engine's gRPC protocol, so it need not be the CLI's release (docs/pulumi-toolchain.md).
pulumi_version=3.272.0
# The generated SDKs require parver>=0.2.1; wheel for setuptools' bdist_wheel.
requirements=("pulumi==$pulumi_version" "parver==1.0.1.post0" "wheel==0.48.0")
key="${requirements[*]} $("$python" --version 2>&1)"

if [ -z "${SHIPSHAPE_PYTHON_FORCE:-}" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] &&
   [ -x "$venv/bin/python" ]; then
  exit 0
fi

make_venv() {
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check "${requirements[@]}"
  "$venv/bin/python" -c 'import pulumi, parver, wheel; print("pulumi", pulumi.__version__ if hasattr(pulumi, "__version__") else "")'
}
run_step "Python venv with pulumi $pulumi_version from PyPI ($venv)" python-venv -- make_venv
mkdir -p "$(dirname "$stamp")"
echo "$key" >"$stamp"
