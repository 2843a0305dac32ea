import path from "node:path";
import type { Rule } from "./types.js";
import { parseToml, valueAt } from "../cargo/toml.js";
import { vscodeSettings } from "../templates/editor-settings.js";

/** VS Code's settings.json is JSON with comments and trailing commas: read as such, or undefined. */
function readJsonc(text: string): Record<string, unknown> | undefined {
  const stripped = text
    .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str: string | undefined) => str ?? "")
    .replace(/,(\s*[}\]])/g, "$1");
  try {
    const v: unknown = JSON.parse(stripped);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const editorTargetUnset: Rule = {
  id: "editor_target_unset",
  defaultSeverity: "info",
  summary: "rust-analyzer in VS Code checks this bare-metal crate for the host: the target is only given on cargo's command line",
  fixable: true,
  explanation: `## What it finds

A freestanding crate for a bare-metal target that is chosen on cargo's command line (\`--target\`) or by
\`CARGO_BUILD_TARGET\`, not in a \`.cargo/config.toml\` — with a \`.vscode/\` folder whose \`settings.json\` does not
set \`rust-analyzer.cargo.target\`, and no \`rust-analyzer.toml\` that sets \`cargo.target\`.

## Why it matters

rust-analyzer runs \`cargo check\` itself. It reads \`build.target\` from cargo's configuration, but it never sees
the \`--target\` of a build script or Makefile, so it checks the crate for the host, where \`std\` exists: the editor
shows "duplicate lang item \`panic_impl\`", "can't find crate for \`test\`" and errors about the target's
\`asm!\`, none of which the build has.

## How to fix it

Tell rust-analyzer the target (and not to check with \`--all-targets\` when the crate's tests need the std
harness):

\`\`\`json
// .vscode/settings.json
{
  "rust-analyzer.cargo.target": "thumbv7em-none-eabihf",
  "rust-analyzer.check.allTargets": false
}
\`\`\`

or the same in \`rust-analyzer.toml\` (\`[cargo] target = …\`, \`[check] allTargets = false\`), which rust-analyzer
reads in any editor; or set \`build.target\` in \`.cargo/config.toml\`, which cargo and rust-analyzer both read.
\`freestand new\` writes both files. \`freestand check --fix\` adds the two settings to \`.vscode/settings.json\`.
`,
  async check(ctx) {
    const t = ctx.target;
    if (!t.explicit || !t.bareMetal || !ctx.freestanding) return [];
    // A target from a config file is one rust-analyzer reads too (it asks cargo for `build.target`).
    if (t.origin && path.isAbsolute(t.origin)) return [];
    const dir = path.dirname(ctx.manifestPath);
    if (!(await ctx.listDir(dir)).includes(".vscode")) return [];
    const raToml = await ctx.readText(path.join(dir, "rust-analyzer.toml"));
    if (raToml !== undefined) {
      try {
        if (valueAt(parseToml("rust-analyzer.toml", raToml).value, ["cargo", "target"]) !== undefined) return [];
      } catch {
        // Not TOML yet: rust-analyzer cannot read it either.
      }
    }
    const file = path.join(dir, ".vscode", "settings.json");
    const text = await ctx.readText(file);
    const settings = text === undefined ? {} : readJsonc(text);
    if (settings?.["rust-analyzer.cargo.target"] !== undefined) return [];
    const message = `rust-analyzer checks this crate for the host: \`${t.triple}\` comes from ${t.origin ?? "cargo's command line"}, which it does not see`;
    const help = [`set \`"rust-analyzer.cargo.target": "${t.triple}"\` in .vscode/settings.json (or \`[cargo] target\` in rust-analyzer.toml)`];
    if (text !== undefined && !settings) return [{ message, file, help, notes: [".vscode/settings.json could not be read as JSON, so freestand does not edit it"] }];
    const keys = [`"rust-analyzer.cargo.target": ${JSON.stringify(t.triple)}`, ...(settings?.["rust-analyzer.check.allTargets"] === undefined ? ['"rust-analyzer.check.allTargets": false'] : [])];
    // A new file gets freestand's; an existing one the keys first in its object, its own text kept as it is.
    const open = text === undefined ? -1 : text.indexOf("{");
    const empty = settings !== undefined && Object.keys(settings).length === 0;
    const edit =
      text === undefined
        ? { file, start: 0, end: 0, text: vscodeSettings(t.triple) }
        : { file, start: Buffer.byteLength(text.slice(0, open + 1), "utf8"), end: Buffer.byteLength(text.slice(0, open + 1), "utf8"), text: `\n  ${keys.join(",\n  ")}${empty ? "\n" : ","}` };
    return [{ message, file, help, fix: { description: "set rust-analyzer's target in .vscode/settings.json", edits: [edit] } }];
  },
};
