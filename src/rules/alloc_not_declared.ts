import type { Rule, Finding } from "./types.js";
import { afterInnerDocs, afterLine, insertAt, rel } from "./helpers.js";
import { ancestors, innerAttributes, withoutComments } from "../syntax/queries.js";

const PATH_TYPES = new Set(["scoped_identifier", "scoped_type_identifier", "scoped_use_list", "use_wildcard", "use_as_clause", "generic_type"]);

export const allocNotDeclared: Rule = {
  id: "alloc_not_declared",
  defaultSeverity: "error",
  summary: "`alloc::` paths in a `#![no_std]` crate that never declares `extern crate alloc;`",
  fixable: true,
  explanation: `## What it finds

\`use alloc::…\` or an \`alloc::…\` path in a \`#![no_std]\` crate whose root has no \`extern crate alloc;\`.

## Why it matters

\`core\` is always in scope, and \`std\` is when it is linked; \`alloc\` is neither: a \`no_std\` crate must declare it
once, at the crate root. Without it rustc stops at the first path:
\`error[E0433]: cannot find module or crate \`alloc\` in this scope\` (older compilers: "failed to resolve: use of
unresolved module or unlinked crate \`alloc\`").

## How to fix it

\`\`\`rust
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
\`\`\`

A binary also needs a \`#[global_allocator]\` (see \`alloc_without_global_allocator\`). \`freestand check --fix\` adds
the declaration after the crate root's attributes.
`,
  check(ctx) {
    const out: Finding[] = [];
    for (const unit of ctx.crate.units) {
      if (!ctx.isNoStd(unit)) continue;
      const facts = ctx.rootFacts(unit);
      const root = facts.root.source;
      // A declaration inside a macro (`cfg_if!`), or a module of the crate's own called `alloc`, may be what the
      // paths mean: then nothing is certain.
      // Comments aside: "// extern crate alloc;" declares nothing.
      const texts = unit.modules.map((m) => withoutComments(m.source.text));
      if (facts.externAlloc || texts.some((t) => /\bextern\s+crate\s+alloc\b|\bmod\s+alloc\b|\bextern\s+crate\s+\w+\s+as\s+alloc\b/.test(t))) continue;
      const found = ctx.codeMatches(unit, "alloc_path", /(?<![\w:])alloc\s*::/g).find(({ module, value }) => {
        const node = value.node;
        if (node.type !== "identifier" || node.text !== "alloc" || !node.parent || !PATH_TYPES.has(node.parent.type)) return false;
        const pathChild = node.parent.childForFieldName("path");
        if (pathChild && !pathChild.equals(node)) return false;
        // Inside a use list the path is relative to its prefix: `core::{alloc::Layout}` is `core::alloc`.
        if (ancestors(node).some((p) => p.type === "use_list")) return false;
        return ctx.compiled(module, node) === true;
      });
      if (!found) continue;
      const attrs = innerAttributes(root);
      const at = attrs.length > 0 ? afterLine(root, attrs[attrs.length - 1]!.node) : afterInnerDocs(root);
      const span = found.module.source.span(found.value.node);
      out.push({
        message: `\`alloc\` is used, but \`${rel(ctx.crate.dir, unit.spec.root)}\` does not declare \`extern crate alloc;\``,
        file: found.module.path,
        span,
        label: "`alloc` is not in scope",
        help: ["add `extern crate alloc;` at the crate root"],
        fix: { description: "add `extern crate alloc;` to the crate root", edits: [insertAt(root, at, "\nextern crate alloc;\n")] },
      });
    }
    return out;
  },
};
