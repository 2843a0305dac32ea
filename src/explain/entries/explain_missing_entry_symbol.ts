import type { ExplainEntry } from "../entry.js";

export const explainMissingEntrySymbol: ExplainEntry = {
  code: "explain_missing_entry_symbol",
  title: "cannot find entry symbol `_start`",
  summary: "the linker found no entry point: the binary would start at address 0",
  defaultSeverity: "warning",
  rule: "entry_point_mangled",
  fixtures: ["entry-symbol", "entry-no-script"],
  explanation: `The linker looks for the entry symbol (\`_start\`, or what \`ENTRY()\` in the linker script names). A Rust
function called \`_start\` without \`#[unsafe(no_mangle)]\` gets a mangled symbol name, so the linker does not find it —
and this is only a *warning*: the binary links, with entry address 0, and crashes at once. rustc shows linker
warnings only with \`-W linker-messages\` (freestand build passes it).

Mark the entry \`#[unsafe(no_mangle)] pub extern "C" fn _start() -> !\`, or fix the name in \`ENTRY()\`.
Caught before compiling by \`freestand check\` (\`entry_point_mangled\`); \`freestand verify\` checks the entry address.`,
  match(ctx) {
    const report = ctx.linker();
    if (!report.missingEntry) return undefined;
    const sym = report.missingEntry;
    const triple = ctx.target();
    const hostX86 = triple !== undefined && /^x86_64-.*-linux-/.test(triple);
    const noScript = triple !== undefined && /-none/.test(triple) && !/^x86_64/.test(triple) && !/"-T|"--script/.test(ctx.text);
    if (noScript) {
      // The entry function may well exist: the linker script that names it in ENTRY() was never passed.
      return {
        message: `the linker found no \`${sym}\`: no linker script is passed, so nothing tells it where the program starts (its \`ENTRY(...)\` would)`,
        help: ["pass your linker script: `\"-C\", \"link-arg=-Tlink.x\"` in the target's rustflags (`freestand check --fix` adds it when the script is beside Cargo.toml)"],
        data: { symbol: sym, linker: report.flavour ?? null },
        rule: "missing_linker_script",
      };
    }
    if (triple === undefined) {
      // Which advice fits depends on the target, which this output does not show.
      return {
        message: `the linker found no \`${sym}\`, so the binary has no entry point (it would start at address 0)`,
        help: [
          `on x86_64 Linux, define \`${sym}\` in assembly that aligns the stack and calls into Rust (\`freestand check --fix\` writes it); on a bare-metal target, export it as \`#[unsafe(no_mangle)] pub extern "C" fn ${sym}() -> !\`, or pass the linker script whose \`ENTRY(...)\` names the entry`,
          "give `--target` (or run from the crate, `--root`) for advice that fits the target",
        ],
        data: { symbol: sym, linker: report.flavour ?? null },
        rule: null,
      };
    }
    return {
      message: `the linker found no \`${sym}\`, so the binary has no entry point (it would start at address 0)`,
      help: [
        hostX86
          ? `define \`${sym}\` in assembly that aligns the stack and calls into Rust (\`global_asm!\`, as the crates \`freestand new\` creates do): a Rust \`_start\`, even exported, runs misaligned on x86_64 Linux; \`freestand check --fix\` writes it`
          : `mark the entry function \`#[unsafe(no_mangle)] pub extern "C" fn ${sym}() -> !\` (a mangled name is invisible to the linker), or fix \`ENTRY(...)\` in the linker script`,
      ],
      data: { symbol: sym, linker: report.flavour ?? null },
      rule: hostX86 ? "entry_point_stack_alignment" : "entry_point_mangled",
    };
  },
};
