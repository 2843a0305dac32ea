import type { Rule } from "./types.js";
import { afterInnerDocs, afterLine, insertAt, rel } from "./helpers.js";

export const missingNoMain: Rule = {
  id: "missing_no_main",
  defaultSeverity: "error",
  summary: "a freestanding binary without `#![no_main]` asks for a `main` that nothing can call",
  fixable: true,
  explanation: `## What it finds

A \`#![no_std]\` binary or example crate root (\`src/main.rs\`, \`src/bin/*.rs\`, \`examples/*.rs\`) without
\`#![no_main]\` (nor nightly's \`#![feature(start)]\` or \`lang_items\`).

## Why it matters

A normal Rust program does not start at \`main\`: the C runtime calls the standard library's \`lang_start\`, which
sets things up and then calls your \`main\`. A freestanding program has neither, so rustc reports
\`error: requires \`start\` lang_item\` or the linker cannot find \`main\`. \`#![no_main]\` tells rustc not to
generate that entry glue; the program starts at the symbol the linker script or the target names
(\`_start\`, or the \`Reset\` handler of a runtime crate such as cortex-m-rt).

## How to fix it

\`\`\`rust
#![no_std]
#![no_main]
\`\`\`

\`freestand check --fix\` adds it after \`#![no_std]\`.
`,
  check(ctx) {
    return ctx
      .programs()
      .filter((u) => u.spec.kind !== "lib")
      .filter((u) => {
        const f = ctx.rootFacts(u);
        // A no_std program without no_main needs the `start` lang item, which only std (or nightly's
        // `#![feature(start)]` / `#[lang = "start"]`) provides.
        return f.noStdState === true && f.noMainState === false && !/#!\s*\[\s*feature\s*\([^\]]*\b(start|lang_items)\b/.test(f.root.source.text);
      })
      .map((u) => {
        const facts = ctx.rootFacts(u);
        const source = facts.root.source;
        const at = facts.noStd ? afterLine(source, facts.noStd.node) : afterInnerDocs(source);
        const what = u.spec.kind === "example" ? "example" : "binary";
        return {
          message: `${what} \`${rel(ctx.crate.dir, u.spec.root)}\` has no \`#![no_main]\``,
          file: u.spec.root,
          span: facts.noStd ? source.span(facts.noStd.node) : { start: 0, end: 0 },
          label: "rustc will look for `fn main` and the std entry glue",
          help: ["add `#![no_main]`: the program starts at the entry symbol, not at `main`"],
          fix: { description: "add `#![no_main]`", edits: [insertAt(source, at, "#![no_main]\n")] },
        };
      });
  },
};
