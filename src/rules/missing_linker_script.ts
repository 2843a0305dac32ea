import { targetTableHeader, targetTablePath } from "../cargo/config.js";
import path from "node:path";
import type { Rule, Finding, RuleContext } from "./types.js";
import type { TextEdit } from "../diagnostics/types.js";
import { findEntry, valueAt } from "../cargo/toml.js";
import { tomlArrayAppendEdit, tomlSetEdits } from "../cargo/toml-edit.js";
import { configToEdit } from "./cargo-config-edit.js";
import { allLinkArgs, buildScriptLinkerScript } from "./link-args.js";
import { codeList } from "./helpers.js";

/**
 * Runtime crates that write a linker script into the link search path but do not pass it: cargo does not let a
 * dependency's build script add `-T` to the final link, so the program must (cortex-m-rt's and riscv-rt's
 * `link.x`, esp-hal's `linkall.x`).
 */
const SCRIPT_OF: Record<string, string> = { "cortex-m-rt": "link.x", "riscv-rt": "link.x", "esp-hal": "linkall.x", "aarch64-rt": "image.ld", "cortex-a-rt": "link.x", "cortex-r-rt": "link.x" };

export const missingLinkerScript: Rule = {
  id: "missing_linker_script",
  defaultSeverity: "error",
  summary: "a microcontroller target without a linker script puts code where no memory is",
  fixable: true,
  explanation: `## What it finds

A \`#![no_main]\` binary for a bare-metal target that is flashed or loaded at a fixed address (Cortex-M, RISC-V,
AArch64, ARM, LoongArch) with no \`-T<script>\` among its link arguments: the rustflags cargo uses for the target
(\`[target.'cfg(..)']\` tables decided by the target's real cfg) and \`cargo:rustc-link-arg\` lines of build.rs.
Runtime crates such as \`cortex-m-rt\` and \`riscv-rt\` put their \`link.x\` in the search path, but cargo does not
let a dependency pass \`-T\` for the program: the program must. A JSON target spec with a \`link-script\` or \`-T\`
in its link arguments needs none. When the build script may pass arguments freestand cannot read (a
non-literal \`rustc-link-arg\`, build-dependencies), it is only a note.

## Why it matters

Without a script the linker uses its default layout, which knows nothing about the chip: code lands at an
address where there is no flash, there is no vector table or reset handler at the address the CPU boots from,
\`.data\` is never copied and \`.bss\` never cleared. The build succeeds and the board does nothing.

## How to fix it

Add a linker script with the chip's memory map and pass it to the linker:

\`\`\`toml
# .cargo/config.toml
[target.thumbv7m-none-eabi]
rustflags = ["-C", "link-arg=-Tlink.x"]
\`\`\`

or use a runtime crate (\`cortex-m-rt\` with a \`memory.x\`, and still \`-Tlink.x\`). The crates \`freestand new\`
creates carry a script for their board. \`freestand check --fix\` adds the \`-T\` argument when the script is known:
the runtime crate's, or the one linker script beside Cargo.toml.
`,
  async check(ctx) {
    const t = ctx.target;
    if (!t.explicit || !t.needsLinkerScript || !ctx.freestanding) return [];
    if (!ctx.bins().some((u) => ctx.rootFacts(u).noMainState === true)) return [];
    const args = allLinkArgs(ctx);
    if (args.some((a) => /^-T|^--script|^-Wl,-T|^-Wl,--script/.test(a))) return [];
    const runtime = Object.keys(SCRIPT_OF).find((r) => ctx.dependencyNamed(r));
    const script = runtime ? SCRIPT_OF[runtime]! : "<script>.x";
    const help = runtime
      ? `\`${runtime}\` puts \`${script}\` in the link search path, but only the program can pass it: add \`"-C", "link-arg=-T${script}"\` to \`[${targetTableHeader(t.triple)}] rustflags\`, or \`println!("cargo:rustc-link-arg-bins=-T${script}")\` to build.rs`
      : `add \`"-C", "link-arg=-T${script}"\` to \`[${targetTableHeader(t.triple)}] rustflags\`, or depend on a runtime crate such as \`cortex-m-rt\` and pass its \`link.x\``;
    const hidden = await buildScriptLinkerScript(ctx);
    if (hidden === "passes") return [];
    if (hidden) {
      return [{ message: `no linker script is passed for \`${t.triple}\` in the rustflags or as a literal in build.rs`, severity: "info", file: ctx.manifestPath, notes: [`${hidden}, so freestand cannot tell whether one is`], help: [help] }];
    }
    const fix = await scriptFix(ctx, runtime ? script : undefined);
    return [
      {
        message: `no linker script is passed for \`${t.triple}\``,
        file: ctx.manifestPath,
        notes: [
          "the default layout does not match the chip's flash and RAM, and nothing sits at the reset vector",
          `looked in the rustflags cargo uses for the target${ctx.crate.buildScript ? " and in build.rs" : ""}${args.length ? ` (link arguments: ${codeList(args.slice(0, 6))})` : ""}`,
        ],
        help: [help],
        ...(fix ? { fix } : {}),
      },
    ];
  },
};

/**
 * The fix, when the script to pass is known: the runtime crate's, or the one linker script beside Cargo.toml
 * (`memory.x` is not one: runtime scripts include it). `-T` goes into the target's rustflags of the
 * `.cargo/config.toml` cargo reads, as a path from the directory cargo (and so the linker) runs in.
 */
async function scriptFix(ctx: RuleContext, runtimeScript: string | undefined): Promise<Finding["fix"]> {
  let script = runtimeScript;
  if (!script) {
    const entries = await ctx.listDir(ctx.crate.dir);
    const scripts = entries.filter((e) => /\.(x|ld|lds)$/.test(e) && e !== "memory.x");
    if (scripts.length !== 1) return undefined;
    script = path.relative(ctx.crate.workspace.invocationDir, path.join(ctx.crate.dir, scripts[0]!)) || scripts[0]!;
  }
  const doc = configToEdit(ctx);
  const triple = ctx.target.triple;
  const flags = ["-C", `link-arg=-T${script}`];
  // A quoted `[target."a.b"]` table of the triple is there and never read: target_table_ignored's fix unquotes it,
  // and a second table for the triple would then make the file invalid TOML.
  if (triple.includes(".") && valueAt(doc.value, ["target", triple]) !== undefined) return undefined;
  const existing = findEntry(doc, [...targetTablePath(triple), "rustflags"]);
  let edits: TextEdit[];
  if (existing?.value.type === "TOMLArray") edits = [tomlArrayAppendEdit(doc, existing.value.range, flags, existing.value.elements.length)];
  else if (existing) return undefined; // rustflags written as a string: leave the rewrite to the user.
  else edits = tomlSetEdits(doc, [{ table: targetTablePath(triple), key: "rustflags", value: `[${flags.map((f) => JSON.stringify(f)).join(", ")}]` }]);
  return { description: `pass \`${script}\` with \`-T\` in \`[${targetTableHeader(triple)}] rustflags\` of ${path.relative(ctx.crate.dir, doc.path) || doc.path}`, edits };
}
