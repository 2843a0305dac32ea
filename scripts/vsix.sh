#!/usr/bin/env bash
# Builds the VS Code extension (editors/vscode) and packages it with @vscode/vsce: editors/vscode/freestand-<version>.vsix.
set -euo pipefail
cd "$(dirname "$0")/../editors/vscode"
# The extension's own packages (vscode-languageclient goes into the .vsix), exactly its lockfile's versions.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
./node_modules/.bin/tsc -p .
version=$(node -p 'require("./package.json").version')
../../node_modules/.bin/vsce package --out "freestand-$version.vsix" "$@"
