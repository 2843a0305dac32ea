import type { ExplainEntry } from "../entry.js";
import { quoted, targetOf } from "./shared.js";

export const explainE0463Core: ExplainEntry = {
  code: "explain_e0463_core",
  compilerCodes: ["E0463"],
  title: "E0463: can't find crate for `core`",
  summary: "the target's `core` is not installed",
  defaultSeverity: "error",
  rule: "target_not_installed",
  fixtures: ["e0463-core"],
  explanation: `Even a \`#![no_std]\` crate needs the target's precompiled \`core\` (and \`compiler_builtins\`, \`alloc\`) in the
compiler's sysroot, \`<sysroot>/lib/rustlib/<target>/lib/\`. They are missing until the target is installed.

- With rustup and a network: \`rustup target add <target>\`.
- Without rustup (a distribution's rustc) or offline: \`freestand sysroot --target <target>\` builds \`core\` and
  \`alloc\` from the library sources of the same compiler version; \`freestand build\` and \`freestand run\` then use it.

Caught before compiling by \`freestand check\` (\`target_not_installed\`) and \`freestand doctor\`.`,
  match(ctx) {
    const crate = quoted(ctx.msg.message, /can't find crate for `(core|alloc|compiler_builtins)`/);
    if (ctx.msg.code !== "E0463" || !crate) return undefined;
    const target = targetOf(ctx);
    return {
      message: `the ${target ? `\`${target}\`` : "target's"} \`${crate}\` is not installed in the compiler's sysroot`,
      help: [
        `install it with \`rustup target add ${target ?? "<target>"}\``,
        `without rustup or offline, build it from the compiler's library sources with \`freestand sysroot --target ${target ?? "<target>"}\`, then build with \`freestand build\``,
      ],
      data: { crate, target },
      rootCause: `the missing \`${crate}\``,
    };
  },
};
