import type { Rule } from "./types.js";
import { findEntry, findTable, tomlSpan, valueAt } from "../cargo/toml.js";
import { tomlSetEdits } from "../cargo/toml-edit.js";
import { configGet } from "../cargo/config.js";
import { allRustflags } from "./link-args.js";
import { bareMetalIntent } from "./target_not_configured.js";

export const panicStrategyUnwind: Rule = {
  id: "panic_strategy_unwind",
  defaultSeverity: "error",
  summary: "`panic = \"abort\"` is missing from the dev or release profile",
  fixable: true,
  explanation: `## What it finds

A package with a \`#![no_std]\` binary whose dev or release profile (in the workspace root's Cargo.toml, where
cargo reads profiles, or in the cargo configuration) does not say \`panic = "abort"\`, and whose rustflags do not
pass \`-C panic=abort\`. The target's default strategy comes from the compiler (\`rustc --print cfg\`) or the
JSON target spec; when a Makefile or a build program chooses the target, nothing is said.

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
    // On a target chosen outside cargo's configuration the host's default strategy says nothing.
    if (!ctx.freestanding || !ctx.targetKnown) return [];
    // Meant for a bare-metal target that nothing configures: target_not_configured says so; the host's default
    // strategy is beside the point.
    if (!ctx.target.explicit && bareMetalIntent(ctx)) return [];
    const artifacts = ctx.finalArtifacts().filter((u) => ctx.isNoStd(u));
    if (artifacts.length === 0) return [];
    const flags = allRustflags(ctx);
    if (flags.some((f, i) => f === "-Cpanic=abort" || (f === "-C" && flags[i + 1] === "panic=abort") || f === "panic=abort")) return [];
    const doc = ctx.crate.profileManifest;
    // Profiles may also be set in the cargo configuration (`[profile.dev]` in .cargo/config.toml).
    const missing = ["dev", "release"].filter((p) => valueAt(doc.value, ["profile", p, "panic"]) !== "abort" && configGet(ctx.crate.config, ["profile", p, "panic"])?.value !== "abort");
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
