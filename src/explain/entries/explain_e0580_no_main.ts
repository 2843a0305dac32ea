import type { ExplainEntry } from "../entry.js";

export const explainE0580NoMain: ExplainEntry = {
  code: "explain_e0580_no_main",
  compilerCodes: ["E0580"],
  title: "E0580: `main` function has wrong type",
  summary: "a `no_std` binary defines a C-style `main` but lacks `#![no_main]`",
  defaultSeverity: "error",
  rule: "missing_no_main",
  fixtures: ["e0580-main-type"],
  explanation: `Without \`#![no_main]\`, rustc treats \`fn main\` as the Rust entry point, which must be \`fn main()\` with no
arguments. A freestanding program that defines the C runtime's \`main(argc, argv)\` (or any other entry) is not
Rust's \`main\`: say so with \`#![no_main]\` at the top of the crate root, and export the C function with
\`#[unsafe(no_mangle)]\`. A \`no_std\` binary is linked without libc, so a \`main\` meant for the C runtime
also needs it linked: \`#[link(name = "c")] unsafe extern "C" {}\` (without it, \`__libc_start_main\` is undefined).

Caught before compiling by \`freestand check\` (\`missing_no_main\`).`,
  match(ctx) {
    if (ctx.msg.code !== "E0580") return undefined;
    return {
      message: "without `#![no_main]`, rustc takes this `main` for Rust's entry point, which must be `fn main()`",
      help: [
        "add `#![no_main]` at the top of the crate root: the program's entry is then whatever it exports (`main` for the C runtime, `_start` without it)",
        'a `main` for the C runtime needs libc, which a `no_std` binary does not link by itself: add `#[link(name = "c")] unsafe extern "C" {}`',
      ],
    };
  },
};
