#!/usr/bin/env bash
# Replaces vendor/tree-sitter-rust/ with the .wasm and LICENSE of a published tree-sitter-rust (default 0.24.0).
# The package is only downloaded and unpacked; its install script (a native build) never runs.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-0.24.0}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "tree-sitter-rust@$version" >/dev/null && tar -xzf tree-sitter-rust-*.tgz)
cp "$tmp/package/tree-sitter-rust.wasm" "$tmp/package/LICENSE" vendor/tree-sitter-rust/
sha256sum vendor/tree-sitter-rust/tree-sitter-rust.wasm
echo "update the version and checksum in vendor/tree-sitter-rust/README.md"
