import type { Rule, Finding } from "./types.js";
import { rel } from "./helpers.js";

export const moduleNotFound: Rule = {
  id: "module_not_found",
  defaultSeverity: "info",
  summary: "a `mod x;` whose file freestand could not find, so its contents were not checked",
  fixable: false,
  explanation: `## What it finds

A \`mod x;\` declaration whose file is not where rustc looks (\`x.rs\` or \`x/mod.rs\` beside the declaring file,
the \`#[path]\`, or the path a \`cfg_attr\` chooses), a module that includes itself, or a symbolic link loop.

## What freestand does then

It reads the rest of the crate and says which module it could not read. If the file really is missing, rustc
reports \`error[E0583]: file not found for module\`; if it is produced at build time or reached in a way
freestand does not follow (a macro that declares modules, \`include!\`), the rest of the check still stands.
`,
  check(ctx) {
    const out: Finding[] = [];
    // A module shared by two targets is missing for both: the engine reports it once.
    for (const u of ctx.crate.units) {
      for (const m of u.missing) {
        out.push({
          message: m.unreadable
            ? `\`mod ${m.name};\` was not read: ${rel(ctx.crate.dir, m.unreadable.path)} is ${m.unreadable.what}, not a regular file`
            : `\`mod ${m.name};\` has no file where freestand looked, so it was not checked`,
          file: m.file,
          span: m.span,
          notes: [`looked for ${m.candidates.map((c) => rel(ctx.crate.dir, c)).join(" or ")}`],
        });
      }
    }
    return out;
  },
};
