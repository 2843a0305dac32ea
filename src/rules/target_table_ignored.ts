import path from "node:path";
import type { AST } from "toml-eslint-parser";
import type { Finding, Rule } from "./types.js";
import { forEachEntry, tomlKey, tomlSpan, type TomlDocument } from "../cargo/toml.js";
import { targetTableHeader } from "../cargo/config.js";

/**
 * The quoted keys under `target` that name a triple with a dot (`"thumbv8m.main-none-eabihf"`): cargo looks a
 * target's table up by splitting its name at the dots (cargo/config.ts targetTablePath), so it never reads one.
 * `cfg(…)` keys are matched another way and stay.
 */
function quotedDottedTargets(doc: TomlDocument): { key: AST.TOMLQuoted; triple: string }[] {
  const out: { key: AST.TOMLQuoted; triple: string }[] = [];
  const visit = (prefix: readonly (string | number)[], key: AST.TOMLKey) => {
    const parts = [...prefix];
    for (const k of key.keys) {
      const name = k.type === "TOMLBare" ? k.name : k.value;
      if (parts.length === 1 && parts[0] === "target" && k.type === "TOMLQuoted" && name.includes(".") && !name.startsWith("cfg(")) out.push({ key: k, triple: name });
      parts.push(name);
    }
  };
  // Table headers, then every key (forEachEntry gives each one's full path: its own key parts are the last ones).
  for (const item of doc.ast.body[0]?.body ?? []) if (item.type === "TOMLTable") visit([], item.key);
  forEachEntry(doc, (path, kv) => visit(path.slice(0, path.length - kv.key.keys.length), kv.key));
  return out;
}

export const targetTableIgnored: Rule = {
  id: "target_table_ignored",
  defaultSeverity: "warning",
  summary: "a `[target.\"…\"]` table whose triple has a dot is never read by cargo",
  fixable: true,
  explanation: `## What it finds

A table of \`.cargo/config.toml\` for a target whose name has a dot, written with the name quoted:
\`[target."thumbv8m.main-none-eabihf"]\` (or \`target."thumbv8m.main-none-eabihf".rustflags = …\`).

## Why it matters

Cargo looks up a target's table by splitting \`target.<triple>\` at every dot, so for
\`thumbv8m.main-none-eabihf\` it reads \`[target.thumbv8m.main-none-eabihf]\` — tables \`thumbv8m\`, then
\`main-none-eabihf\` — and the quoted table, which TOML makes one key, is never read: its \`rustflags\`, \`linker\`
and \`runner\` are silently ignored (measured with cargo 1.95; rust-lang/cargo#15901). The build then goes on
without the linker script or the flags the table holds, and fails later, or boots something else.

## How to fix it

Write the triple unquoted: \`[target.thumbv8m.main-none-eabihf]\`. \`freestand check --fix\` rewrites the key.

## Example

\`\`\`toml
[target."thumbv8m.main-none-eabihf"]   # never read
rustflags = ["-C", "link-arg=-Tlink.x"]

[target.thumbv8m.main-none-eabihf]     # what cargo reads
rustflags = ["-C", "link-arg=-Tlink.x"]
\`\`\`
`,
  check(ctx) {
    const findings: Finding[] = [];
    for (const doc of ctx.crate.config.files) {
      for (const { key, triple } of quotedDottedTargets(doc)) {
        findings.push({
          message: `cargo never reads \`target.${JSON.stringify(triple)}\`: it looks up \`${targetTableHeader(triple)}\``,
          file: doc.path,
          span: tomlSpan(doc, key),
          notes: [`cargo splits a target's name at its dots to find its table, so what this quoted key holds is ignored (rust-lang/cargo#15901)`],
          fix: {
            description: `write the triple unquoted in ${path.basename(path.dirname(doc.path)) === ".cargo" ? path.join(".cargo", path.basename(doc.path)) : doc.path}`,
            edits: [{ file: doc.path, ...tomlSpan(doc, key), text: triple.split(".").map(tomlKey).join(".") }],
          },
        });
      }
    }
    return findings;
  },
};
