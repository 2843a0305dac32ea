import type { Node } from "web-tree-sitter";
import type { Rule, Finding } from "./types.js";
import { stdEquivalent, useListItems } from "./std-equivalents.js";

const PATH_TYPES = new Set(["scoped_identifier", "scoped_type_identifier", "scoped_use_list", "use_wildcard", "use_as_clause", "use_list", "generic_type"]);

/** The segments after `std` of the path a `std` identifier starts, and whether it is a use list. */
function pathAfterStd(stdNode: Node): string[][] {
  let top: Node = stdNode;
  while (top.parent && PATH_TYPES.has(top.parent.type) && top.parent.type !== "use_list") top = top.parent;
  if (top.type === "scoped_use_list") {
    const list = top.childForFieldName("list");
    const pathNode = top.childForFieldName("path");
    const prefix = (pathNode?.text ?? "").replace(/\s+/g, "").split("::").slice(1);
    return useListItems(list?.text ?? "").map((i) => [...prefix, ...i]);
  }
  const text = top.text.replace(/\s+/g, "").replace(/^::/, "");
  return [text.split(/::|</)[0] === "std" ? text.split("<")[0]!.split("::").slice(1) : []];
}

export const stdPath: Rule = {
  id: "std_path",
  defaultSeverity: "error",
  summary: "`std::` paths in a `#![no_std]` crate; most have a `core::` or `alloc::` equivalent",
  fixable: true,
  explanation: `## What it finds

\`use std::…\` and \`std::…\` paths in a \`#![no_std]\` crate. Only code the normal build compiles is reported:
not under \`#[cfg(test)]\`, not under a feature that is off (on the item, an enclosing item, or the module's
\`mod\` declaration), not under a cfg nobody can decide; nor a crate that links std on purpose with
\`extern crate std;\`.

## Why it matters

Without std the name \`std\` does not exist: \`error[E0433]: failed to resolve: use of unresolved module or
unlinked crate \`std\`\`. Most of std is a re-export of \`core\` (formatting, \`mem\`, \`ptr\`, atomics,
\`Option\`) or of \`alloc\` (\`Vec\`, \`String\`, \`Box\`, \`BTreeMap\`, \`Arc\`); the rest (files, threads, the
clock, \`HashMap\` with its random seed, \`Mutex\`) needs an operating system.

## How to fix it

Use the crate that really has the item:

\`\`\`rust
use core::fmt::Write;            // was std::fmt::Write
use alloc::vec::Vec;             // was std::vec::Vec (needs \`extern crate alloc;\` and an allocator)
\`\`\`

For \`HashMap\` use \`alloc::collections::BTreeMap\` or the \`hashbrown\` crate; for \`Mutex\` a spin lock or a
critical section. \`freestand check --fix\` rewrites paths whose equivalent is known (to \`alloc\` only when
\`extern crate alloc;\` is already declared).
`,
  check(ctx) {
    const out: Finding[] = [];
    for (const unit of ctx.crate.units) {
      const facts = ctx.rootFacts(unit);
      if (!ctx.isNoStd(unit) || facts.externStd) continue;
      for (const { module, value } of ctx.codeMatches(unit, "std_path", /\bstd\s*::/g)) {
        const node = value.node;
        if (node.type !== "identifier" || node.text !== "std") continue;
        const parent = node.parent;
        if (!parent || !PATH_TYPES.has(parent.type)) continue;
        const pathChild = parent.childForFieldName("path");
        // Only a path that starts with `std` (or `::std`): `foo::std::x` names something else.
        if (pathChild && !pathChild.equals(node)) continue;
        if (!pathChild && !/^\s*::\s*std\b/.test(parent.text)) continue;
        if (ctx.notCertainlyCompiled(module, node)) continue;
        const paths = pathAfterStd(node);
        const targets = new Set(paths.map((p) => stdEquivalent(p)));
        const shown = paths.length === 1 ? `std::${paths[0]!.join("::")}` : "std::{…}";
        const only = targets.size === 1 ? [...targets][0] : undefined;
        const src = module.source;
        const span = src.span(node);
        let help: string;
        let fix: Finding["fix"];
        if (only === "core" || (only === "alloc" && facts.externAlloc)) {
          help = `use \`${only}::\` instead: \`${shown.replace(/^std/, only)}\``;
          fix = { description: `use \`${only}::\``, edits: [{ file: module.path, start: span.start, end: span.end, text: only }] };
        } else if (only === "alloc") {
          help = `this lives in \`alloc\`: add \`extern crate alloc;\` to the crate root (and a \`#[global_allocator]\`), then write \`${shown.replace(/^std/, "alloc")}\``;
        } else if (only === null) {
          help = "this needs an operating system; a freestanding crate has to provide its own (for `HashMap`: `alloc::collections::BTreeMap` or `hashbrown`)";
        } else {
          help = "use the `core::` (or `alloc::`) path of the same item";
        }
        out.push({
          message: `\`${shown}\` is not available in a \`#![no_std]\` crate`,
          file: module.path,
          span,
          label: "`std` is not linked",
          help: [help],
          fix,
        });
      }
    }
    return out;
  },
};
