import type { Rule, Finding } from "./types.js";
import { panicHandlers } from "./panic-handlers.js";
import { rel } from "./helpers.js";

export const duplicatePanicHandler: Rule = {
  id: "duplicate_panic_handler",
  defaultSeverity: "error",
  summary: "more than one `#[panic_handler]` is linked into the same program",
  fixable: false,
  explanation: `## What it finds

Two or more \`#[panic_handler]\` functions that are certainly compiled into the same program: in the same crate,
or one in a binary and one in its package's library when the binary uses the library. Handlers behind \`cfg\`
conditions that are off in the normal build (\`#[cfg(test)]\`, a feature that is not enabled) or that cannot be
decided are not counted; a library's \`#[cfg(test)]\` handler is never linked into a binary.

## Why it matters

The panic handler is a lang item: there must be exactly one in the final program. rustc stops with
\`error[E0152]: found duplicate lang item \`panic_impl\`\`.

## How to fix it

Keep one handler. If a library provides one for its binaries, remove the binaries' own; if a handler is only
for some builds, put a \`#[cfg(...)]\` on it.
`,
  check(ctx) {
    const out: Finding[] = [];
    const reported = new Set<string>();
    for (const unit of ctx.programs()) {
      // Only handlers certainly compiled into the same program collide; cfg alternatives do not.
      const [first, ...rest] = panicHandlers(ctx, unit).filter((h) => h.compiled === true);
      for (const h of rest) {
        const span = h.module.source.span(h.attr);
        const key = `${h.module.path}:${span.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const line = first!.module.source.lineOf(first!.attr.startIndex) + 1;
        out.push({
          message: "a second `#[panic_handler]` is defined",
          file: h.module.path,
          span,
          label: "duplicate panic handler",
          notes: [`the first one is at ${rel(ctx.crate.dir, first!.module.path)}:${line}`, ...(h.unit !== first!.unit ? [`\`${rel(ctx.crate.dir, unit.spec.root)}\` links both: it uses the package's library`] : [])],
          help: ["keep one handler, or put the alternatives behind different `#[cfg(...)]` conditions"],
        });
      }
    }
    return out;
  },
};
