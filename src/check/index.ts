import type { Diagnostic } from "../diagnostics/types.js";
import { loadWorkspace, type LoadOptions, type CrateModel } from "../crate/model.js";
import type { ToolchainInfo } from "../crate/toolchain.js";
import type { UnitSpec } from "../crate/manifest.js";
import { runRules, sortDiagnostics, type RunOptions } from "./engine.js";
import { planFixes, writeAllOrNothing } from "./apply.js";
import { withFileTexts } from "../util/fs.js";
import type { PackageConfirmation } from "./confirm.js";
import { pushAll } from "../util/arrays.js";

export { applyFixes, applyEdits, type ApplyResult } from "./apply.js";
export { runRules, sortDiagnostics, type RunOptions } from "./engine.js";

export interface CheckOptions extends LoadOptions, RunOptions {
  /** Also run `cargo check` for each package's target and put its std errors beside dependency_requires_std. */
  confirm?: boolean;
}

export interface PackageSummary {
  name: string;
  dir: string;
  edition: string;
  target: string;
  targetExplicit: boolean;
  toolchain: ToolchainInfo;
  crates: { kind: UnitSpec["kind"]; name: string; root: string; files: number }[];
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Texts of every file the diagnostics point into (sources, manifests, configs), for the reporters. */
  sources: Map<string, string>;
  packages: PackageSummary[];
  /** Lines of Rust read (for throughput figures). */
  lines: number;
  /** With `confirm`: what the compiler said, per package. */
  confirmations?: PackageConfirmation[];
}

function summarise(m: CrateModel): PackageSummary {
  return {
    name: m.manifest.name,
    dir: m.dir,
    edition: m.manifest.edition,
    target: m.target.triple,
    targetExplicit: m.target.explicit,
    toolchain: m.toolchain,
    crates: m.units.map((u) => ({ kind: u.spec.kind, name: u.spec.name, root: u.spec.root, files: u.modules.length })),
  };
}

/**
 * Checks a crate or workspace directory for the classic freestanding traps. Bad input (no Cargo.toml, TOML that
 * does not parse, a source that is not UTF-8, a missing module file) throws a FreestandError.
 */
export async function check(dir: string, opts: CheckOptions = {}): Promise<CheckResult> {
  const { packages, store } = await loadWorkspace(dir, opts);
  try {
    const diagnostics: Diagnostic[] = [];
    const confirmations: PackageConfirmation[] = [];
    for (const p of packages) {
      const found = await runRules(p, opts);
      if (!opts.confirm) {
        pushAll(diagnostics, found);
        continue;
      }
      const { confirmPackage } = await import("./confirm.js");
      const c = await confirmPackage(p, found, { ...(opts.only ? { only: opts.only } : {}) });
      pushAll(diagnostics, c.diagnostics);
      if (c.confirmation) confirmations.push(c.confirmation);
    }
    const sources = store.texts();
    for (const p of packages) {
      for (const d of [p.manifest.doc, p.profileManifest, ...p.config.files]) sources.set(d.path, d.text);
    }
    let lines = 0;
    for (const s of store.byPath.values()) lines += s.lineOf(s.text.length) + 1;
    return { diagnostics: sortDiagnostics(dedupe(diagnostics)), sources, packages: packages.map(summarise), lines, ...(opts.confirm ? { confirmations } : {}) };
  } finally {
    store.dispose();
  }
}

/** Workspace members share files (a workspace root's Cargo.toml): report a finding once. */
function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const key = `${d.code}\0${d.file ?? ""}\0${d.span?.start ?? ""}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface FixResult {
  /** What was fixed, over all passes (as it was reported before the fix). */
  fixed: Diagnostic[];
  /** The files written. */
  files: string[];
  /** A fresh check after the fixes: what remains. */
  after: CheckResult;
}

/** What identifies a finding across passes: its rule, file and message (spans move as edits are made). */
function findingKey(d: Diagnostic): string {
  return `${d.code}\0${d.file ?? ""}\0${d.message}`;
}

/**
 * `check --fix`: applies the fixes of the findings the first check reports — only those: a finding that appears
 * only after other fixes is reported, not fixed behind the user's back. Non-overlapping fixes go first,
 * overlapping ones on the next pass (at most a few), each pass checked against the texts of the one before; then
 * every changed file is written once, all or nothing. Running it twice changes nothing the second time.
 */
export async function fix(dir: string, opts: CheckOptions = {}): Promise<FixResult> {
  const fixed: Diagnostic[] = [];
  // The final text of every file changed so far: later passes check these texts, and nothing is written until
  // the last pass (each file once, all or nothing), so a failure or a kill never leaves a crate between passes.
  const texts = new Map<string, string>();
  const passOpts = { ...opts, confirm: false };
  const checkFixed = () => withFileTexts(texts, () => check(dir, passOpts));
  let result = await check(dir, passOpts);
  const pending = new Set(result.diagnostics.filter((d) => d.fix).map(findingKey));
  for (let pass = 0; pass < 5 && pending.size > 0; pass++) {
    const fixable = result.diagnostics.filter((d) => d.fix && pending.has(findingKey(d)));
    if (fixable.length === 0) break;
    const plan = await withFileTexts(texts, () => planFixes(fixable));
    if (plan.applied.length === 0) break;
    for (const d of plan.applied) pending.delete(findingKey(d));
    pushAll(fixed, plan.applied);
    for (const [file, text] of plan.texts) texts.set(file, text);
    // The next pass needs the findings' places in the fixed texts (cargo itself still reads the files on disk).
    if (pending.size > 0) result = await checkFixed();
  }
  await writeAllOrNothing(texts);
  // What remains, read from the files as written (and by cargo, for the dependency analysis); the compiler runs
  // once, on that.
  if (texts.size > 0 || opts.confirm) result = await check(dir, opts);
  return { fixed, files: [...texts.keys()], after: result };
}
