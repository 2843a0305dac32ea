import path from "node:path";
import type { Rule, Finding } from "./types.js";
import { describeError } from "../errors.js";
import { analyzeDependencyStd, describeChain, describeReason, type DependencyStdFinding } from "../deps/analyze.js";
import { defaultFeaturesOffEdits, findDependencyDeclaration, isWorkspaceInherited } from "../deps/manifest-fix.js";
import type { TomlDocument } from "../cargo/toml.js";

function location(r: DependencyStdFinding["crates"][number]["reason"], crateDir: string): string {
  const rel = path.relative(crateDir, r.file) || path.basename(r.file);
  return r.kind === "no_no_std" ? rel : `${rel}:${r.line}`;
}

function toFinding(f: DependencyStdFinding, doc: TomlDocument): Finding {
  const first = f.crates[0]!;
  const chain = describeChain(first.chain);
  const depKey = f.dependency ? (f.dependency.rename ?? f.dependency.name) : undefined;
  const notes = f.crates.map((c) => `${describeChain(c.chain)}: in ${c.name} ${c.version}, ${describeReason(c.reason)} (${location(c.reason, path.dirname(c.manifestPath))})`);
  const decl = depKey ? findDependencyDeclaration(doc, depKey, f.dependency!.target) : undefined;
  const help: string[] = [];
  let fix: Finding["fix"];
  if (f.fix && decl && !isWorkspaceInherited(decl)) {
    const keep = f.fix.keepFeatures;
    const what = `set \`default-features = false\` on \`${depKey}\`${keep.length ? ` and keep its features ${keep.map((k) => `"${k}"`).join(", ")}` : ""}`;
    help.push(what);
    fix = { description: what, edits: defaultFeaturesOffEdits(doc, decl, keep) };
  } else if (f.fix && decl) {
    help.push(`set \`default-features = false\` for \`${depKey}\` in \`[workspace.dependencies]\` of the workspace root (an inheriting member cannot turn them off)`);
  }
  for (const b of f.blockers) help.push(b);
  const names = [...new Set(f.crates.map((c) => `\`${c.name}\``))].join(", ");
  return {
    message: depKey ? `dependency \`${depKey}\` pulls \`std\` into this no_std crate: ${chain}` : `${names} link${f.crates.length === 1 ? "s" : ""} \`std\` into this no_std crate: ${chain}`,
    file: doc.path,
    ...(decl ? { span: decl.span } : {}),
    label: f.crates.length === 1 ? `brings in ${first.name}, which links std` : `brings in ${names}, which link std`,
    notes,
    help,
    ...(fix ? { fix } : {}),
    data: {
      dependency: depKey,
      crates: f.crates.map((c) => ({ name: c.name, version: c.version, features: c.features, reason: c.reason, chain: c.chain, chainText: describeChain(c.chain) })),
      fix: f.fix,
      blockers: f.blockers,
    },
  };
}

export const dependencyRequiresStd: Rule = {
  id: "dependency_requires_std",
  defaultSeverity: "error",
  summary: "a dependency, with the features cargo enables for the target, links `std`",
  fixable: true,
  explanation: `## What it finds

A dependency that links the standard library when your \`no_std\` crate is built for its target — usually
because the dependency's **default features** include \`std\`. freestand reads the dependency graph from
\`cargo metadata\`, resolves the features the target gets the way cargo's feature resolver does (resolver 2 keeps
build-dependencies, proc-macros and dev-dependencies apart), walks the normal dependencies (build-dependencies and
proc-macros run on the host and are exempt), and reads each crate's root:
\`#![no_std]\`, \`#![cfg_attr(not(feature = "std"), no_std)]\` evaluated with the crate's enabled features and
the target's cfg, and any \`extern crate std\` that cfg keeps, in any module. The finding names the chain:

    your_crate → serde (default features) → std

## Why it matters

The compiler reports this late and tersely: \`error[E0463]: can't find crate for \`std\`\` on a bare-metal
target, or \`duplicate lang item\` / a second panic handler on a host target. The message names the crate that
failed, not the line of *your* Cargo.toml that turned std on.

## How to fix it

Turn the dependency's default features off and keep the features you need:

\`\`\`toml
[dependencies]
serde = { version = "1", default-features = false, features = ["derive"] }
\`\`\`

\`freestand check --fix\` writes exactly that, keeping the default features that do not lead to std. When std
comes from a feature you asked for (\`features = ["std"]\`), from one of your own features, or from a crate that
never supports \`no_std\`, the help line says so instead.

## Asking the compiler

\`freestand check --confirm\` also runs \`cargo check\` for the target. Each crate the compiler rejects for
wanting std (\`E0463 can't find crate for std\`, \`E0152 duplicate lang item\`) gets a note "confirmed by the
compiler" on the finding that names it, or becomes a finding of its own when the analysis could not tell (for
example a \`no_std\` that hangs on a cfg a build script sets). A target without std needs its \`core\`:
\`rustup target add\`, or \`freestand sysroot --target <triple>\`.

Crate scans are remembered in \`$XDG_CACHE_HOME/freestand/deps-scan.json\` (registry, vendored and git crates
only; \`FREESTAND_DEPS_CACHE=off\` turns it off).
`,
  async check(ctx) {
    const units = ctx.crate.units.filter((u) => (u.spec.kind === "lib" || u.spec.kind === "bin") && ctx.isNoStd(u));
    if (units.length === 0 || !ctx.crate.manifest.dependencies.some((d) => d.kind === "normal")) return [];
    // A JSON target cannot be filtered on by cargo metadata; a target chosen elsewhere is not known.
    if (ctx.target.spec || !ctx.targetKnown || ctx.crate.workspace.graphProblem) return [];
    let report;
    try {
      report = await analyzeDependencyStd({ manifestPath: ctx.manifestPath, graphManifest: path.join(ctx.crate.workspace.graph.workspaceRoot, "Cargo.toml"), target: ctx.target.triple, env: ctx.crate.config.env, graphCache: ctx.crate.workspace.dependencyGraphs });
    } catch (err) {
      // Not knowing the graph (dependencies not downloaded, no lock file) is not a finding about the crate: say
      // it once for the workspace, at information level, and let the other rules speak.
      return [
        {
          message: `dependencies were not checked for \`std\`: ${describeError(err).replace(/\.$/, "")}`,
          file: ctx.crate.profileManifest.path,
          severity: "info",
        },
      ];
    }
    return report.findings.map((f) => toFinding(f, ctx.crate.manifest.doc));
  },
};
