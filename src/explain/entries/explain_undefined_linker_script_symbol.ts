import type { ExplainEntry } from "../entry.js";
import { referenceLocation, referencesData, LINKER_SCRIPT_SYMBOL } from "./shared.js";

export const explainUndefinedLinkerScriptSymbol: ExplainEntry = {
  code: "explain_undefined_linker_script_symbol",
  title: "undefined linker-script symbols (`_sbss`, `_ebss`, `_stack_top`, …)",
  summary: "boot code uses symbols that no linker script defines",
  defaultSeverity: "error",
  rule: "missing_linker_script",
  fixtures: ["linker-script-symbols"],
  explanation: `Boot code finds the bounds of \`.bss\` and \`.data\` and the top of the stack through symbols that the linker
script defines (\`_sbss = ADDR(.bss);\`, \`_stack_top = ORIGIN(RAM) + LENGTH(RAM);\`). When the script is not passed
(\`-C link-arg=-Tlink.x\`) or does not define them, the linker reports them as undefined. Pass the script, define the
symbols in it, or use a runtime crate (\`cortex-m-rt\`, \`riscv-rt\`) whose \`link.x\` does.

Caught before compiling by \`freestand check\` (\`missing_linker_script\`).`,
  match(ctx) {
    const report = ctx.linker();
    const syms = [...report.undefined.keys()].filter((s) => LINKER_SCRIPT_SYMBOL.test(s));
    if (syms.length === 0) return undefined;
    const refs = syms.flatMap((s) => report.undefined.get(s)!);
    // A command line with `-T` passed a script that lacks the symbols: check's rule is about a missing script.
    const scriptPassed = /"-T[^"]*"|"--script[= ]/.test(ctx.text) || /\s-T\S/.test(ctx.text);
    return {
      rule: scriptPassed ? null : "missing_linker_script",
      message: scriptPassed
        ? `${syms.map((s) => `\`${s}\``).join(", ")} ${syms.length === 1 ? "is" : "are"} normally defined by the linker script, and the script given to the linker does not define ${syms.length === 1 ? "it" : "them"}`
        : `${syms.map((s) => `\`${s}\``).join(", ")} ${syms.length === 1 ? "is" : "are"} normally defined by the linker script, and no linker script is given to the linker`,
      help: [
        "pass your linker script (`-C link-arg=-Tlink.x` in the target's rustflags) and define the symbols there, for example `_sbss = ADDR(.bss); _ebss = ADDR(.bss) + SIZEOF(.bss);`",
      ],
      data: { symbol: syms[0], symbols: syms, references: referencesData(refs), linker: report.flavour ?? null },
      location: referenceLocation(refs),
    };
  },
};
