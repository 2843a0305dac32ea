import type { ExplainEntry } from "../entry.js";
import { quoted } from "./shared.js";

export const explainRustLldNotFound: ExplainEntry = {
  code: "explain_rust_lld_not_found",
  title: "linker `rust-lld` not found",
  summary: "the linker rustc wants for this target is not installed",
  defaultSeverity: "error",
  caughtBy: "freestand doctor",
  fixtures: ["rust-lld-not-found"],
  explanation: `Bare-metal targets link with \`rust-lld\`, which rustup installs next to rustc but distributions' rustc packages
do not ship (Debian's \`rustc-web\` has none). Either install LLVM's lld (\`apt install lld\`) and link with it
(\`-C linker=ld.lld\` in the target's \`rustflags\`), or put a \`rust-lld\` into
\`<sysroot>/lib/rustlib/x86_64-unknown-linux-gnu/bin/\`, where rustc looks for it.

Caught before compiling by \`freestand doctor\`.`,
  match(ctx) {
    const linker = quoted(ctx.msg.message, /^linker `([^`]+)` not found/);
    if (!linker) return undefined;
    const isLld = /lld/.test(linker);
    return {
      message: `the linker \`${linker}\` is not installed${isLld ? " (distribution rustc packages do not ship rust-lld)" : ""}`,
      help: isLld
        ? ["install lld (`apt install lld`) and add `-C linker=ld.lld` to the target's rustflags, or install the target with rustup, which ships rust-lld"]
        : [`install \`${linker}\`, or set another linker with \`-C linker=...\``],
      data: { linker },
    };
  },
};
