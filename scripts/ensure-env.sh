#!/usr/bin/env bash
# Makes the machine ready for the test suite, installing only what is missing, then runs every
# scripts/env/*.sh step in name order (each area of the project owns one step).
# Steps use `need_debs pkg...` to install Debian packages; where the script may not install
# (not root, no apt), it says so and the tests that need the package skip with that reason.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=lib/need-debs.sh
source scripts/lib/need-debs.sh

for step in scripts/env/*.sh; do
  [ -e "$step" ] || continue
  # shellcheck source=/dev/null
  source "$step"
done
