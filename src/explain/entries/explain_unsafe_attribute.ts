import type { ExplainEntry } from "../entry.js";

export const explainUnsafeAttribute: ExplainEntry = {
  code: "explain_unsafe_attribute",
  title: "unsafe attribute used without unsafe",
  summary: "edition 2024 requires `#[unsafe(no_mangle)]`",
  defaultSeverity: "error",
  rule: "unsafe_attribute",
  fixtures: ["unsafe-attribute"],
  explanation: `Edition 2024 (the default of \`cargo new\` today) marks \`no_mangle\`, \`export_name\` and \`link_section\` as
unsafe attributes: they can clash with other symbols and break the program at link time. Write
\`#[unsafe(no_mangle)]\` — accepted since Rust 1.82 in every edition, so it is always the right spelling. Tutorials
written before 2025 still show \`#[no_mangle]\`.

Caught before compiling by \`freestand check\` (\`unsafe_attribute\`, with \`--fix\`).`,
  match(ctx) {
    if (!/^unsafe attribute used without unsafe/.test(ctx.msg.message)) return undefined;
    const attr = ctx.msg.sourceLines.map((l) => /#\[\s*(no_mangle|export_name|link_section)\b/.exec(l)?.[1]).find(Boolean) ?? "no_mangle";
    return {
      message: `edition 2024 requires \`#[${attr}]\` to be written \`#[unsafe(${attr}${attr === "no_mangle" ? "" : " = ..."})]\``,
      help: [`wrap it: \`#[unsafe(${attr}${attr === "no_mangle" ? "" : " = ..."})]\` (accepted since Rust 1.82 in every edition)`],
      data: { attribute: attr },
    };
  },
};
