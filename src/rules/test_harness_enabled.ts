import type { Rule, Finding } from "./types.js";
import type { CrateUnit } from "../crate/model.js";
import type { RuleContext } from "./context.js";
import type { TextEdit } from "../diagnostics/types.js";
import type { TomlDocument } from "../cargo/toml.js";
import { tomlSetEdits } from "../cargo/toml-edit.js";
import { cfgConditions } from "../syntax/queries.js";
import { rel } from "./helpers.js";

/** A root `cfg_attr` condition that turns the attribute off under `cargo test`: the crate is host-testable on purpose. */
function testConditioned(condition: string | undefined): boolean {
  return condition !== undefined && /\btest\b/.test(condition);
}

/**
 * Crates the test harness cannot build: `#![no_main]` binaries, and no_std libraries with their own panic
 * handler compiled in tests too. Conditional attributes count as the author's choice.
 */
function harnessCannotBuild(ctx: RuleContext, u: CrateUnit): boolean {
  const f = ctx.rootFacts(u);
  if (u.spec.kind === "bin") {
    if (f.noMainState === true && f.noMainCondition === undefined) return true;
    return f.noStdState === true && f.noStdCondition === undefined && !testConditioned(f.noMainCondition);
  }
  if (f.noStdState !== true || f.noStdCondition !== undefined) return false;
  return ctx.attributes(u, ["panic_handler"]).some((a) => a.module.cfgs.length === 0 && (!a.value.item || cfgConditions(a.value.item).length === 0));
}

/** `#![test_runner]`, `#![feature(custom_test_frameworks)]`, `#![reexport_test_harness_main]`: tests run through the crate's own framework. */
function customTestFramework(text: string): boolean {
  return /#!\s*\[\s*(?:test_runner\b|reexport_test_harness_main\b|feature\s*\([^\]]*\bcustom_test_frameworks\b|cfg_attr\s*\([^\]]*\b(?:test_runner|reexport_test_harness_main)\b)/.test(text);
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

To keep tests and run them on the target instead, say \`harness = false\` (cargo then builds them with
\`cfg(test)\` but without libtest) and give the crate a harness of its own: the one \`freestand new\` crates carry
(\`src/testing.rs\`, run by \`freestand test\`; see docs/testing.md), or \`defmt-test\` / \`embedded-test\` on
hardware.
`,
  check(ctx) {
    const doc = ctx.crate.manifest.doc;
    const candidates = ctx.crate.units.filter(
      (u) => (u.spec.kind === "lib" || (u.spec.kind === "bin" && ctx.enabled(u))) && harnessCannotBuild(ctx, u) && u.spec.test !== true && u.spec.harness !== false && !customTestFramework(u.modules[0]!.source.text),
    );
    const harnessed = candidates.filter((u) => u.spec.test !== false);
    const benched = candidates.filter((u) => u.spec.test === false && u.spec.bench !== false);
    const out: Finding[] = [];
    for (const [group, keys] of [
      [harnessed, ["test", "bench"]],
      [benched, ["bench"]],
    ] as const) {
      if (group.length === 0) continue;
      const edits = editsFor(ctx, doc, group, keys);
      const names = group.map((u) => `${u.spec.kind === "lib" ? "library" : "binary"} \`${u.spec.name}\``);
      const what = group.length === 1 ? `the ${names[0]}` : `${group.length} crates (${names.slice(0, 3).join(", ")}${group.length > 3 ? `, and ${group.length - 3} more` : ""})`;
      const missing = keys.map((k) => `\`${k} = false\``).join(" and ");
      // From the workspace root, plain `cargo test` only builds the default members.
      const tester = ctx.crate.built ? "`cargo test`" : "`cargo test --workspace` (and rust-analyzer)";
      out.push({
        message:
          keys.length === 2
            ? `${what} ${group.length === 1 ? "is" : "are"} built with the test harness by ${tester} (${missing} missing)`
            : `${what} ${group.length === 1 ? "is" : "are"} built with the bench harness by \`cargo check --all-targets\` (what rust-analyzer runs) and \`cargo bench\` (\`bench = false\` missing)`,
        file: doc.path,
        help: [`add ${missing} to ${group.length === 1 ? "its" : "each"} \`[[bin]]\` / \`[lib]\` section`],
        fix: { description: `set ${missing} for ${group.length === 1 ? `\`${rel(ctx.crate.dir, group[0]!.spec.root)}\`` : `${group.length} crates`}`, edits },
      });
    }
    return out;
  },
};

/** Sets the keys in each unit's section; crates cargo found by themselves get a section, appended together. */
function editsFor(ctx: RuleContext, doc: TomlDocument, units: readonly CrateUnit[], keys: readonly ("test" | "bench")[]): TextEdit[] {
  const declared = units.filter((u) => u.spec.tablePath);
  const edits = tomlSetEdits(
    doc,
    declared.flatMap((u) => keys.filter((k) => u.spec[k] !== false).map((k) => ({ table: u.spec.tablePath!, key: k, value: "false" }))),
  );
  const sections = units
    .filter((u) => !u.spec.tablePath)
    .map((u) => {
      const header = u.spec.kind === "bin" ? `[[bin]]\nname = ${JSON.stringify(u.spec.name)}\npath = ${JSON.stringify(rel(ctx.crate.dir, u.spec.root))}\n` : "[lib]\n";
      return `${header}${keys.map((k) => `${k} = false\n`).join("")}`;
    });
  if (sections.length > 0) {
    const end = Buffer.byteLength(doc.text, "utf8");
    const lead = doc.text.length === 0 || doc.text.endsWith("\n\n") ? "" : doc.text.endsWith("\n") ? "\n" : "\n\n";
    edits.push({ file: doc.path, start: end, end, text: `${lead}${sections.join("\n")}` });
  }
  return edits;
}
