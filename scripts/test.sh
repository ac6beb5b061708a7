#!/usr/bin/env bash
# The full test suite: set up the real parts (Node 24, Docker engine, Pulumi toolchain), then
# typecheck, lint, build and run every test.
#   bash scripts/test.sh [--verbose] [vitest arguments…]
# Typecheck, lint and build print one line each (their output goes to
# $SHIPSHAPE_CACHE/logs/test.log, and is shown when they fail); vitest prints its own report.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$(dirname "$here")"
vitest_args=()
for arg in "$@"; do
  case "$arg" in
    --verbose) export SHIPSHAPE_VERBOSE=1 ;;
    *) vitest_args+=("$arg") ;;
  esac
done
bash "$here/setup.sh"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
# shellcheck source=scripts/lib/progress.sh
source "$here/lib/progress.sh"
progress_init test 4
echo "test: node $(node --version); log in $PROGRESS_LOG"
run_step "typecheck (tsc -p tsconfig.check.json)" typecheck -- npx tsc -p tsconfig.check.json
run_step "lint (biome check .)" lint -- npx biome check .
run_step "build (tsc -p tsconfig.json)" tsc -- npx tsc -p tsconfig.json
echo "[4/4] tests (vitest run${vitest_args[*]:+ ${vitest_args[*]}})"
npx vitest run "${vitest_args[@]}"
