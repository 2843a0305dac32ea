import type { Rule } from "./types.js";
import { allLinkArgs } from "./link_args.js";

const RUNTIME_CRATES = ["cortex-m-rt", "riscv-rt", "aarch64-rt", "cortex-a-rt", "cortex-r-rt", "esp-hal", "esp-riscv-rt", "xtensa-lx-rt"];

export const missingLinkerScript: Rule = {
  id: "missing_linker_script",
  defaultSeverity: "error",
  summary: "a microcontroller target without a linker script puts code where no memory is",
  fixable: false,
  explanation: `## What it finds

A binary for a bare-metal target that is flashed or loaded at a fixed address (Cortex-M, RISC-V, AArch64, ARM)
with no \`-T<script>\` among its link arguments (rustflags or \`cargo:rustc-link-arg\` in build.rs) and no
runtime crate that brings one (\`cortex-m-rt\`, \`riscv-rt\`, …).

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

or use a runtime crate (\`cortex-m-rt\` with a \`memory.x\`). The crates \`freestand new\` creates carry a script
for their board.
`,
  check(ctx) {
    const t = ctx.target;
    if (!t.explicit || !t.needsLinkerScript) return [];
    if (!ctx.bins().some((u) => ctx.rootFacts(u).noMain)) return [];
    if (ctx.hasDependency(...RUNTIME_CRATES)) return [];
    const args = allLinkArgs(ctx);
    if (args.some((a) => /^-T|^--script|^-Wl,-T|^-Wl,--script/.test(a))) return [];
    return [
      {
        message: `no linker script is passed for \`${t.triple}\``,
        file: ctx.manifestPath,
        notes: ["the default layout does not match the chip's flash and RAM, and nothing sits at the reset vector"],
        help: [`add \`"-C", "link-arg=-T<script>.x"\` to \`[target.${t.triple}] rustflags\`, or depend on a runtime crate such as \`cortex-m-rt\``],
      },
    ];
  },
};
