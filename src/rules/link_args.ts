import type { RuleContext } from "./context.js";
import { effectiveRustflags, linkArgs, type RustflagsSource } from "../crate/config.js";
import { evalCfg, parseCfg } from "../deps/cfg.js";
import { valueAt } from "../crate/toml.js";

/** The rustflags sources cargo uses for the target, `[target.'cfg(..)']` tables decided by the target's real cfg. */
export function rustflagSources(ctx: RuleContext): RustflagsSource[] {
  return effectiveRustflags(ctx.crate.config, ctx.target.triple, (key) => {
    const e = parseCfg(key.replace(/^cfg\s*\(/, "").replace(/\)\s*$/, ""));
    return e ? evalCfg(e, ctx.crate.cfg) : undefined;
  });
}

/**
 * `rustflags` of the dev and release profiles (cargo's `profile-rustflags`), for every package and for this one
 * (`[profile.dev.package.<name>]`), from the workspace root's manifest and the cargo configuration. A flag set in
 * either profile counts: it is how the project builds.
 */
function profileRustflags(ctx: RuleContext): string[] {
  const out: string[] = [];
  const tables = [ctx.crate.profileManifest.value, ...ctx.crate.config.files.map((d) => d.value)];
  for (const t of tables) {
    for (const p of ["dev", "release"]) {
      for (const key of [["profile", p, "rustflags"], ["profile", p, "package", ctx.crate.manifest.name, "rustflags"], ["profile", p, "package", "*", "rustflags"]]) {
        const v = valueAt(t, key);
        if (Array.isArray(v)) out.push(...v.filter((x): x is string => typeof x === "string"));
      }
    }
  }
  return out;
}

export function allRustflags(ctx: RuleContext): string[] {
  return [...rustflagSources(ctx).flatMap((s) => s.flags), ...profileRustflags(ctx)];
}

/** `cargo:rustc-link-arg*` lines a build script prints with a literal argument (read as text: it is not run). */
function buildScriptArgs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/cargo::?rustc-link-arg(?:-bins?|-[\w-]+)?=([^"\\\n)]+)/g)) out.push(...m[1]!.trim().split(/\s+/));
  return out;
}

/**
 * Every linker argument the build will pass that can be read: from the rustflags cargo uses for the target, and
 * from the package's build script.
 */
export function allLinkArgs(ctx: RuleContext): string[] {
  const args = linkArgs(allRustflags(ctx));
  const bs = ctx.crate.buildScript?.text;
  if (bs) args.push(...buildScriptArgs(bs));
  return args;
}

/**
 * Can the build pass link arguments freestand cannot read? A build script that prints `rustc-link-arg` in a form
 * that is not a literal, or one with build-dependencies (a helper crate may print them), or a build script split
 * over several files.
 */
export function linkArgsMayBeHidden(ctx: RuleContext): string | undefined {
  const bs = ctx.crate.buildScript;
  if (!bs) return undefined;
  const helpers = ctx.crate.manifest.dependencies.filter((d) => d.kind === "build").map((d) => d.rename ?? d.name);
  if (/rustc-link-arg/.test(bs.text) && buildScriptArgs(bs.text).length === 0) return "the build script prints `rustc-link-arg` lines freestand cannot read";
  if (/\bmod\s+\w+\s*;|include!/.test(bs.text)) return "the build script has modules freestand does not read";
  if (helpers.length > 0) return `the build script uses ${helpers.map((h) => `\`${h}\``).join(", ")}, which may pass link arguments`;
  return undefined;
}
