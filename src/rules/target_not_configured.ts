import type { Rule } from "./types.js";
import type { RuleContext } from "./context.js";
import { tomlSetEdits } from "../cargo/toml-edit.js";
import { configToEdit } from "./cargo-config-edit.js";
import { rel } from "./helpers.js";

/** Dependencies that only make sense on a bare-metal target, and the target most of their users build for. */
const BARE_METAL_CRATES: [string, string][] = [
  ["cortex-m-rt", "thumbv7m-none-eabi"],
  ["cortex-m", "thumbv7m-none-eabi"],
  ["riscv-rt", "riscv32imac-unknown-none-elf"],
  ["riscv", "riscv32imac-unknown-none-elf"],
  ["aarch64-cpu", "aarch64-unknown-none"],
  ["bootloader", "x86_64-unknown-none"],
  ["bootloader_api", "x86_64-unknown-none"],
  ["x86_64", "x86_64-unknown-none"],
  ["uefi", "x86_64-unknown-uefi"],
  ["uefi-services", "x86_64-unknown-uefi"],
];

/** Why we believe the crate is meant for a bare-metal target, and which one; undefined when nothing says so. */
export function bareMetalIntent(ctx: RuleContext): { reason: string; triple: string } | undefined {
  const tf = ctx.crate.toolchainFile;
  const fromToolchain = tf?.targets.find((t) => t.includes("-none") || t.endsWith("-uefi"));
  if (fromToolchain) return { reason: `${rel(ctx.crate.dir, tf!.path)} installs \`${fromToolchain}\``, triple: fromToolchain };
  for (const [dep, triple] of BARE_METAL_CRATES) {
    const found = ctx.dependencyNamed(dep);
    if (found) return { reason: `the crate depends on \`${dep}\``, triple };
  }
  return undefined;
}

export const targetNotConfigured: Rule = {
  id: "target_not_configured",
  defaultSeverity: "error",
  summary: "nothing chooses a target, so cargo builds a bare-metal crate for the host",
  fixable: true,
  explanation: `## What it finds

A \`#![no_main]\` binary meant for a bare-metal or UEFI target — it depends on \`cortex-m-rt\`, \`riscv-rt\`,
\`bootloader\`, \`uefi\`…, or its \`rust-toolchain.toml\` installs a \`*-none*\` or \`*-uefi\` target — while
nothing tells cargo to build for that target: no \`build.target\` in the \`.cargo/config.toml\` chain (with its
\`include\`s), no \`CARGO_BUILD_TARGET\`, no \`--target\`, no \`forced-target\`. When a Makefile, a cargo alias or
a build program of the project passes \`--target\`, this rule stays quiet (\`target_chosen_elsewhere\` says so).

## Why it matters

\`cargo build\` then compiles for the machine it runs on. The errors that follow are confusing: a runtime crate
refusing to build, \`can't find crate for \`core\`\` never appears but linker errors about \`_start\` and
\`crt1.o\` do, or an x86 ELF where an ARM one was expected.

## How to fix it

Write the target into the project, so every \`cargo build\` (and your editor) uses it:

\`\`\`toml
# .cargo/config.toml
[build]
target = "thumbv7m-none-eabi"
\`\`\`

\`freestand check --fix\` writes the target it inferred (change it if your chip differs: \`thumbv7em-none-eabihf\`
for a Cortex-M4F, \`thumbv6m-none-eabi\` for a Cortex-M0).
`,
  check(ctx) {
    // A Makefile, an alias or a build program may choose it: target_chosen_elsewhere says so.
    if (ctx.target.explicit || !ctx.targetKnown || !ctx.freestanding) return [];
    if (!ctx.bins().some((u) => ctx.rootFacts(u).noMainState === true)) return [];
    const intent = bareMetalIntent(ctx);
    if (!intent) return [];
    const doc = configToEdit(ctx);
    return [
      {
        message: `no target is configured, so cargo builds for the host \`${ctx.target.triple}\``,
        file: ctx.manifestPath,
        notes: [`${intent.reason}, which needs a bare-metal target such as \`${intent.triple}\``],
        help: [`set \`build.target\` in \`.cargo/config.toml\`, e.g. \`target = "${intent.triple}"\`, or pass \`--target\``],
        fix: { description: `set \`build.target = "${intent.triple}"\` in ${rel(ctx.crate.dir, doc.path)}`, edits: tomlSetEdits(doc, [{ table: ["build"], key: "target", value: JSON.stringify(intent.triple) }]) },
      },
    ];
  },
};
