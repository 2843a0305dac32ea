import type { RuleContext } from "./context.js";
import { effectiveRustflags, linkArgs, type RustflagsSource } from "../cargo/config.js";
import { evalCfg, parseCfg } from "../toolchain/cfg.js";
import { valueAt } from "../cargo/toml.js";
import path from "node:path";
import { locateDependency } from "../crate/providers.js";
import { pushAll } from "../util/arrays.js";

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
        if (Array.isArray(v)) pushAll(out, v.filter((x): x is string => typeof x === "string"));
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
  for (const m of text.matchAll(/cargo::?rustc-link-arg(?:-bins?|-[\w-]+)?=([^"\\\n)]+)/g)) pushAll(out, m[1]!.trim().split(/\s+/));
  return out;
}

/**
 * Every linker argument the build will pass that can be read: from the rustflags cargo uses for the target, and
 * from the package's build script.
 */
export function allLinkArgs(ctx: RuleContext): string[] {
  const args = linkArgs(allRustflags(ctx));
  const bs = ctx.crate.buildScript?.text;
  if (bs) pushAll(args, buildScriptArgs(bs));
  return args;
}

/** Does a path build-dependency's source print `rustc-link-arg=-T…` (a linker script, however it is named)? */
async function helperPassesScript(ctx: RuleContext, dir: string): Promise<boolean | undefined> {
  const texts = await ctx.rustTextsUnder(path.join(dir, "src"));
  if (texts.length === 0) return undefined;
  if (texts.some((t) => /rustc-link-arg[\w-]*=\s*(?:-T|--script)/.test(t))) return true;
  return texts.some((t) => t.includes("rustc-link-arg")) ? undefined : false;
}

/**
 * What the build script does about linker scripts that cannot be read from it as a literal: "passes" when a path
 * build-dependency it uses prints `rustc-link-arg=-T…`; a sentence saying why freestand cannot tell (a
 * non-literal `rustc-link-arg`, modules, a registry helper crate); undefined when it is shown to pass nothing.
 */
export async function buildScriptLinkerScript(ctx: RuleContext): Promise<"passes" | string | undefined> {
  const bs = ctx.crate.buildScript;
  if (!bs) return undefined;
  if (/rustc-link-arg/.test(bs.text) && buildScriptArgs(bs.text).length === 0) return "the build script prints `rustc-link-arg` lines freestand cannot read";
  if (/\bmod\s+\w+\s*;|include!/.test(bs.text)) return "the build script has modules freestand does not read";
  const unknown: string[] = [];
  for (const d of ctx.crate.manifest.dependencies.filter((x) => x.kind === "build")) {
    const name = d.rename ?? d.name;
    const dir = await locateDependency(ctx.crate, d);
    const v = dir ? await helperPassesScript(ctx, dir) : undefined;
    if (v === true) return "passes";
    if (v === undefined) unknown.push(name);
  }
  if (unknown.length > 0) return `the build script uses ${unknown.map((h) => `\`${h}\``).join(", ")}, which may pass link arguments`;
  return undefined;
}
