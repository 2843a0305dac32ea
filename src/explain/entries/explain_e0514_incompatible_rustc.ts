import type { ExplainEntry } from "../entry.js";
import { quoted } from "./shared.js";

export const explainE0514IncompatibleRustc: ExplainEntry = {
  code: "explain_e0514_incompatible_rustc",
  compilerCodes: ["E0514"],
  title: "E0514: crate compiled by an incompatible rustc",
  summary: "the sysroot's `core` was built by another compiler version",
  defaultSeverity: "error",
  rule: "target_not_installed",
  fixtures: ["e0514-incompatible"],
  explanation: `Rust libraries (\`.rlib\`) only load into the exact compiler version that built them. This happens when a
sysroot built with one compiler (say Debian's \`rustc\` 1.96) is used with another (rustup's 1.95), or after a toolchain
update. Build with the compiler that made it (\`RUSTC=/path/to/that/rustc cargo build\`; \`freestand build\` does
this by itself with the sysroots it builds), or use a sysroot built for your compiler, which needs that
compiler's library sources (\`freestand sysroot --target <target> --rustc <path>\`).

Caught before compiling by \`freestand check\` (\`target_not_installed\`) and \`freestand doctor\`.`,
  match(ctx) {
    if (ctx.msg.code !== "E0514") return undefined;
    const crate = quoted(ctx.msg.message, /found crate `([^`]+)` compiled by/);
    const found = /compiled by (rustc \d[^:\n]*?): (\S+)/.exec(ctx.text);
    const current = quoted(ctx.text, /using this compiler \((rustc \d[^\n]*?)\)(?: \(consider|$)/m);
    return {
      message: `\`${crate ?? "a crate"}\` was built by ${found ? found[1] : "another compiler version"}, and rustc only loads libraries built by its own exact version${current ? ` (${current})` : ""}`,
      help: [
        found ? `build with the compiler that made it: \`RUSTC=<path of ${found[1]}> cargo build\`, or point \`--sysroot\` at a sysroot built for the compiler you use` : "build with the compiler that made the sysroot (`RUSTC=<its path> cargo build`), or point `--sysroot` at one built for the compiler you use",
      ],
      data: { crate: crate ?? null, builtBy: found?.[1] ?? null, path: found?.[2] ?? null, compiler: current ?? null },
      rootCause: `the incompatible \`${crate ?? "crate"}\``,
    };
  },
};
