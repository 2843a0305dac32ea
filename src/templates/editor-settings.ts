/**
 * The editor settings a generated crate gets, so that rust-analyzer checks it the way it builds: for the crate's
 * own target (not the host's, which has `std` and reports false errors in a no_std crate), and without
 * `--all-targets`. The same two settings in VS Code's form and in rust-analyzer's own file, which it reads in any
 * editor.
 */

/** `.vscode/settings.json` (VS Code reads it as JSON with comments). */
export function vscodeSettings(triple: string): string {
  return `{
  // rust-analyzer: check for the crate's own target, as cargo builds it, and not with --all-targets.
  "rust-analyzer.cargo.target": ${JSON.stringify(triple)},
  "rust-analyzer.check.allTargets": false
}
`;
}

/** `rust-analyzer.toml`, the same settings for rust-analyzer in any editor. */
export function rustAnalyzerToml(triple: string): string {
  return `# rust-analyzer reads this file in any editor: check for the crate's own target, as cargo builds it,
# and not with --all-targets (VS Code also has them in .vscode/settings.json).
[cargo]
target = ${JSON.stringify(triple)}

[check]
allTargets = false
`;
}
