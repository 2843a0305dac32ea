import type { Rule } from "./types.js";
import { afterInnerDocs, insertAt, rel } from "./helpers.js";
import { describeEvidence } from "../crate/roles.js";

export const missingNoStd: Rule = {
  id: "missing_no_std",
  defaultSeverity: "error",
  summary: "a crate root without `#![no_std]` links the standard library",
  fixable: true,
  explanation: `## What it finds

A crate root (\`src/main.rs\`, \`src/lib.rs\`, a \`src/bin/*.rs\`) of a freestanding package, built for a target
without std, that has no \`#![no_std]\` attribute. A package is freestanding on evidence only: a \`#![no_std]\` or
\`#![no_main]\` root, \`[package.metadata.freestand]\`, a runtime or panic crate among its dependencies, being a
dependency of a freestanding package of the workspace, or being built for a target that has no std. Proc-macros,
build-dependencies, xtasks and other \`fn main\` tools are never freestanding.
\`#![cfg_attr(not(test), no_std)]\` and \`#![cfg_attr(not(feature = "std"), no_std)]\` count: the crate is
freestanding in its normal build and may use std in tests or behind a feature.

## Why it matters

Without \`#![no_std]\` the crate implicitly depends on \`std\`, which needs an operating system, a libc and an
allocator. On a bare-metal target the build stops with \`error[E0463]: can't find crate for \`std\`\`; on the
host it links the whole C runtime, and a \`_start\` of your own collides with the one from \`crt1.o\`.

## How to fix it

Put the attribute at the top of the crate root, after the crate's \`//!\` documentation:

\`\`\`rust
//! My firmware.
#![no_std]
\`\`\`

\`freestand check --fix\` inserts it there. A crate that should keep std for some builds can write
\`#![cfg_attr(not(feature = "std"), no_std)]\` instead.
`,
  check(ctx) {
    const evidence = ctx.crate.role.freestanding;
    if (!evidence) return [];
    // Where the target has std, a crate without `#![no_std]` links it and builds: nothing is certain to fail.
    if (ctx.targetHasStd !== false) return [];
    const units = ctx.crate.units.filter((u) => (u.spec.kind === "lib" || (u.spec.kind === "bin" && ctx.enabled(u))) && ctx.rootFacts(u).noStdState === false);
    return units.map((u) => {
      const source = u.modules[0]!.source;
      return {
        message: `crate root \`${rel(ctx.crate.dir, u.spec.root)}\` has no \`#![no_std]\``,
        file: u.spec.root,
        span: { start: 0, end: 0 },
        label: "the standard library is linked implicitly",
        notes: [`\`${ctx.crate.manifest.name}\` is freestanding: ${describeEvidence(evidence)}`, `\`${ctx.target.triple}\` has no std, so \`cargo build\` stops with \`error[E0463]: can't find crate for \`std\`\``],
        help: ["add `#![no_std]` at the top of the crate root (or `#![cfg_attr(not(test), no_std)]` to keep std for tests)"],
        fix: { description: "add `#![no_std]`", edits: [insertAt(source, afterInnerDocs(source), "#![no_std]\n")] },
      };
    });
  },
};
