#!/usr/bin/env bash
# The main job, from a fresh clone: create, build, verify and run a freestanding hello binary in a
# temporary directory, showing every step. Installs the npm packages and builds freestand first if needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
./node_modules/.bin/tsc -p .
freestand() { node "$root/dist/src/cli/main.js" "$@"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
target="${1:-host}"
echo "\$ freestand new hello --target $target --yes"
freestand new hello --target "$target" --yes
cd hello
echo; echo "\$ freestand build --release"
freestand build --release
elf="$(find target -path '*/release/hello' -type f | head -n 1)"
if freestand --help | grep -q '^  verify'; then
  echo; echo "\$ freestand verify $elf"
  freestand verify "$elf"
fi
echo; echo "\$ freestand run --release"
set +e
freestand run --release
code=$?
set -e
echo; echo "(the program exited with code $code)"
exit "$code"
