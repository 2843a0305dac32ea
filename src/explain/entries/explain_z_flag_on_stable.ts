import type { ExplainEntry } from "../entry.js";

export const explainZFlagOnStable: ExplainEntry = {
  code: "explain_z_flag_on_stable",
  title: "-Z flags only on nightly",
  summary: "an unstable `-Z` flag passed to a stable cargo or rustc",
  defaultSeverity: "error",
  rule: "unstable_feature_on_stable",
  fixtures: ["z-flag-cargo", "z-flag-rustc"],
  explanation: `\`-Z\` flags (\`-Zbuild-std\`, \`-Zunstable-options\`, …) are unstable and refused by stable cargo and rustc.
\`-Zbuild-std\` is usually there to get \`core\` for a target that has no prebuilt one: \`freestand sysroot --target
<target>\` builds it once with the stable compiler you have (from its library sources), after which
\`freestand build\` uses it. Otherwise use a nightly toolchain, or remove the flag from \`RUSTFLAGS\` /
\`.cargo/config.toml\`.

Caught before compiling by \`freestand check\` (\`unstable_feature_on_stable\`) when the flag is in the rustflags cargo
reads; a \`-Z\` typed on cargo's command line is only seen by cargo.`,
  match(ctx) {
    const cargo = /the `-Z` flag is only accepted on the nightly channel of Cargo/.test(ctx.text);
    const rustc = /the option `Z` is only accepted on the nightly compiler/.test(ctx.text);
    if (!cargo && !rustc) return undefined;
    const buildStd = /build-std/.test(ctx.text);
    return {
      message: `${cargo ? "cargo" : "rustc"} on the stable channel refuses \`-Z\` flags${rustc ? " (they came through `RUSTFLAGS` or `.cargo/config.toml`)" : ""}`,
      help: [
        ...(buildStd ? [] : ["remove the `-Z` flag (check `RUSTFLAGS` and `.cargo/config.toml`), or use a nightly toolchain"]),
        // cargo does not say which flag it refused: the usual one gets its stable way too.
        "if it was `-Zbuild-std`, there to get `core` for a target without a prebuilt one: run `freestand sysroot --target <target>` once instead, then build with `freestand build`",
      ],
      data: { tool: cargo ? "cargo" : "rustc" },
      // rustc's refusal means the flag came through the rustflags, which check reads; cargo's, the command line.
      rule: rustc ? "unstable_feature_on_stable" : null,
    };
  },
};
