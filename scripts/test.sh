#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need when it is missing, builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm packages: exactly the lockfile's versions.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Compile and bundle first: the environment step builds the sysroots with our own CLI (dist/bin/freestand.js).
npx tsc -p .
node scripts/bundle.mjs

# Toolchain, QEMU and sysroots the suite needs (installs only what is missing; see the script).
bash scripts/ensure-env.sh

# Only *.test.js: node 20 would also run every other .js under a test/ directory (fixtures, helpers) as a test.
# A stale dist/ may hold tests whose sources are gone; run only those compiled from test/*.test.ts.
mapfile -t tests < <(cd test && find . -name '*.test.ts' | sed -e 's|^\./|dist/test/|' -e 's|\.ts$|.js|' | sort)
# One test file per core (node's default leaves one core idle: on this 2-core machine, one file at a time).
exec node --test --test-concurrency="$(nproc)" --test-reporter=spec "$@" "${tests[@]}"
