import type { Diagnostic } from "../diagnostics/types.js";
import type { CrateModel } from "../crate/model.js";
import { RuleContext } from "../rules/context.js";
import { RULES, type Rule } from "../rules/index.js";
import { ruleSettings } from "./settings.js";
import { allowedByComment, allowedInText } from "./allow-comments.js";

export interface RunOptions {
  /** Only these rules (ids); default: all. */
  only?: readonly string[];
  /** Extra rules to run (a caller's own, or one being developed). */
  extraRules?: readonly Rule[];
}

/**
 * Runs the rules over one package and turns their findings into Diagnostics, honouring allow lists and levels.
 * The engine owns the invariants: a finding reported twice (a module shared by two targets of the package) is
 * reported once, and a fix from a rule not marked `fixable` is a bug of that rule, not something to apply.
 */
export async function runRules(model: CrateModel, opts: RunOptions = {}): Promise<Diagnostic[]> {
  const settings = ruleSettings(model);
  const ctx = new RuleContext(model);
  const rules = [...RULES, ...(opts.extraRules ?? [])].filter((r) => (!opts.only || opts.only.includes(r.id)) && !settings.allowed.has(r.id));
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const findings = await rule.check(ctx);
    for (const f of findings) {
      if (f.fix && !rule.fixable) throw new Error(`rule ${rule.id} returned a fix but is not marked fixable`);
      const key = `${rule.id}\0${f.file ?? ""}\0${f.span?.start ?? ""}\0${f.span?.end ?? ""}\0${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (f.file && f.span && isAllowedHere(model, f.file, f.span.start, rule.id)) continue;
      const severity = settings.levels.get(rule.id) ?? f.severity ?? rule.defaultSeverity;
      const d: Diagnostic = { code: rule.id, severity, message: f.message };
      if (f.file) d.file = f.file;
      if (f.span) d.span = f.span;
      if (f.label) d.label = f.label;
      if (f.notes?.length) d.notes = f.notes;
      if (f.help?.length) d.help = f.help;
      if (f.fix && f.fix.edits.length > 0) d.fix = f.fix;
      if (f.data) d.data = f.data;
      out.push(d);
    }
  }
  return out;
}

function isAllowedHere(model: CrateModel, file: string, byteOffset: number, rule: string): boolean {
  const source = model.store.byPath.get(file);
  if (source) return allowedByComment(source, byteOffset, rule);
  const toml = [model.manifest.doc, model.profileManifest, ...model.config.files].find((d) => d.path === file);
  return toml ? allowedInText(toml.text, byteOffset, rule) : false;
}

/** cargo's order: by file, then by position; findings about a whole package after those with a place. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const fa = a.d.file ?? "\uffff";
      const fb = b.d.file ?? "\uffff";
      if (fa !== fb) return fa < fb ? -1 : 1;
      const sa = a.d.span?.start ?? Number.MAX_SAFE_INTEGER;
      const sb = b.d.span?.start ?? Number.MAX_SAFE_INTEGER;
      return sa - sb || a.i - b.i;
    })
    .map((x) => x.d);
}
