#!/usr/bin/env bash
# Makes the machine ready for the test suite, installing only what is missing, then runs every
# scripts/env/*.sh step in name order (each area of the project owns one step).
# Steps use `need_debs pkg...` to install Debian packages; where the script may not install
# (not root, no apt), it says so and the tests that need the package skip with that reason.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=0
need_debs() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "ensure-env: cannot install ${missing[*]} (not root or no apt); tests that need them will be skipped" >&2
    return 0
  fi
  if [ $apt_updated = 0 ]; then
    echo "ensure-env: apt-get update" >&2
    # Another apt may be running (a previous install); wait for its lock instead of failing.
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt_updated=1
  fi
  echo "ensure-env: installing ${missing[*]}" >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

for step in scripts/env/*.sh; do
  [ -e "$step" ] || continue
  # shellcheck source=/dev/null
  source "$step"
done
