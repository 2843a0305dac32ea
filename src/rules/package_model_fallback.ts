import type { Rule } from "./types.js";

export const packageModelFallback: Rule = {
  id: "package_model_fallback",
  defaultSeverity: "info",
  summary: "cargo could not list the packages, so freestand read the manifests itself",
  fixable: false,
  explanation: `## What it finds

\`cargo metadata --no-deps --offline\`, which freestand asks for the packages, their targets and editions, failed:
cargo is not installed, or it refuses the manifest (an unknown key, a member that is missing). The note quotes
cargo's own first line.

## What freestand does then

It reads the Cargo.toml files with cargo's discovery rules (\`src/main.rs\`, \`src/bin/\`, \`examples/\`, \`tests/\`,
\`benches/\`, the declared sections) and checks what it found. Where its reading and cargo's could differ —
workspace globs, inherited fields — findings may be incomplete; if cargo refuses the manifest, so will the build.
`,
  check(ctx) {
    const problem = ctx.crate.workspace.graphProblem;
    if (!problem) return [];
    return [{ message: `cargo could not list the packages: ${problem.replace(/\.$/, "")}`, file: ctx.crate.profileManifest.path, notes: ["freestand read the manifests itself"] }];
  },
};
