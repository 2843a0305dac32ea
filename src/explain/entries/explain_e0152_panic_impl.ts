import type { ExplainEntry } from "../entry.js";
import { quoted } from "./shared.js";

export const explainE0152PanicImpl: ExplainEntry = {
  code: "explain_e0152_panic_impl",
  compilerCodes: ["E0152"],
  title: "E0152: duplicate lang item `panic_impl`",
  summary: "`std` was linked in next to your `#[panic_handler]`",
  defaultSeverity: "error",
  rule: "dependency_requires_std",
  fixtures: ["e0152-panic-impl"],
  explanation: `On a host target \`std\` exists, so a crate that forgets \`#![no_std]\` builds — and brings \`std\`'s own panic
handler (the \`panic_impl\` lang item) along. Your \`#[panic_handler]\` is then the second one:
\`error[E0152]: found duplicate lang item \`panic_impl\`\`. rustc's note says which crate pulled \`std\` in
("which \`X\` depends on").

Make that crate \`no_std\`: add \`#![no_std]\` if it is yours, or depend on it with \`default-features = false\`.

Caught before compiling by \`freestand check\`: \`dependency_requires_std\` (a dependency) or \`missing_no_std\`.`,
  match(ctx) {
    if (ctx.msg.code !== "E0152" || !/duplicate lang item `panic_impl`/.test(ctx.msg.message)) return undefined;
    const via = quoted(ctx.text, /first defined in crate `std` \(which `([^`]+)` depends on\)/);
    const origin = via ? ctx.origin(via) : undefined;
    return {
      message: via
        ? `\`std\` is linked in through \`${via}\`${origin ? ` (${origin})` : ""}, and \`std\` brings its own panic handler next to yours`
        : "`std` is linked into this `no_std` build, and it brings its own panic handler next to yours",
      help: [
        via
          ? `make \`${via}\` \`no_std\`: add \`#![no_std]\` if it is yours, or depend on it with \`default-features = false\``
          : "find the crate without `#![no_std]` (`cargo tree` lists them) and make it `no_std`",
      ],
      data: { via: via ?? null, origin: origin ?? null },
      rule: via && origin !== "this crate" ? "dependency_requires_std" : "missing_no_std",
    };
  },
};
