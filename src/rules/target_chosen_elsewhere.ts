import type { Rule } from "./types.js";
import { rel } from "./helpers.js";

export const targetChosenElsewhere: Rule = {
  id: "target_chosen_elsewhere",
  defaultSeverity: "info",
  summary: "no target is configured where cargo reads it, and a Makefile, alias or build program may pass one",
  fixable: false,
  explanation: `## What it finds

A freestanding package with no target in the cargo configuration, \`CARGO_BUILD_TARGET\` or \`--target\`, while
something freestand does not run passes \`--target\` to cargo: a Makefile or justfile, a cargo \`[alias]\`, an
\`xtask\`, or another package's build script.

## What freestand does then

It cannot know which target that is (Makefiles choose by variables, boards, features), so the rules that would
judge the crate for the host — \`host_link_args_missing\`, \`panic_strategy_unwind\`, \`target_not_configured\` —
say nothing, and \`missing_linker_script\` cannot run. This note says so once.

## How to make the check complete

Write the target where cargo (and every tool that asks cargo, rust-analyzer included) reads it:

\`\`\`toml
# .cargo/config.toml
[build]
target = "aarch64-unknown-none-softfloat"
\`\`\`

or run \`freestand check --target <triple>\`.
`,
  check(ctx) {
    const drivers = ctx.crate.drivers;
    const affected = (m: typeof ctx.crate) => Boolean(m.role.freestanding) && !m.target.explicit && m.drivers.length > 0;
    if (!affected(ctx.crate)) return [];
    // Said once for the workspace, by its first package it concerns.
    const all = ctx.crate.workspace.packages.filter(affected);
    if (all[0] !== ctx.crate) return [];
    const named = [...new Set(drivers.flatMap((d) => (d.target ? [d.target] : [])))];
    const where = drivers.slice(0, 3).map((d) => (d.where.startsWith("/") ? rel(ctx.crate.workspace.invocationDir, d.where) : d.where));
    return [
      {
        message: `no target is configured for cargo${all.length > 1 ? ` (${all.length} freestanding packages)` : ""}; ${where.join(", ")}${drivers.length > 3 ? ` and ${drivers.length - 3} more` : ""} may choose it`,
        file: all.length > 1 ? ctx.crate.profileManifest.path : ctx.manifestPath,
        notes: [
          ...(named.length ? [`they name ${named.slice(0, 3).map((t) => `\`${t}\``).join(", ")}`] : []),
          "rules that would judge the crate for the host were left out",
        ],
        help: ["write the target into `.cargo/config.toml` (`[build] target = \"…\"`), or run `freestand check --target <triple>`"],
      },
    ];
  },
};
