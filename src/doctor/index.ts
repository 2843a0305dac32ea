import { configuredTarget, loadCargoConfig } from "../cargo/config.js";
import { FreestandError, describeError } from "../errors.js";
import { TARGETS, findTarget } from "../targets/catalog.js";
import { describeRustc, plainCargo } from "../toolchain/invocation.js";
import { findSystemLld, lldPackageFor } from "../toolchain/linker.js";
import { targetReadiness } from "../toolchain/readiness.js";
import { findCargo, findRustc, isRustupProxy, probeRustc } from "../toolchain/rustc.js";
import { which } from "../util/fs.js";
import path from "node:path";
import { rustcCargoRuns } from "../toolchain/cargo-rustc.js";
import { chooseCompilerAndSources } from "../toolchain/sysroot-builder.js";
import type { Requirement, RustcInfo, TargetReadiness } from "../toolchain/types.js";

export interface DoctorOptions {
  /**
   * Check this target strictly (its parts become required). Default: the target the crate's cargo config names;
   * without one every catalogue target is reported, as information.
   */
  target?: string;
  /** The crate directory whose toolchain counts (rust-toolchain.toml). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  sysrootRoot?: string;
}

export interface DoctorReport {
  requirements: Requirement[];
  /** False when a required requirement is missing (the CLI then exits 1). */
  ok: boolean;
  rustc?: RustcInfo;
  targets: TargetReadiness[];
}

/**
 * What this machine has and lacks for freestand: the compiler and cargo, library sources to build a `core`
 * from, a linker for bare-metal targets, and per target its `core` and QEMU. Each missing piece names the
 * command that fixes it.
 */
export async function doctor(opts: DoctorOptions = {}): Promise<DoctorReport> {
  const env = opts.env ?? process.env;
  const dir = opts.dir ?? process.cwd();
  const reqs: Requirement[] = [];
  let rustc: RustcInfo | undefined;
  try {
    rustc = await findRustc({ cwd: dir, env });
    const mismatch = await cargoDisagreement(rustc, dir, env);
    reqs.push({
      id: "rustc",
      name: "Rust compiler cargo runs",
      ok: true,
      required: true,
      detail: `${describeRustc(rustc)}, chosen by ${rustc.origin}`,
      ...(mismatch ? { warning: mismatch.warning, fix: mismatch.fix } : {}),
    });
  } catch (err) {
    reqs.push({
      id: "rustc",
      name: "Rust compiler",
      ok: false,
      required: true,
      detail: describeError(err),
      fix: "curl https://sh.rustup.rs -sSf | sh   (or: apt-get install rustc-web rust-web-src)",
    });
  }
  const cargo = await findCargo(env);
  reqs.push(
    cargo
      ? { id: "cargo", name: "cargo", ok: true, required: true, detail: cargo }
      : { id: "cargo", name: "cargo", ok: false, required: true, detail: "cargo is not on PATH", fix: "curl https://sh.rustup.rs -sSf | sh   (or: apt-get install cargo-web)" },
  );
  // The LLVM of the compiler that builds sysroots: the lld that links against them should be of the same one.
  let builderLlvm: string | undefined;
  if (rustc) {
    // Any compiler here with matching library sources can build a sysroot (Debian's rustc-web when rustup's has none).
    const name = "library sources to build a sysroot from";
    try {
      const chosen = await chooseCompilerAndSources({ env });
      builderLlvm = chosen.rustc.llvmVersion;
      const other = chosen.rustc.verbose !== rustc.verbose ? ` (${describeRustc(rustc)} has none of its own)` : "";
      reqs.push({ id: "sources", name, ok: true, required: false, detail: `${chosen.sources.dir} for ${describeRustc(chosen.rustc)}${other}` });
    } catch (err) {
      const fix = rustc.rustupToolchain ? `rustup component add rust-src --toolchain ${rustc.rustupToolchain}` : "apt-get install rustc-web rust-web-src";
      reqs.push({ id: "sources", name, ok: false, required: false, detail: describeError(err), fix });
    }
  }
  const lld = await findSystemLld(env.PATH, builderLlvm);
  const lldName = `ld.lld (links bare-metal targets built against a freestand sysroot${builderLlvm ? `; its compiler is on LLVM ${builderLlvm}` : ""})`;
  const matched = lld && builderLlvm ? path.basename(lld.path) === `ld.lld-${/^\d+/.exec(builderLlvm)?.[0]}` : true;
  reqs.push(
    lld
      ? { id: "lld", name: lldName, ok: true, required: false, detail: matched ? lld.path : `${lld.path}, of another LLVM: some targets (LoongArch) need the matching one`, ...(matched ? {} : { fix: `apt-get install ${lldPackageFor(builderLlvm)}` }) }
      : { id: "lld", name: lldName, ok: false, required: false, detail: "not on PATH", fix: `apt-get install ${lldPackageFor(builderLlvm)}` },
  );

  const targets = rustc ? await targetRequirements(rustc, dir, env, opts, reqs) : [];
  return { requirements: reqs, ok: reqs.every((r) => r.ok || !r.required), rustc, targets };
}

/** Each wanted target's readiness (core, linker, QEMU), added to `reqs`; plain cargo's own chance said too. */
async function targetRequirements(rustc: RustcInfo, dir: string, env: NodeJS.ProcessEnv, opts: DoctorOptions, reqs: Requirement[]): Promise<TargetReadiness[]> {
  const targets: TargetReadiness[] = [];
  if (opts.target && !findTarget(opts.target) && !/^[A-Za-z0-9_.]+-[A-Za-z0-9_.-]+$/.test(opts.target)) {
    throw new FreestandError(`\`${opts.target}\` is neither a catalogue target nor a target triple.`);
  }
  // In a crate whose cargo config names a target, that target is the one that must be ready.
  const target = opts.target ?? configuredTarget(await loadCargoConfig(dir, env))?.value;
  const wanted = target ? [target] : TARGETS.map((t) => t.triple);
  for (const t of wanted) {
    const r = await targetReadiness(t, { crateDir: dir, env, sysrootRoot: opts.sysrootRoot });
    targets.push(r);
    const strict = Boolean(target);
    for (const part of [r.core, r.linker, r.qemu]) if (part) reqs.push({ ...stripExtra(part), required: strict });
    // `freestand build` works through a sysroot it built; plain `cargo build` may not: say so, with the command.
    if (r.core.ok && r.core.source.kind === "cached-sysroot" && t !== rustc.host) {
      const plain = await plainCargo({ crateDir: dir, triple: t, env, sysrootRoot: opts.sysrootRoot }).catch(() => undefined);
      if (plain && !plain.works) {
        reqs.push({
          id: "plain-cargo",
          name: `plain \`cargo build\` for ${t}`,
          ok: false,
          required: false,
          detail: `${plain.why}; \`freestand build\` uses the sysroot freestand built`,
          fix: plain.command ? `${plain.command}${plain.rustup ? `   (or, with network access, once: ${plain.rustup})` : ""}` : (plain.rustup ?? plain.sysroot ?? ""),
        });
      }
    }
  }
  return targets;
}

function stripExtra(r: Requirement): Requirement {
  const { id, name, ok, detail, fix, required } = r;
  return fix === undefined ? { id, name, ok, detail, required } : { id, name, ok, detail, fix, required };
}

/**
 * What cargo really runs, asked of cargo (src/toolchain/cargo-rustc.ts), against what freestand found and against
 * cargo's own version: a rustup cargo proxy runs the first `rustc` on PATH, so a distribution's compiler placed
 * before ~/.cargo/bin builds everything while `cargo -V` and rustup name another version.
 */
async function cargoDisagreement(found: RustcInfo, cwd: string, env: NodeJS.ProcessEnv): Promise<{ warning: string; fix: string } | undefined> {
  const cargo = await findCargo(env);
  if (!cargo || env.RUSTC) return undefined;
  const seen = await rustcCargoRuns({ cwd, env, cargo });
  if (!seen) return undefined;
  const runs = await probeRustc(seen.program, "PATH", { cwd, env }).catch(() => undefined);
  if (!runs) return undefined;
  if (runs.verbose !== found.verbose) {
    return {
      warning: `cargo runs ${describeRustc(runs)}, not ${describeRustc(found)}: what one builds, the other cannot load (E0514)`,
      fix: `make the choice explicit: \`RUSTC=${seen.program} cargo build\``,
    };
  }
  const cargoRelease = /cargo (\d+\.\d+\.\d+)/.exec(seen.cargoVersion)?.[1];
  if (cargoRelease && cargoRelease !== runs.release && (await isRustupProxy(cargo))) {
    const onPath = await which("rustc", env.PATH);
    return {
      warning: `${seen.cargoVersion} (rustup's) runs ${describeRustc(runs)}, the first \`rustc\` on PATH: rustup's toolchain choice (rust-toolchain.toml, \`rustup default\`) does not reach the compiler`,
      fix: `put ${path.dirname(cargo)} before ${onPath ? path.dirname(onPath) : "that directory"} on PATH for rustup's compiler, or keep this one and say so: \`RUSTC=${seen.program} cargo build\``,
    };
  }
  return undefined;
}
