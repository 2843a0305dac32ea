import type { Rule } from "./types.js";
import type { Node } from "web-tree-sitter";
import type { CrateUnit } from "../crate/model.js";
import { entryFunctions } from "./entry-points.js";

const DIVERGING_MACROS = new Set(["panic", "unreachable", "todo", "unimplemented"]);

/**
 * Does the body end in a way that never returns (or may: freestand cannot tell)? An endless `loop` (no
 * `break`), `panic!`-like macros, a call of a function declared `-> !`, or of a function of another crate. Then
 * a `()` signature is style, not a bug.
 */
function diverges(fn: Node, unit: CrateUnit): boolean {
  const body = fn.childForFieldName("body");
  const last = body?.namedChildren.filter((c) => c && c.type !== "line_comment" && c.type !== "block_comment").pop();
  if (!last) return false;
  const expr = last.type === "expression_statement" ? last.namedChild(0) : last;
  if (!expr) return false;
  if (expr.type === "loop_expression") return !/\bbreak\b/.test(expr.text);
  if (expr.type === "macro_invocation") return DIVERGING_MACROS.has(expr.childForFieldName("macro")?.text.split("::").pop() ?? "");
  const call = expr.type === "call_expression" ? expr : expr.type === "unsafe_block" ? expr.namedChildren.filter(Boolean).pop()?.namedChild(0) : undefined;
  if (call?.type === "call_expression") {
    const name = call.childForFieldName("function")?.text.split("::").pop();
    if (!name) return false;
    // A function of another crate may well be `-> !`: only a local one that is not can be judged.
    const def = new RegExp(`\\bfn\\s+${name}\\b[^{;]*`);
    const defs = unit.modules.flatMap((m) => [...m.source.text.matchAll(new RegExp(def.source, "g"))].map((x) => x[0]));
    return defs.length === 0 || defs.some((d) => /->\s*!/.test(d));
  }
  return false;
}

export const entryPointReturns: Rule = {
  id: "entry_point_returns",
  defaultSeverity: "error",
  summary: "the entry function can return, but there is nothing to return to",
  fixable: false,
  explanation: `## What it finds

The entry function (\`_start\`) declared without the never type \`-> !\`.

## Why it matters

Nothing called the entry point: there is no return address on the stack. Returning from \`_start\` jumps to
whatever happens to be there — on Linux usually a segmentation fault after the program "finished", on a
microcontroller a HardFault or a reset loop.

## How to fix it

Declare it \`-> !\` and end it by exiting (an \`exit_group\` system call, a QEMU exit device, semihosting) or
by looping forever:

\`\`\`rust
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    main();
    exit(0)
}
\`\`\`
`,
  check(ctx) {
    return entryFunctions(ctx)
      .filter((e) => e.fn.childForFieldName("return_type")?.type !== "never_type")
      .filter((e) => !diverges(e.fn, e.unit))
      .map((e) => {
        const name = e.fn.childForFieldName("name")!;
        const params = e.fn.childForFieldName("parameters");
        const ret = e.fn.childForFieldName("return_type");
        const span = e.module.source.spanOf(name.startIndex, (ret ?? params ?? name).endIndex);
        return {
          message: `the entry function \`${name.text}\` ${ret ? `returns \`${ret.text}\`` : "can return"}`,
          file: e.module.path,
          span,
          label: "expected `-> !`",
          help: ["declare it `-> !` and finish with an exit call or an endless loop"],
        };
      });
  },
};
