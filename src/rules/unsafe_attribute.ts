import type { Rule, Finding } from "./types.js";

const UNSAFE_ATTRIBUTES = ["no_mangle", "export_name", "link_section"];

export const unsafeAttribute: Rule = {
  id: "unsafe_attribute",
  defaultSeverity: "error",
  summary: "edition 2024 requires `#[unsafe(no_mangle)]`, `#[unsafe(export_name)]` and `#[unsafe(link_section)]`",
  fixable: true,
  explanation: `## What it finds

In an edition-2024 crate, \`#[no_mangle]\`, \`#[export_name = "…"]\` or \`#[link_section = "…"]\` written without
the \`unsafe(...)\` wrapper.

## Why it matters

These attributes can break memory safety (two exported functions with the same symbol name, code placed in a
section that is not executable), so edition 2024 makes them unsafe to write. The old spelling is an error:
\`error: unsafe attribute used without unsafe\`. Most freestanding tutorials predate this and show
\`#[no_mangle]\`; \`cargo new\` creates edition-2024 crates today.

## How to fix it

\`\`\`rust
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! { loop {} }
\`\`\`

The wrapped form is accepted from Rust 1.82 in every edition. \`freestand check --fix\` wraps the attributes.
`,
  check(ctx) {
    const out: Finding[] = [];
    // Every target of the package counts (examples, tests and benches too), each with its own edition.
    for (const unit of ctx.crate.units.filter((u) => u.spec.edition === "2024")) {
      for (const { module, value } of ctx.attributes(unit, UNSAFE_ATTRIBUTES)) {
        const a = value.attr;
        if (a.unsafeWrapped || ctx.compiled(module, value.item ?? a.node) === false) continue;
        const src = module.source;
        const body = src.span(a.body);
        out.push({
          message: `\`#[${a.name}]\` must be written \`#[unsafe(${a.name}${a.value !== undefined ? " = …" : ""})]\` in edition 2024`,
          file: module.path,
          span: src.span(a.node),
          label: "usage of unsafe attribute",
          help: [`wrap it: \`#[unsafe(${a.body.text})]\``],
          fix: {
            description: `wrap \`${a.name}\` in \`unsafe(...)\``,
            edits: [
              { file: module.path, start: body.start, end: body.start, text: "unsafe(" },
              { file: module.path, start: body.end, end: body.end, text: ")" },
            ],
          },
        });
      }
    }
    return out;
  },
};
