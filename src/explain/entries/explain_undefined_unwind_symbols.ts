import type { ExplainEntry } from "../entry.js";
import { referenceLocation, referencesData, UNWIND_SYMBOL } from "./shared.js";

export const explainUndefinedUnwindSymbols: ExplainEntry = {
  code: "explain_undefined_unwind_symbols",
  title: "undefined symbol: `rust_eh_personality` / `_Unwind_Resume`",
  summary: "precompiled `core`/`alloc` refer to the unwinding runtime",
  defaultSeverity: "error",
  fixtures: ["eh-personality", "unwind-resume"],
  explanation: `The host target's \`core\` and \`alloc\` are precompiled for \`panic = "unwind"\`, so their code refers to
\`rust_eh_personality\` (and, in some builds, \`_Unwind_Resume\`) even when your crate sets \`panic = "abort"\`. With
\`-nostdlib\` nothing provides them. Your own profiles are not the cause (check that they say \`panic = "abort"\`):
the precompiled libraries are. Define stubs that are never called when panics abort:

\`\`\`rust
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}

#[unsafe(no_mangle)]
pub extern "C" fn _Unwind_Resume() -> ! {
    loop {}
}
\`\`\`

The host crates \`freestand new\` creates carry the first one in \`src/rt.rs\`. No \`check\` rule catches this: it only
shows at link time.`,
  match(ctx) {
    const report = ctx.linker();
    const syms = [...report.undefined.keys()].filter((s) => UNWIND_SYMBOL.test(s));
    if (syms.length === 0) return undefined;
    const refs = syms.flatMap((s) => report.undefined.get(s)!);
    const fromCore = refs.some((r) => /lib(core|alloc)-[0-9a-f]+\.rlib/.test(`${r.object ?? ""} ${r.file ?? ""}`)) || /lib(core|alloc)-[0-9a-f]+\.rlib/.test(ctx.text);
    return {
      message: `${syms.map((s) => `\`${s}\``).join(", ")} ${syms.length === 1 ? "is" : "are"} referenced by ${fromCore ? "the precompiled `core`/`alloc`, built for unwinding" : "code built for unwinding"}, and nothing provides ${syms.length === 1 ? "it" : "them"} without libc`,
      help: [`define ${syms.map((s) => `\`${s}\``).join(" and ")} as ${syms.length === 1 ? "a stub" : "stubs"} that are never called when panics abort (\`#[unsafe(no_mangle)] pub extern "C" fn rust_eh_personality() {}\`; see \`freestand explain explain_undefined_unwind_symbols\`)`],
      data: { symbol: syms[0], symbols: syms, references: referencesData(refs), linker: report.flavour ?? null },
      location: referenceLocation(refs),
    };
  },
};
