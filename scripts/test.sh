#!/usr/bin/env bash
# The full test suite: set up the real parts (Node 24, Docker engine, Pulumi toolchain),
# then typecheck, lint, build and run every test. Extra arguments go to vitest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$(dirname "$here")"
bash "$here/setup.sh"
source "$here/env.sh"
echo "[test] node $(node --version)"
npx tsc -p tsconfig.check.json
npx biome check .
npx tsc -p tsconfig.json
npx vitest run "$@"
