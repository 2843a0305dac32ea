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
node scripts/bundle.mjs
freestand() { node "$root/dist/bin/freestand.js" "$@"; }

target="${1:-host}"
if [ "$target" != host ]; then
  # A bare-metal target boots in QEMU and needs a `core`: install QEMU, lld and a compiler with its library
  # sources when missing, then build (or reuse) that target's sysroot.
  # shellcheck source=lib/need-debs.sh
  source scripts/lib/need-debs.sh
  need_debs qemu-system-arm qemu-system-misc qemu-system-x86 lld rustc-web rust-web-src
  need_matching_lld
  freestand sysroot --target "$target"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
echo "\$ freestand new hello --target $target --yes"
freestand new hello --target "$target" --yes
cd hello
echo; echo "\$ freestand build --release"
freestand build --release
elf="$(find target -path '*/release/hello' -type f | head -n 1)"
echo; echo "\$ freestand verify $elf"
freestand verify "$elf"
echo; echo "\$ freestand run --release"
set +e
freestand run --release
code=$?
set -e
echo; echo "(the program exited with code $code)"
exit "$code"
