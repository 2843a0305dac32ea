import type { Rule, Finding } from "./types.js";
import type { CrateUnit } from "../crate/model.js";
import type { RuleContext } from "./context.js";
import { tomlSetEdits } from "../crate/toml-edit.js";
import { rel } from "./helpers.js";
import { panicHandlers } from "./panic_handlers.js";

/** Crates the test harness cannot build: `#![no_main]` binaries, and no_std libraries with their own panic handler. */
function harnessCannotBuild(ctx: RuleContext, u: CrateUnit): boolean {
  const f = ctx.rootFacts(u);
  if (u.spec.kind === "bin") return Boolean(f.noMain) || (Boolean(f.noStd) && f.noStdCondition === undefined);
  return Boolean(f.noStd) && f.noStdCondition === undefined && panicHandlers(ctx, u).some((h) => h.cfgs.length === 0);
}

export const testHarnessEnabled: Rule = {
  id: "test_harness_enabled",
  defaultSeverity: "warning",
  summary: "`cargo test` and editors try to build a freestanding crate with the std test harness",
  fixable: true,
  explanation: `## What it finds

A \`#![no_main]\` binary, or a \`#![no_std]\` library with its own \`#[panic_handler]\`, whose \`[[bin]]\` /
\`[lib]\` section in Cargo.toml does not say \`test = false\` and \`bench = false\` (including crates cargo
discovered by itself, which have no section at all).

## Why it matters

\`cargo test\` (and rust-analyzer, which runs \`cargo check --all-targets\`) builds every crate with the libtest
harness, which links std and brings its own \`main\` and panic handler: \`error[E0152]: found duplicate lang item
\`panic_impl\`\`, \`can't find crate for \`test\`\`. The errors show up in the editor even though \`cargo build\`
works.

## How to fix it

\`\`\`toml
[[bin]]
name = "firmware"
path = "src/main.rs"
test = false
bench = false
\`\`\`

\`freestand check --fix\` adds the keys, or the section when cargo found the crate by itself.
`,
  check(ctx) {
    const out: Finding[] = [];
    const doc = ctx.crate.manifest.doc;
    for (const u of ctx.crate.units) {
      if (!harnessCannotBuild(ctx, u)) continue;
      if (u.spec.test === false && u.spec.bench === false) continue;
      const missing = (["test", "bench"] as const).filter((k) => u.spec[k] !== false);
      let edits;
      if (u.spec.tablePath) {
        edits = tomlSetEdits(doc, missing.map((k) => ({ table: u.spec.tablePath!, key: k, value: "false" })));
      } else {
        const end = Buffer.byteLength(doc.text, "utf8");
        const lead = doc.text.length === 0 || doc.text.endsWith("\n\n") ? "" : doc.text.endsWith("\n") ? "\n" : "\n\n";
        const header = u.spec.kind === "bin" ? `[[bin]]\nname = ${JSON.stringify(u.spec.name)}\npath = ${JSON.stringify(rel(ctx.crate.dir, u.spec.root))}\n` : "[lib]\n";
        edits = [{ file: doc.path, start: end, end, text: `${lead}${header}test = false\nbench = false\n` }];
      }
      const what = u.spec.kind === "bin" ? `binary \`${u.spec.name}\`` : `library \`${u.spec.name}\``;
      out.push({
        message: `the ${what} is built with the test harness by \`cargo test\` (${missing.map((k) => `\`${k} = false\``).join(" and ")} missing)`,
        file: doc.path,
        span: undefined,
        help: [`add ${missing.map((k) => `\`${k} = false\``).join(" and ")} to its \`${u.spec.kind === "bin" ? "[[bin]]" : "[lib]"}\` section`],
        fix: { description: `set ${missing.map((k) => `\`${k} = false\``).join(" and ")} for \`${rel(ctx.crate.dir, u.spec.root)}\``, edits },
      });
    }
    return out;
  },
};
