#!/usr/bin/env bash
# Runs the benchmarks under bench/ (all, or those named: `npm run bench -- foundation elf`), each printing
# ratios against the tool a user would otherwise run, measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
./node_modules/.bin/tsc -p .
node scripts/bundle.mjs
bash scripts/ensure-env.sh
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in dist/bench/*.js; do names+=("$(basename "$f" .js)"); done
fi
for name in "${names[@]}"; do
  echo "### bench/$name"
  node "dist/bench/$name.js"
  echo
done
