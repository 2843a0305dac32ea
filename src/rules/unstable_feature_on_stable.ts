import type { Rule, Finding } from "./types.js";
import type { TextEdit } from "../diagnostics/types.js";
import { versionAtLeast, type ToolchainInfo } from "../crate/toolchain.js";
import { deleteLine, rel } from "./helpers.js";
import type { RuleContext } from "./context.js";
import { rustflagSources } from "./link-args.js";
import { findEntry, tomlSpan } from "../cargo/toml.js";

/** Features that were unstable once and are stable now: the version that stabilised them. */
export const STABILISED: Record<string, [number, number]> = {
  asm: [1, 59], global_asm: [1, 59], const_panic: [1, 57], min_const_generics: [1, 51], const_generics_defaults: [1, 59],
  format_args_capture: [1, 58], destructuring_assignment: [1, 59], const_fn_trait_bound: [1, 61], const_raw_ptr_deref: [1, 58],
  const_ptr_offset: [1, 61], const_fn_transmute: [1, 56], const_fn_union: [1, 56], asm_sym: [1, 66], asm_const: [1, 82], asm_goto: [1, 87], naked_functions: [1, 88],
  default_alloc_error_handler: [1, 68], panic_info_message: [1, 81], error_in_core: [1, 81], c_unwind: [1, 81],
  abi_efiapi: [1, 68], let_else: [1, 65], generic_associated_types: [1, 65], inline_const: [1, 79],
  exclusive_range_pattern: [1, 80], offset_of: [1, 77], const_mut_refs: [1, 83], strict_provenance: [1, 84],
  unsafe_attributes: [1, 82], unsafe_extern_blocks: [1, 82], raw_ref_op: [1, 82], const_maybe_uninit_write: [1, 85],
  const_fn_floating_point_arithmetic: [1, 82], core_ffi_c: [1, 64], cstr_from_bytes_until_nul: [1, 69],
  maybe_uninit_uninit_array: [1, 92], lazy_cell: [1, 80], int_roundings: [1, 73],
};

/** A toolchain pinned to a nightly of a date before `date` (1.68's nightlies began on 2023-01-25). */
function pinnedBefore(tc: ToolchainInfo, date: string): boolean {
  const d = /nightly-(\d{4}-\d{2}-\d{2})/.exec(tc.fromPin ?? "")?.[1];
  return d !== undefined && d < date;
}

export const unstableFeatureOnStable: Rule = {
  id: "unstable_feature_on_stable",
  defaultSeverity: "error",
  summary: "`#![feature(..)]` on a stable compiler; features that are already stable or obsolete",
  fixable: true,
  explanation: `## What it finds

\`#![feature(...)]\` attributes in a crate root, and \`-Z\` flags in the rustflags cargo passes:

- on a stable or beta compiler (and without \`RUSTC_BOOTSTRAP=1\`), every unstable feature — rustc refuses them
  with \`error[E0554]: #![feature] may not be used on the stable release channel\`;
- features that are stable by now (\`asm\`, \`naked_functions\`, \`panic_info_message\`, …): they only cause a
  warning, and the message says since which version;
- \`alloc_error_handler\`, which tutorials still show: since Rust 1.68 an allocation failure simply panics, so
  neither the feature nor an \`#[alloc_error_handler]\` function is needed.

## How to fix it

Remove features that are stable or obsolete (\`freestand check --fix\` does, unless an
\`#[alloc_error_handler]\` function still needs its feature). For the others, either use a nightly compiler
(\`rust-toolchain.toml\` with \`channel = "nightly"\`) or find the stable way: \`core::arch::asm!\` instead of
\`llvm_asm\`, a linker script section instead of a lang item.
`,
  check(ctx) {
    const out: Finding[] = [];
    const tc = ctx.toolchain;
    const stableCompiler = (tc.channel === "stable" || tc.channel === "beta") && !tc.bootstrap;
    for (const unit of ctx.crate.units) {
      const facts = ctx.rootFacts(unit);
      const src = facts.root.source;
      for (const attr of facts.features) {
        const tt = attr.body.childForFieldName("arguments");
        if (!tt) continue;
        const items = tt.namedChildren.filter((c) => c?.type === "identifier").map((c) => c!);
        items.forEach((item, i) => {
          const name = item.text;
          const removal = (): TextEdit => {
            if (items.length === 1) return deleteLine(src, attr.node);
            if (i < items.length - 1) return { file: src.path, start: src.byte(item.startIndex), end: src.byte(items[i + 1]!.startIndex), text: "" };
            return { file: src.path, start: src.byte(items[i - 1]!.endIndex), end: src.byte(item.endIndex), text: "" };
          };
          const since = STABILISED[name];
          const handlerFn = name === "alloc_error_handler" && unit.modules.some((m) => /#\s*\[\s*(?:alloc_error_handler\b|cfg_attr\s*\([^\]]*\balloc_error_handler\b)/.test(m.source.text));
          // With its own `#[alloc_error_handler]`, a crate on nightly uses the feature for what it is: a custom
          // out-of-memory handler. Only on stable is that a problem (the general case below says so).
          if (name === "alloc_error_handler" && !handlerFn && (versionAtLeast(tc, 1, 68) || (!tc.version && !pinnedBefore(tc, "2023-01-25")))) {
            out.push({
              message: "`#![feature(alloc_error_handler)]` has not been needed since Rust 1.68",
              severity: stableCompiler ? "error" : "warning",
              file: src.path,
              span: src.span(item),
              label: "obsolete",
              help: ["remove the feature: allocation failures panic by default"],
              fix: { description: "remove `alloc_error_handler`", edits: [removal()] },
            });
          } else if (since && (versionAtLeast(tc, since[0], since[1]) || (stableCompiler && !tc.version))) {
            // rustc warns (`stable_features`) on nightly; on the stable channel any `#![feature]` is E0554.
            out.push({
              message: stableCompiler
                ? `the feature \`${name}\` has been stable since Rust ${since[0]}.${since[1]}, and \`#![feature]\` may not be used on the ${tc.channel} release channel`
                : `the feature \`${name}\` has been stable since Rust ${since[0]}.${since[1]}`,
              severity: stableCompiler ? "error" : "warning",
              file: src.path,
              span: src.span(item),
              label: "no longer needed",
              help: [`remove \`${name}\` from \`#![feature(...)]\``],
              fix: { description: `remove \`${name}\``, edits: [removal()] },
            });
          } else if (stableCompiler) {
            const v = tc.version && !tc.fromPin ? ` ${tc.version.join(".")}` : tc.fromPin ? `, pinned to \`${tc.fromPin}\`` : "";
            out.push({
              message: `\`#![feature(${name})]\` may not be used on the ${tc.channel} release channel (rustc${v})`,
              file: src.path,
              span: src.span(item),
              label: "unstable feature",
              help: [
                handlerFn
                  ? "since Rust 1.68 allocation failures panic by default: remove the feature and the `#[alloc_error_handler]` function, or use a nightly toolchain"
                  : 'use a nightly toolchain (`rust-toolchain.toml`: `[toolchain] channel = "nightly"`), or do without the feature',
              ],
            });
          }
        });
      }
    }
    if (stableCompiler) out.push(...unstableFlags(ctx, tc));
    return out;
  },
};

/** `-Z` flags in the rustflags cargo passes: stable rustc refuses them all (`the option \`Z\` is only accepted on the nightly compiler`). */
function unstableFlags(ctx: RuleContext, tc: ToolchainInfo): Finding[] {
  const out: Finding[] = [];
  for (const src of rustflagSources(ctx)) {
    const shown: string[] = [];
    for (let i = 0; i < src.flags.length; i++) {
      const f = src.flags[i]!;
      if (f === "-Z" && src.flags[i + 1] !== undefined) shown.push(`-Z ${src.flags[++i]}`);
      else if (f.startsWith("-Z")) shown.push(f);
    }
    if (shown.length === 0 || src.uncertain) continue;
    const z = shown;
    const entry = src.doc && src.keyPath ? findEntry(src.doc, src.keyPath) : undefined;
    out.push({
      message: `${shown.map((f) => `\`${f}\``).join(", ")} in the rustflags ${src.doc ? `of ${rel(ctx.crate.dir, src.origin)}` : `from ${src.origin}`} ${z.length === 1 ? "is" : "are"} refused by rustc on the ${tc.channel} channel`,
      file: src.doc?.path ?? ctx.manifestPath,
      ...(entry && src.doc ? { span: tomlSpan(src.doc, entry) } : {}),
      label: "unstable compiler options",
      help: ["remove the `-Z` flags, or build with a nightly toolchain (`rust-toolchain.toml`)"],
    });
  }
  return out;
}
