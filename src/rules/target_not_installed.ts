import path from "node:path";
import type { Rule, RuleContext } from "./types.js";
import { configGet } from "../cargo/config.js";
import { coreFixCommand, describeRustc, type PlainCargo } from "../toolchain/invocation.js";
import { allRustflags } from "./link-args.js";

/** The sysroot's `core` rlib for the target, if there is one. */
async function coreRlib(ctx: RuleContext, sysroot: string, triple: string): Promise<string | undefined> {
  const dir = path.join(sysroot, "lib", "rustlib", triple, "lib");
  const files = await ctx.listDir(dir);
  const f = files.find((x) => x.startsWith("libcore-") && x.endsWith(".rlib"));
  return f ? path.join(dir, f) : undefined;
}


/** How to make plain cargo build the target: the command that does what `freestand build` does, or rustup's. */
export function plainCargoHelp(p: PlainCargo, triple: string): string {
  const rustup = p.rustup ? `\`${p.rustup}\` (it needs the network)` : undefined;
  if (p.command) return `to make plain cargo work too: \`${p.command}\`${rustup ? `, or once ${rustup}` : ""}`;
  return rustup ? `to make plain cargo work too, run ${rustup}` : `run \`${coreFixCommand(triple)}\``;
}

export const targetNotInstalled: Rule = {
  id: "target_not_installed",
  defaultSeverity: "error",
  summary: "the target's `core` library is not installed for the compiler cargo will use",
  fixable: false,
  explanation: `## What it finds

A configured target (\`build.target\`, \`CARGO_BUILD_TARGET\`, \`--target\`) whose precompiled \`core\` is not in
the compiler's sysroot (\`<sysroot>/lib/rustlib/<target>/lib/libcore-*.rlib\`), or in the sysroot that
\`--sysroot\` in the rustflags points to. Builds that use \`-Zbuild-std\` are not reported.

## Why it matters

Every crate needs \`core\`. Without it cargo stops at the first crate with
\`error[E0463]: can't find crate for \`core\`\` and the note "the \`<target>\` target may not be installed".

## How to fix it

With rustup: \`rustup target add <target>\` (it needs the network). Without rustup or offline:
\`freestand sysroot <target>\` builds \`core\`, \`alloc\` and \`compiler_builtins\` from the library sources of the
same compiler version and prints the \`--sysroot\` flag to use.
`,
  async check(ctx) {
    const t = ctx.target;
    // A JSON target has no prebuilt `core` anywhere (it needs build-std); a compiler that does not answer has no
    // sysroot to look into (toolchain_unavailable says so).
    if (!t.explicit || t.spec || ctx.toolchain.problem) return [];
    // A member cargo does not build from here (not a default member) cannot fail the build.
    if (!ctx.crate.built) return [];
    if (configGet(ctx.crate.config, ["unstable", "build-std"])) return [];
    const flags = allRustflags(ctx);
    const sysrootFlag = flags.findIndex((f) => f === "--sysroot" || f.startsWith("--sysroot="));
    const sysroot = sysrootFlag === -1 ? ctx.toolchain.sysroot : flags[sysrootFlag]!.includes("=") ? flags[sysrootFlag]!.split("=")[1] : flags[sysrootFlag + 1];
    if (sysrootFlag === -1) {
      // No --sysroot of the crate's own: cargo will use the compiler's sysroot, and `freestand build` a sysroot
      // it built for that compiler. Ask the toolchain module, which knows both.
      if (t.triple === ctx.toolchain.host) return [];
      // The same compiler and target for several members: said once, by the first.
      const first = ctx.crate.workspace.packages.find((m) => m.built && m.target.triple === t.triple && !m.target.spec && m.config === ctx.crate.config);
      if (first && first !== ctx.crate) return [];
      const { source, discovered, rustc } = await ctx.coreFor(t.triple);
      if (source.kind === "cached-sysroot" && rustc !== discovered) {
        return [
          {
            message: `plain \`cargo build\` uses ${describeRustc(discovered)}, which has no \`core\` for \`${t.triple}\`: it stops with \`error[E0463]: can't find crate for \`core\`\``,
            severity: "info",
            file: ctx.manifestPath,
            notes: [`\`freestand build\` and \`freestand run\` build with ${describeRustc(rustc)} and the sysroot freestand built for it (${source.sysroot})`],
            help: [plainCargoHelp(await ctx.plainCargo(t.triple), t.triple)],
            data: { target: t.triple, sysroot: discovered.sysroot },
          },
        ];
      }
      if (source.kind !== "missing") return [];
      const rustup = Boolean(discovered.rustupToolchain);
      return [
        {
          message: `the target \`${t.triple}\` has no \`core\` for rustc ${discovered.release} (${discovered.sysroot})`,
          file: ctx.manifestPath,
          notes: [`the target is chosen by ${t.origin ?? "the configuration"}`, "freestand has not built a sysroot for it either"],
          help: [`run \`${coreFixCommand(t.triple)}\`${rustup ? ` (or, with network access, \`rustup target add ${t.triple}\`)` : ""}`],
          data: { target: t.triple, sysroot: discovered.sysroot },
        },
      ];
    }
    if (!sysroot) return [];
    const core = await coreRlib(ctx, sysroot, t.triple);
    if (core) {
      // rustc loads only libraries its own exact build made (E0514 otherwise).
      const by = await ctx.rlibCompiler(core);
      const tc = ctx.toolchain;
      const mine = tc.version?.join(".");
      if (!by || !mine || tc.fromPin || (by.version.startsWith(mine) && (!tc.commit || tc.commit.startsWith(by.commit) || by.commit.startsWith(tc.commit)))) return [];
      return [
        {
          message: `the \`core\` in the --sysroot \`${sysroot}\` was built by rustc ${by.version} (${by.commit}), not by the rustc ${mine} that builds the crate`,
          file: ctx.manifestPath,
          notes: ["rustc only loads libraries built by its own exact version: the build stops with `error[E0514]: found crate `core` compiled by an incompatible version of rustc`"],
          help: [`build with the compiler that made the sysroot (\`RUSTC=<path of rustc ${by.version}> cargo build\`), or point \`--sysroot\` at one built for rustc ${mine}`],
          data: { target: t.triple, sysroot, builtBy: by.version },
        },
      ];
    }
    return [
      {
        message: `the target \`${t.triple}\` has no \`core\` in the --sysroot \`${sysroot}\``,
        file: ctx.manifestPath,
        notes: [`the target is chosen by ${t.origin ?? "the configuration"}`, "the sysroot is given with `--sysroot` in the rustflags"],
        help: [`run \`${coreFixCommand(t.triple)}\`, or point \`--sysroot\` at a sysroot that has the target`],
        data: { target: t.triple, sysroot },
      },
    ];
  },
};
