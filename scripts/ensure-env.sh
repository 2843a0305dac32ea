#!/usr/bin/env bash
# Installs what the test suite needs when it is missing. Placeholder until the toolchain work lands.
set -euo pipefail
exit 0
