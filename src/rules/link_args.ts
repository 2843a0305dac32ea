import type { RuleContext } from "./context.js";
import { effectiveRustflags, linkArgs } from "../crate/config.js";

/**
 * Every linker argument the build will pass: from the rustflags cargo uses for the target, and from
 * `cargo:rustc-link-arg*` lines in build.rs (read as text: a build script is not run here).
 */
export function allLinkArgs(ctx: RuleContext): string[] {
  const args = linkArgs(effectiveRustflags(ctx.crate.config, ctx.target.triple).flatMap((s) => s.flags));
  const bs = ctx.crate.buildScript?.text;
  if (bs) for (const m of bs.matchAll(/cargo::?rustc-link-arg(?:-bins?|-[\w-]+)?=([^"\\\n)]+)/g)) args.push(...m[1]!.trim().split(/\s+/));
  return args;
}

export function allRustflags(ctx: RuleContext): string[] {
  return effectiveRustflags(ctx.crate.config, ctx.target.triple).flatMap((s) => s.flags);
}
