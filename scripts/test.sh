#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need when it is missing, builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm packages: exactly the lockfile's versions.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Toolchain, QEMU and sysroots the suite needs (installs only what is missing; see the script).
bash scripts/ensure-env.sh

npx tsc -p .
exec node --test --test-reporter=spec "$@" dist/test/
