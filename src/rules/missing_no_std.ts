import type { Rule } from "./types.js";
import { afterInnerDocs, insertAt, rel } from "./helpers.js";

export const missingNoStd: Rule = {
  id: "missing_no_std",
  defaultSeverity: "error",
  summary: "a crate root without `#![no_std]` links the standard library",
  fixable: true,
  explanation: `## What it finds

A crate root (\`src/main.rs\`, \`src/lib.rs\`, a \`src/bin/*.rs\`) that has no \`#![no_std]\` attribute.
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
    return ctx.crate.units
      .filter((u) => !ctx.rootFacts(u).noStd)
      .map((u) => {
        const source = u.modules[0]!.source;
        return {
          message: `crate root \`${rel(ctx.crate.dir, u.spec.root)}\` has no \`#![no_std]\``,
          file: u.spec.root,
          span: { start: 0, end: 0 },
          label: "the standard library is linked implicitly",
          help: ["add `#![no_std]` at the top of the crate root (or `#![cfg_attr(not(test), no_std)]` to keep std for tests)"],
          fix: { description: "add `#![no_std]`", edits: [insertAt(source, afterInnerDocs(source), "#![no_std]\n")] },
        };
      });
  },
};
