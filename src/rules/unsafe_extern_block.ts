import type { Rule, Finding } from "./types.js";

/** `extern "C" {` / `extern {` at the start of an item, with what comes before it on the line. */
const EXTERN_BLOCK = /(\bunsafe\s+)?\bextern\s*(?:"[^"\n]*"\s*)?\{/g;

export const unsafeExternBlock: Rule = {
  id: "unsafe_extern_block",
  defaultSeverity: "error",
  summary: "edition 2024 requires `unsafe extern \"C\" { … }` for blocks of foreign declarations",
  fixable: true,
  explanation: `## What it finds

In an edition-2024 crate, an \`extern "C" { … }\` (or \`extern { … }\`) block written without \`unsafe\` in front.

## Why it matters

Declaring a foreign function or static is a promise the compiler cannot check: that the symbol exists and has
that signature. Edition 2024 makes the promise visible, and the old spelling is a hard error:
\`error: extern blocks must be unsafe\`. Freestanding code declares linker-script symbols this way
(\`static __sbss: u8;\`), so tutorials written for earlier editions stop compiling.

## How to fix it

\`\`\`rust
unsafe extern "C" {
    static __sbss: u8;
    safe fn helper(); // items may now be marked safe to call
}
\`\`\`

\`unsafe extern\` is accepted from Rust 1.82 in every edition. \`freestand check --fix\` adds \`unsafe\`.
`,
  check(ctx) {
    const out: Finding[] = [];
    for (const unit of ctx.crate.units.filter((u) => u.spec.edition === "2024")) {
      for (const { module, value } of ctx.codeMatches(unit, "extern_block", EXTERN_BLOCK)) {
        if (value.match[1]) continue;
        const externAt = value.match.index;
        const modifier = value.node.parent;
        const item = modifier?.parent;
        if (value.node.type !== "extern" || modifier?.type !== "extern_modifier" || !item || item.type !== "foreign_mod_item") continue;
        if (ctx.compiled(module, item) === false) continue;
        const src = module.source;
        const at = src.byte(externAt);
        out.push({
          message: "extern blocks must be `unsafe extern` in edition 2024",
          file: module.path,
          span: src.spanOf(externAt, item.childForFieldName("body")?.startIndex ?? externAt + 6),
          label: "written without `unsafe`",
          help: ["write `unsafe extern \"C\" { … }`"],
          fix: { description: "add `unsafe`", edits: [{ file: module.path, start: at, end: at, text: "unsafe " }] },
        });
      }
    }
    return out;
  },
};
