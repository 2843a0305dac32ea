import type { Rule } from "./types.js";

export const toolchainUnavailable: Rule = {
  id: "toolchain_unavailable",
  defaultSeverity: "info",
  summary: "the compiler cargo would use could not be asked, so rules that need it were left out",
  fixable: false,
  explanation: `## What it finds

The compiler cargo would run for the crate did not answer \`rustc -vV\`: typically a \`rust-toolchain.toml\` pins
a toolchain that is not installed (rustup then refuses to run anything, and freestand never installs one), or
\`RUSTC\` names a program that is not there.

## What freestand does then

Every rule that does not need the compiler still runs. The package list comes from the cargo of an installed
toolchain. The pinned channel is used where it is enough (a pinned nightly accepts \`#![feature]\`); rules that
need the compiler's sysroot or the target's exact cfg say nothing. The note quotes the compiler's (or rustup's)
own first line.

## How to fix it

Install the pinned toolchain (\`rustup toolchain install\` in the crate's directory), or change the pin.
`,
  check(ctx) {
    const tc = ctx.toolchain;
    if (!tc.problem) return [];
    const file = ctx.crate.toolchainFile?.path ?? ctx.crate.workspace.invocationDir;
    return [
      {
        message: `the compiler could not be asked: ${tc.problem.replace(/\.$/, "")}`,
        file: ctx.crate.toolchainFile ? file : ctx.crate.profileManifest.path,
        notes: [
          tc.fromPin ? `the rules take the channel from the pin (\`${tc.fromPin}\`); those that need the compiler's sysroot or the target's cfg were left out` : "rules that need the compiler's version, sysroot or the target's cfg were left out",
          ...(ctx.crate.workspace.graph.via ? [ctx.crate.workspace.graph.via] : []),
        ],
      },
    ];
  },
};
