import type { Rule } from "./types.js";
import { findEntry, findTable, tomlSpan, valueAt } from "../crate/toml.js";
import { tomlSetEdits } from "../crate/toml-edit.js";

export const panicStrategyUnwind: Rule = {
  id: "panic_strategy_unwind",
  defaultSeverity: "error",
  summary: "`panic = \"abort\"` is missing from the dev or release profile",
  fixable: true,
  explanation: `## What it finds

A package with a \`#![no_std]\` binary whose dev or release profile (in the workspace root's Cargo.toml, where
cargo reads profiles) does not say \`panic = "abort"\`.

## Why it matters

On targets whose default panic strategy is \`unwind\` — the host targets such as \`x86_64-unknown-linux-gnu\` —
a panic would unwind the stack, which needs the \`eh_personality\` lang item and an unwinder that only std
brings. The build fails with \`error: unwinding panics are not supported without std\` or a missing
\`rust_eh_personality\` at link time. Bare-metal \`*-none\` targets abort by default, so there it is only
reported as a note: writing it down keeps the crate correct if it is ever built for a hosted target.

## How to fix it

\`\`\`toml
[profile.dev]
panic = "abort"

[profile.release]
panic = "abort"
\`\`\`

\`freestand check --fix\` adds the keys, keeping the rest of Cargo.toml as it is. (\`cargo test\` ignores the
setting for test builds, which is what you want.)
`,
  check(ctx) {
    const artifacts = ctx.finalArtifacts().filter((u) => ctx.isNoStd(u));
    if (artifacts.length === 0) return [];
    const doc = ctx.crate.profileManifest;
    const missing = ["dev", "release"].filter((p) => valueAt(doc.value, ["profile", p, "panic"]) !== "abort");
    if (missing.length === 0) return [];
    const unwindDefault = ctx.target.defaultPanicStrategy === "unwind";
    const wrong = missing.map((p) => findEntry(doc, ["profile", p, "panic"])).find((e) => e !== undefined);
    const table = missing.map((p) => findTable(doc, ["profile", p])).find((t) => t !== undefined);
    const where = wrong ? tomlSpan(doc, wrong) : table ? tomlSpan(doc, table.key) : undefined;
    const profiles = missing.map((p) => `\`[profile.${p}]\``).join(" and ");
    return [
      {
        message: unwindDefault
          ? `${profiles} ${missing.length > 1 ? "do" : "does"} not set \`panic = "abort"\`, and \`${ctx.target.triple}\` unwinds by default`
          : `${profiles} ${missing.length > 1 ? "do" : "does"} not set \`panic = "abort"\` (\`${ctx.target.triple}\` already aborts by default)`,
        severity: unwindDefault ? "error" : "info",
        file: doc.path,
        span: where,
        label: wrong ? "unwinding needs std" : undefined,
        help: [unwindDefault ? 'without std there is no unwinder: set `panic = "abort"` in both profiles' : 'set `panic = "abort"` in both profiles to make the strategy explicit'],
        fix: {
          description: `set \`panic = "abort"\` in ${profiles}`,
          edits: tomlSetEdits(doc, missing.map((p) => ({ table: ["profile", p], key: "panic", value: '"abort"' }))),
        },
      },
    ];
  },
};
