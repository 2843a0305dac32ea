/**
 * `freestand check --confirm`: after the static rules, `cargo check` for the package's target, and each compiler
 * error that says a crate wanted std (E0463 can't find crate for `std`, E0152 duplicate lang item) is put beside
 * the dependency_requires_std finding it confirms, or reported as a finding of its own when the rule missed it.
 */
import path from "node:path";
import type { Diagnostic } from "../diagnostics/types.js";
import type { CrateModel } from "../crate/model.js";
import { RuleContext } from "../rules/context.js";
import { ruleSettings } from "./settings.js";
import { describeError } from "../errors.js";
import { findDependencyDeclaration } from "../deps/manifest-fix.js";
import { confirmWithCompiler, type CompilerConfirmation, type CompilerStdError } from "../deps/confirm.js";

const RULE = "dependency_requires_std";

export interface PackageConfirmation {
  package: string;
  target: string;
  /** Undefined when the compiler could not be run (the reason is in `skipped`). */
  compiler?: CompilerConfirmation;
  skipped?: string;
  /** Flagged crates the compiler failed on. */
  confirmed: string[];
  /** Crates the compiler failed on that the rule had not flagged (now findings). */
  missed: string[];
  /** The compiler found a second copy of a lang item in the package itself (E0152): std is linked, by someone. */
  stdLinked: boolean;
}

export interface ConfirmPackageOptions {
  /** Milliseconds for cargo check. */
  timeout?: number;
  targetDir?: string;
  /** The rules the check ran (`--rule`); confirmation belongs to dependency_requires_std. */
  only?: readonly string[];
}

interface FlaggedCrate {
  name: string;
  version: string;
}

function flaggedCrates(d: Diagnostic): FlaggedCrate[] {
  const data = d.data as { crates?: FlaggedCrate[] } | undefined;
  return Array.isArray(data?.crates) ? data.crates.filter((c) => typeof c?.name === "string") : [];
}

function errorText(e: CompilerStdError): string {
  return `${e.code ? `error[${e.code}]` : "error"}: ${e.message}`;
}

/**
 * Runs the compiler for one checked package and returns its diagnostics with the compiler's word added. The
 * package's own dependency_requires_std diagnostics are those in `diagnostics` whose file is its Cargo.toml.
 */
export async function confirmPackage(
  model: CrateModel,
  diagnostics: readonly Diagnostic[],
  opts: ConfirmPackageOptions = {},
): Promise<{ diagnostics: Diagnostic[]; confirmation?: PackageConfirmation }> {
  const manifestPath = path.resolve(model.dir, "Cargo.toml");
  const settings = ruleSettings(model);
  const ctx = new RuleContext(model);
  // Where the rule does not run, the compiler's std errors are another rule's business (missing_no_std).
  if ((opts.only && !opts.only.includes(RULE)) || settings.allowed.has(RULE)) return { diagnostics: [...diagnostics] };
  if (!model.units.some((u) => ctx.isNoStd(u)) || model.manifest.dependencies.length === 0) return { diagnostics: [...diagnostics] };
  const target = model.target.triple;
  const conf: PackageConfirmation = { package: model.manifest.name, target, confirmed: [], missed: [], stdLinked: false };
  let compiler: CompilerConfirmation;
  try {
    compiler = await confirmWithCompiler({ manifestPath, target, ...(opts.timeout ? { timeout: opts.timeout } : {}), ...(opts.targetDir ? { targetDir: opts.targetDir } : {}) });
  } catch (err) {
    conf.skipped = describeError(err).replace(/\.$/, "");
    return { diagnostics: [...diagnostics], confirmation: conf };
  }
  conf.compiler = compiler;
  const mine = (d: Diagnostic) => d.code === RULE && d.file !== undefined && path.resolve(d.file) === manifestPath;
  const out = diagnostics.map((d) => (mine(d) ? { ...d, notes: [...(d.notes ?? [])] } : d));
  const findings = out.filter(mine);
  const severity = settings.levels.get(RULE) ?? "error";
  const command = `\`cargo check --target ${target}\``;

  for (const e of compiler.stdErrors) {
    const self = e.name === model.manifest.name;
    if (self && e.code !== "E0152") continue; // the crate itself wants std: missing_no_std says so
    // A duplicate lang item is reported on the crate that defines the second one (this crate's panic handler):
    // it confirms that std is linked, without naming who brought it.
    const matches = self
      ? findings
      : findings.filter((d) => flaggedCrates(d).some((c) => c.name === e.name && c.version === e.version));
    if (self) conf.stdLinked = true;
    const failure = self
      ? `${command} fails in ${e.name} itself: ${errorText(e)} (std's copy is linked in beside this crate's own)`
      : `${command} fails in ${e.name} ${e.version}: ${errorText(e)}`;
    if (matches.length > 0) {
      for (const d of matches) {
        d.notes!.push(`confirmed by the compiler: ${failure}`);
        d.data = { ...(d.data as object), confirmed: [...(((d.data as { confirmed?: unknown[] })?.confirmed ?? []) as unknown[]), { name: e.name, version: e.version, code: e.code }] };
      }
      if (!self) conf.confirmed.push(`${e.name}@${e.version}`);
      continue;
    }
    if (!self) conf.missed.push(`${e.name}@${e.version}`);
    const decl = self ? undefined : findDependencyDeclaration(model.manifest.doc, e.name);
    const d: Diagnostic = {
      code: RULE,
      severity,
      message: self
        ? `the compiler finds \`std\` linked into this no_std crate (${e.code ?? "error"}), and no dependency was flagged for it`
        : `dependency \`${e.name}\` needs \`std\` for ${target}, the compiler says; the analysis did not find it`,
      file: manifestPath,
      ...(decl ? { span: decl.span, label: `brings in ${e.name}, which links std` } : {}),
      notes: [failure],
      help: [`\`cargo tree -e features -i ${e.name} --target ${target}\` shows how it is reached, with which features`],
      data: { dependency: e.name, crates: [{ name: e.name, version: e.version }], confirmed: [{ name: e.name, version: e.version, code: e.code }], fromCompiler: true },
    };
    out.push(d);
  }
  return { diagnostics: out, confirmation: conf };
}

/** One line per package for the human summary. */
export function describeConfirmation(c: PackageConfirmation): string {
  if (c.skipped !== undefined) return `--confirm: the compiler was not run for ${c.package} (${c.target}): ${c.skipped}`;
  const comp = c.compiler!;
  const parts: string[] = [];
  if (comp.success) parts.push(`\`cargo check --target ${c.target}\` succeeded for ${c.package}`);
  else parts.push(`\`cargo check --target ${c.target}\` failed for ${c.package}`);
  if (c.confirmed.length) parts.push(`confirms ${c.confirmed.join(", ")}`);
  if (c.stdLinked) parts.push("a duplicate lang item confirms that std is linked in");
  if (c.missed.length) parts.push(`found ${c.missed.join(", ")} that the analysis missed`);
  if (comp.otherErrors.length) parts.push(`${comp.otherErrors.length} other error${comp.otherErrors.length === 1 ? "" : "s"} (first: ${comp.otherErrors[0]})`);
  return `--confirm: ${parts.join("; ")}`;
}
