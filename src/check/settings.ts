import type { Severity } from "../diagnostics/types.js";
import type { CrateModel } from "../crate/model.js";
import { valueAt } from "../cargo/toml.js";

/** How the package wants each rule: allowed (off) or at another level. */
export interface RuleSettings {
  allowed: Set<string>;
  levels: Map<string, Severity>;
}

const LEVELS: Record<string, Severity | "allow"> = { error: "error", deny: "error", warning: "warning", warn: "warning", info: "info", note: "info", allow: "allow" };

function readTable(into: RuleSettings, table: unknown): void {
  if (!table || typeof table !== "object") return;
  const allow = valueAt(table, ["allow"]);
  if (Array.isArray(allow)) for (const a of allow) if (typeof a === "string") into.allowed.add(a);
  const levels = valueAt(table, ["levels"]);
  if (levels && typeof levels === "object") {
    for (const [rule, level] of Object.entries(levels as Record<string, unknown>)) {
      const l = typeof level === "string" ? LEVELS[level] : undefined;
      if (l === "allow") into.allowed.add(rule);
      else if (l) {
        into.allowed.delete(rule);
        into.levels.set(rule, l);
      }
    }
  }
}

/**
 * `[workspace.metadata.freestand]` of the workspace root first, then `[package.metadata.freestand]`, which
 * wins: `allow = ["rule", …]` turns rules off, `levels = { rule = "warning" }` changes their severity.
 */
export function ruleSettings(model: CrateModel): RuleSettings {
  const s: RuleSettings = { allowed: new Set(), levels: new Map() };
  if (model.workspaceManifest) readTable(s, valueAt(model.workspaceManifest.value, ["workspace", "metadata", "freestand"]));
  else readTable(s, valueAt(model.manifest.doc.value, ["workspace", "metadata", "freestand"]));
  readTable(s, valueAt(model.manifest.doc.value, ["package", "metadata", "freestand"]));
  return s;
}
