import type { ExplainEntry } from "../entry.js";
import { findTarget } from "../../targets/catalog.js";
import { quoted, targetOf } from "./shared.js";

export const explainE0463Std: ExplainEntry = {
  code: "explain_e0463_std",
  compilerCodes: ["E0463"],
  title: "E0463: can't find crate for `std`",
  summary: "a crate needs `std`, which the target does not have",
  defaultSeverity: "error",
  rule: "missing_no_std",
  fixtures: ["e0463-std-self", "e0463-std-dep"],
  explanation: `Bare-metal targets (\`*-none*\`) ship \`core\` (and \`alloc\`), never \`std\`: there is no operating system
under them. Every crate that does not say \`#![no_std]\` links \`std\` implicitly, so a single such crate — yours or a
dependency — fails the build with \`error[E0463]: can't find crate for \`std\`\`. rustc's note
"\`std\` is required by \`X\` because it does not declare \`#![no_std]\`" names the culprit.

- If \`X\` is your crate: add \`#![no_std]\` (and \`#![no_main]\` for a binary) at the top of the crate root.
- If \`X\` is a dependency: depend on it with \`default-features = false\` (most crates gate \`std\` behind a default
  feature), or pick a \`no_std\` alternative.

Caught before compiling by \`freestand check\`: \`missing_no_std\` (your crate) and \`dependency_requires_std\`
(a dependency, with the chain that pulls it in).`,
  match(ctx) {
    if (ctx.msg.code !== "E0463" || !/can't find crate for `std`/.test(ctx.msg.message)) return undefined;
    const crate = quoted(ctx.text, /`std` is required by `([^`]+)` because/);
    const target = targetOf(ctx);
    const origin = crate ? ctx.origin(crate) : undefined;
    const who = crate ? `crate \`${crate}\`${origin ? ` (${origin})` : ""}` : "a crate in the build";
    const notes = origin === "this crate or one of its dependencies" ? ["this output was read away from the directory cargo ran in: `Compiling` lines say where each package is (under `~/.cargo/registry` it is a dependency); or rerun with `--root <dir>`"] : [];
    const help: string[] = [];
    if (origin !== "a dependency") help.push(`add \`#![no_std]\` at the top of ${crate && origin ? `\`${crate}\`'s` : "the"} crate root (and \`#![no_main]\` for a binary)`);
    if (origin !== "this crate")
      help.push(`${crate ? `if \`${crate}\` is a dependency` : "if it is a dependency"}, depend on it with \`default-features = false\` or use a \`no_std\` alternative`);
    // The host has std: then the sysroot rustc reads lacks it (a `--sysroot` that holds only `core`).
    if (target && findTarget(target)?.flavour === "host") {
      return {
        message: `${who} needs \`std\`, and the sysroot rustc reads has no \`std\` for \`${target}\`, which normally has one`,
        help: ["a `--sysroot` in the rustflags (or RUSTFLAGS) points at a sysroot built with `core` only: remove it for host builds"],
        notes,
        data: { crate, origin: origin ?? null, target },
        rootCause: "the missing `std`",
        rule: null,
      };
    }
    return {
      message: `${who} needs \`std\`, which ${target ? `the \`${target}\` target` : "this target"} does not have: it does not declare \`#![no_std]\``,
      help,
      notes,
      data: { crate, origin: origin ?? null, target },
      rootCause: "the missing `std`",
      rule: origin === "a dependency" ? "dependency_requires_std" : origin === "this crate" ? "missing_no_std" : null,
    };
  },
};
