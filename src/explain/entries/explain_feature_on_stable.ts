import type { ExplainEntry } from "../entry.js";

export const explainFeatureOnStable: ExplainEntry = {
  code: "explain_feature_on_stable",
  compilerCodes: ["E0554"],
  title: "E0554: `#![feature]` on the stable channel",
  summary: "an unstable feature gate on a stable compiler",
  defaultSeverity: "error",
  rule: "unstable_feature_on_stable",
  fixtures: ["e0554-feature"],
  explanation: `\`#![feature(...)]\` only works on a nightly compiler. Many gates copied from older tutorials are not needed
any more: \`alloc_error_handler\` is obsolete since Rust 1.68 (an allocation failure now panics through your
\`#[panic_handler]\`), and features that have been stabilised can simply be removed. Otherwise use a nightly toolchain
(\`rust-toolchain.toml\`).

Caught before compiling by \`freestand check\` (\`unstable_feature_on_stable\`), which also says since when a feature is
stable.`,
  match(ctx) {
    if (ctx.msg.code !== "E0554") return undefined;
    const feature = ctx.msg.sourceLines.map((l) => /#!\[\s*feature\s*\(\s*([^)]*?)\s*\)/.exec(l)?.[1]).find(Boolean);
    if (feature && /\balloc_error_handler\b/.test(feature)) {
      return {
        message: "`#![feature(alloc_error_handler)]` is not available on stable, and it is not needed: the default handler panics since Rust 1.68",
        help: ["remove the `#![feature(alloc_error_handler)]` line and the `#[alloc_error_handler]` function"],
        data: { feature },
      };
    }
    return {
      message: `\`#![feature${feature ? `(${feature})` : ""}]\` only works on a nightly compiler`,
      help: ["remove the feature gate if the feature is stable by now, or build with a nightly toolchain (`rust-toolchain.toml`)"],
      data: { feature: feature ?? null },
    };
  },
};
