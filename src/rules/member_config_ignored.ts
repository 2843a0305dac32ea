import path from "node:path";
import type { Rule } from "./types.js";
import { parseToml, valueAt } from "../cargo/toml.js";
import { configuredTarget, targetTableHeader, targetTablePath } from "../cargo/config.js";

/**
 * The settings of a member's config file that change how it is built from the root: its target, its rustflags,
 * `[unstable]`, and `[target.…]` tables for the target the root builds it for (its own config's target tables
 * for other triples only matter when someone builds for those).
 */
function buildSettings(text: string, file: string, rootTarget: string): string[] {
  let value: Record<string, unknown>;
  try {
    value = parseToml(file, text).value;
  } catch {
    return [];
  }
  const out: string[] = [];
  if (valueAt(value, ["build", "target"]) !== undefined) out.push("`build.target`");
  if (valueAt(value, ["build", "rustflags"]) !== undefined) out.push("`build.rustflags`");
  const t = valueAt(value, targetTablePath(rootTarget));
  if (t && typeof t === "object" && ("rustflags" in t || "linker" in t)) out.push(`\`[${targetTableHeader(rootTarget)}]\``);
  if (valueAt(value, ["unstable"]) !== undefined) out.push("`[unstable]`");
  return out;
}

export const memberConfigIgnored: Rule = {
  id: "member_config_ignored",
  defaultSeverity: "warning",
  summary: "a member's own `.cargo/config.toml` is ignored when cargo builds from the workspace root",
  fixable: false,
  explanation: `## What it finds

A workspace member with its own \`.cargo/config.toml\` that sets how it is built (\`build.target\`, rustflags,
\`[unstable]\`), checked from the workspace root.

## Why it matters

Cargo reads configuration from the directory it runs in and its parents, never from a member's directory. Run
from the root, the member is built without its target and flags: for the host, without its link arguments or
linker script. \`cargo build\` inside the member works; at the root it fails, or builds something else.

freestand judges the member with its own configuration (that is how it is meant to be built) and says this once.

## How to fix it

Build the member from its own directory (\`cd member && cargo build\`, or \`freestand check member\`), move the
settings to the root's \`.cargo/config.toml\` (per target with \`[target.<triple>]\`), or exclude the member from
the workspace.
`,
  check(ctx) {
    if (!ctx.crate.ignoredConfig) return [];
    const ws = ctx.crate.workspace;
    const rootTarget = configuredTarget(ws.config, undefined, ws.invocationDir)?.value ?? ctx.toolchain.host ?? ctx.target.triple;
    const relied = (m: typeof ctx.crate) => {
      const doc = m.ignoredConfig ? m.config.files.find((d) => d.path === m.ignoredConfig) : undefined;
      return doc ? buildSettings(doc.text, doc.path, rootTarget) : [];
    };
    // Said once for the workspace, by the first member it concerns, naming them all.
    const members = ws.packages.filter((m) => relied(m).length > 0);
    if (members[0] !== ctx.crate) return [];
    const root = ws.invocationDir;
    const settings = relied(ctx.crate);
    const first = path.relative(root, ctx.crate.ignoredConfig);
    const others = members.slice(1).map((m) => `\`${path.relative(root, m.dir)}\``);
    return [
      {
        message:
          members.length === 1
            ? `cargo ignores \`${first}\` when it builds from \`${path.basename(root)}\``
            : `cargo ignores the own \`.cargo/config.toml\` of ${members.length} members when it builds from \`${path.basename(root)}\``,
        file: members.length === 1 ? ctx.manifestPath : path.join(root, "Cargo.toml"),
        notes: [
          `\`${first}\` sets ${settings.slice(0, 4).join(", ")}${settings.length > 4 ? " and more" : ""}, which \`${ctx.crate.manifest.name}\` needs; freestand judged ${members.length === 1 ? "it" : "each member"} with its own`,
          ...(others.length > 0 ? [`the others: ${others.slice(0, 5).join(", ")}${others.length > 5 ? ` and ${others.length - 5} more` : ""}`] : []),
        ],
        help: [`build a member from its own directory (\`cd ${path.relative(root, ctx.crate.dir)} && cargo build\`), or move the settings to \`${path.join(path.basename(root), ".cargo", "config.toml")}\` (per target, in \`[target.<triple>]\`)`],
      },
    ];
  },
};
