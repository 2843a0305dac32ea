import { randomBytes } from "node:crypto";
import { promises as fsp } from "node:fs";
import path from "node:path";
import { FreestandError } from "../errors.js";
import { isExecutable, which } from "../util/fs.js";
import { capture, stream } from "../util/process.js";
import {
  MANIFEST_NAME,
  SYSROOT_FORMAT,
  checkEntry,
  defaultSysrootRoot,
  rustcFingerprint,
  sha256File,
  sysrootDirFor,
  targetDir,
  type ManifestFile,
  type SysrootManifest,
} from "./cache.js";
import { findSystemLld, lldPackageFor, needsRustLld, rustLldPath } from "./linker.js";
import { candidateRustcPrograms, findCargo, findRustc, probeRustc, releaseNumber } from "./rustc.js";
import { librarySourceCandidates, matchingSources, type LibrarySources } from "./sources.js";
import type { RustcInfo } from "./types.js";
import { LineSplitter } from "../util/lines.js";

export interface SysrootBuildOptions {
  /** The target triple to build `core`, `compiler_builtins` and `alloc` for. */
  target: string;
  /** A specific compiler; default: the one cargo would use, or another one on this machine with matching sources. */
  rustc?: string;
  /** A specific Rust source tree (its root or its `library/`); default: found for the compiler. */
  src?: string;
  /** Cache root; default FREESTAND_SYSROOT_DIR or the XDG cache. One sub-directory per compiler. */
  dir?: string;
  /** Rebuild even when the cache entry is whole. */
  force?: boolean;
  /** Progress lines ("Compiling core"), for a spinner or plain output. */
  onProgress?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds for the cargo build (default 15 minutes). */
  timeout?: number;
}

export interface SysrootBuildResult {
  /** Pass this with `--sysroot`. */
  sysroot: string;
  target: string;
  rustc: RustcInfo;
  sources: { dir: string; version?: string };
  /** True when the entry was already whole and nothing was built. */
  cached: boolean;
  /** Why an existing entry was rebuilt (corrupted, another compiler, --force). */
  rebuiltBecause?: string;
  buildSeconds: number;
  files: ManifestFile[];
  notes: string[];
}

function versionOf(rustc: RustcInfo): string {
  return releaseNumber(rustc.release);
}

function mismatchMessage(rustc: RustcInfo, found: LibrarySources[], alternative?: RustcInfo): string {
  const list = found.map((s) => `${s.dir} (${s.version ? `Rust ${s.version}` : "version unknown"})`).join(", ");
  const fix = alternative
    ? `pass \`--rustc ${alternative.path}\` (rustc ${alternative.release}, whose sources are installed)`
    : rustc.rustupToolchain
      ? `install the matching sources with \`rustup component add rust-src --toolchain ${rustc.rustupToolchain}\``
      : `install the sources of Rust ${versionOf(rustc)}`;
  return `rustc ${rustc.release} (${rustc.path}) does not match the library sources at ${list}: a \`core\` built from them would be rejected by that compiler (E0514); ${fix}.`;
}

/**
 * Picks the compiler and the library sources to build with. An explicit compiler must have matching sources
 * (refused before building otherwise, naming both versions). Without one, the compiler cargo would use is
 * preferred, then any other compiler on this machine whose sources are installed (Debian's rustc-web).
 */
export async function chooseCompilerAndSources(opts: Pick<SysrootBuildOptions, "rustc" | "src" | "env">): Promise<{
  rustc: RustcInfo;
  sources: LibrarySources;
  notes: string[];
}> {
  const env = opts.env ?? process.env;
  const first = await findRustc({ env, explicit: opts.rustc });
  const firstCandidates = await librarySourceCandidates(first, opts.src);
  const firstMatch = matchingSources(first, firstCandidates);
  if (firstMatch) return { rustc: first, sources: firstMatch, notes: [] };
  if (opts.src && firstCandidates.length === 0) throw new FreestandError(`${opts.src} holds no Rust library sources (no core/ and alloc/ directories).`);

  let alternative: { rustc: RustcInfo; sources: LibrarySources } | undefined;
  for (const program of await candidateRustcPrograms(env)) {
    const other = await probeRustc(program, "PATH", { env }).catch(() => undefined);
    if (!other || other.verbose === first.verbose) continue;
    const m = matchingSources(other, await librarySourceCandidates(other, opts.src));
    if (m) {
      alternative = { rustc: other, sources: m };
      break;
    }
  }
  if (opts.rustc || !alternative) {
    if (firstCandidates.length === 0 && !alternative) {
      const how = first.rustupToolchain
        ? `\`rustup component add rust-src --toolchain ${first.rustupToolchain}\``
        : "`apt-get install rust-web-src` (with rustc-web) or your distribution's rust-src package";
      throw new FreestandError(`no Rust library sources found for rustc ${first.release} (${first.path}); install them with ${how}.`);
    }
    throw new FreestandError(mismatchMessage(first, firstCandidates, alternative?.rustc));
  }
  return {
    ...alternative,
    notes: [`rustc ${first.release} (${first.path}) has no matching library sources; using rustc ${alternative.rustc.release} (${alternative.rustc.path}) with ${alternative.sources.dir}.`],
  };
}

/** The empty `#![no_std]` crate whose only purpose is to make cargo build the standard library crates. */
async function writeBuilderCrate(dir: string, sources: LibrarySources): Promise<void> {
  await fsp.mkdir(path.join(dir, "src"), { recursive: true });
  await fsp.mkdir(path.join(dir, ".cargo"), { recursive: true });
  await fsp.writeFile(
    path.join(dir, "Cargo.toml"),
    `[package]\nname = "freestand-sysroot"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[lib]\npath = "src/lib.rs"\n\n` +
      `[profile.release]\npanic = "abort"\n`,
  );
  await fsp.writeFile(path.join(dir, "src", "lib.rs"), "#![no_std]\n");
  // compiler_builtins has crates.io dependencies: the source tree vendors them, so the build needs no network.
  const vendor = sources.vendored
    ? `[source.crates-io]\nreplace-with = "vendored-std"\n\n[source.vendored-std]\ndirectory = ${JSON.stringify(path.join(sources.dir, "vendor"))}\n\n`
    : "";
  await fsp.writeFile(path.join(dir, ".cargo", "config.toml"), `${vendor}[net]\noffline = true\n`);
}

/** A clean environment for the build: the user's rustflags, target dir and wrappers must not leak into `core`. */
function builderEnv(base: NodeJS.ProcessEnv, rustc: RustcInfo, sources: LibrarySources, work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (/^(RUSTFLAGS|CARGO_ENCODED_RUSTFLAGS|RUSTDOCFLAGS|CARGO_BUILD_.*|CARGO_TARGET_.*|CARGO_PROFILE_.*|RUSTC_WRAPPER|RUSTC_WORKSPACE_WRAPPER|CARGO_INCREMENTAL|CARGO_HOME|CARGO)$/.test(k)) continue;
    env[k] = v;
  }
  env.RUSTC = rustc.path;
  // -Zbuild-std is unstable; the bootstrap switch lets a stable cargo and rustc accept it for this one build.
  env.RUSTC_BOOTSTRAP = "1";
  // A private CARGO_HOME: the user's ~/.cargo/config.toml cannot change how `core` is built.
  env.CARGO_HOME = path.join(work, "cargo-home");
  env.CARGO_TARGET_DIR = path.join(work, "target");
  // The prebuilt std embeds bitcode so that crates using `lto = true` link against it; ours must too.
  env.CARGO_ENCODED_RUSTFLAGS = "-Cembed-bitcode=yes";
  // cargo looks for the sources in the compiler's sysroot; when they live elsewhere (a --src, /usr/src) say where.
  env.__CARGO_TESTS_ONLY_SRC_ROOT = sources.dir;
  return env;
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(value, null, 2) + "\n");
  await fsp.rename(tmp, file);
}

/**
 * Puts `<sysroot>/lib/rustlib/<host>/bin/rust-lld` in place (atomically), for targets that link with lld, and
 * points it again at a better match when one appears (an lld of the compiler's own LLVM installed later).
 */
async function ensureRustLld(sysroot: string, rustc: RustcInfo, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const dest = rustLldPath(sysroot, rustc.host);
  // The compiler's own rust-lld matches its LLVM best; Debian's rustc-web has none, so the distribution's lld of
  // the same LLVM (else any ld.lld) stands in.
  const own = rustLldPath(rustc.sysroot, rustc.host);
  const target = (await isExecutable(own)) ? own : ((await findSystemLld(env.PATH, rustc.llvmVersion))?.path ?? (await which("rust-lld", env.PATH)));
  const current = (await isExecutable(dest)) ? await fsp.realpath(dest) : undefined;
  if (current && (!target || current === (await fsp.realpath(target)))) return current;
  if (!target) return undefined;
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${randomBytes(4).toString("hex")}.tmp`;
  await fsp.symlink(target, tmp);
  await fsp.rename(tmp, dest);
  return target;
}

const RLIB = /^lib(.+)-[0-9a-f]+\.rlib$/;

/**
 * Builds (or finds in the cache) `core`, `compiler_builtins` and `alloc` for one target from the compiler's own
 * library sources, offline. The entry is built in a private directory and renamed into place, so a concurrent
 * build or an interrupted one never leaves a half-written `core` where builds look for it.
 */
export async function buildSysroot(opts: SysrootBuildOptions): Promise<SysrootBuildResult> {
  const env = opts.env ?? process.env;
  const progress = opts.onProgress ?? (() => {});
  const { rustc, sources, notes } = await chooseCompilerAndSources(opts);
  const root = opts.dir ? path.resolve(opts.dir) : defaultSysrootRoot(env);
  const sysroot = sysrootDirFor(rustc, root);
  const triple = opts.target;

  const targets = await capture(rustc.path, ["--print", "target-list"], { env, timeout: 30_000 });
  if (targets.exitCode === 0 && !targets.stdout.split("\n").includes(triple)) {
    throw new FreestandError(`rustc ${rustc.release} does not know the target \`${triple}\` (see \`rustc --print target-list\`).`);
  }

  const state = await checkEntry(sysroot, triple, rustc, "full");
  let rebuiltBecause: string | undefined;
  if (state.ok && !opts.force) {
    if (needsRustLld(triple)) await ensureRustLld(sysroot, rustc, env);
    const m = state.manifest;
    if (!m.rustc.fingerprint || !m.rustc.sysroot || !m.rustc.host) {
      // An entry from an earlier freestand: record the compiler's identity so builds need not run it to check.
      m.rustc = { ...m.rustc, sysroot: rustc.sysroot, host: rustc.host, fingerprint: await rustcFingerprint(rustc.path) };
      await writeJsonAtomic(path.join(targetDir(sysroot, triple), MANIFEST_NAME), m);
    }
    return { sysroot, target: triple, rustc, sources: m.sources, cached: true, buildSeconds: 0, files: m.files, notes };
  }
  if (opts.force) rebuiltBecause = "--force was given";
  else if (!state.ok && state.exists) rebuiltBecause = `the cached entry was damaged: ${state.reason}`;
  if (rebuiltBecause) progress(`rebuilding ${triple}: ${rebuiltBecause}`);

  const cargo = await findCargo(env);
  if (!cargo) throw new FreestandError("cargo was not found on PATH; it is needed to build the sysroot.");

  await fsp.mkdir(sysroot, { recursive: true });
  await removeAbandonedBuilds(sysroot);
  const work = await fsp.mkdtemp(path.join(sysroot, `.build-${triple}-${process.pid}-`));
  const started = Date.now();
  try {
    const crate = path.join(work, "crate");
    await writeBuilderCrate(crate, sources);
    progress(`building core, compiler_builtins and alloc for ${triple} with rustc ${rustc.release} from ${sources.dir}`);
    await buildStd(cargo, crate, triple, builderEnv(env, rustc, sources, work), opts.timeout ?? 15 * 60_000, progress);
    // Stage the finished target directory next to its final place, then rename it in one step.
    const stage = path.join(work, "stage");
    const files = await stageRlibs(path.join(work, "target", triple, "release", "deps"), path.join(stage, "lib"));
    if (!files.some((f) => f.name.startsWith("libcore-"))) throw new FreestandError(`cargo finished but produced no libcore for ${triple}.`);
    const linker = needsRustLld(triple) ? await ensureRustLld(sysroot, rustc, env) : undefined;
    const buildSeconds = (Date.now() - started) / 1000;
    const manifest: SysrootManifest = {
      format: SYSROOT_FORMAT,
      target: triple,
      rustc: {
        path: rustc.path,
        release: rustc.release,
        commitHash: rustc.commitHash,
        verbose: rustc.verbose,
        sysroot: rustc.sysroot,
        host: rustc.host,
        fingerprint: await rustcFingerprint(rustc.path),
      },
      sources: { dir: sources.dir, version: sources.version },
      linker,
      builtAt: new Date().toISOString(),
      buildSeconds,
      files,
    };
    await writeJsonAtomic(path.join(stage, MANIFEST_NAME), manifest);
    await installStaged(stage, sysroot, triple, rustc, work);
    if (!linker && needsRustLld(triple)) notes.push(`no rust-lld or ld.lld was found to link this target: install one with \`apt-get install ${lldPackageFor(rustc.llvmVersion)}\`.`);
    progress(`built ${triple} in ${buildSeconds.toFixed(1)} s`);
    return { sysroot, target: triple, rustc, sources: manifest.sources, cached: false, rebuiltBecause, buildSeconds, files, notes };
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}

/** `cargo build -Zbuild-std` of the builder crate, its progress reported per crate; its first error on failure. */
async function buildStd(cargo: string, crate: string, triple: string, env: NodeJS.ProcessEnv, timeout: number, progress: (line: string) => void): Promise<void> {
  let stderrTail = "";
  const stderr = new LineSplitter((line) => {
    stderrTail = (stderrTail + line + "\n").slice(-4000);
    const m = /^\s*Compiling (\S+)/.exec(line);
    if (m && m[1] !== "freestand-sysroot") progress(`compiling ${m[1]}`);
  });
  const result = await stream(
    cargo,
    [
      "build",
      "--release",
      "--target",
      triple,
      "-Zbuild-std=core,alloc,compiler_builtins",
      // Bare-metal targets have no libc: compiler_builtins provides memcpy & co., as in rustup's rust-std.
      "-Zbuild-std-features=compiler-builtins-mem",
    ],
    {
      cwd: crate,
      env,
      timeout,
      onStderr: (chunk) => stderr.push(chunk),
    },
  );
  stderr.end();
  if (result.interrupted) throw new FreestandError("the sysroot build was interrupted; nothing was cached.", 130);
  if (result.timedOut) throw new FreestandError(`the sysroot build for ${triple} took too long and was stopped; nothing was cached.`);
  if (result.exitCode !== 0) {
    const lines = stderrTail.trim().split("\n");
    const firstError = lines.find((l) => /^error/.test(l)) ?? lines.at(-1) ?? "";
    throw new FreestandError(`building core for ${triple} failed (cargo exit ${result.exitCode ?? result.signal}): ${firstError.trim()}`);
  }
}

/** Copies the built rlibs (not the builder crate's own) into `stageLib`, with their sizes and checksums. */
async function stageRlibs(deps: string, stageLib: string): Promise<ManifestFile[]> {
  await fsp.mkdir(stageLib, { recursive: true });
  const files: ManifestFile[] = [];
  for (const name of (await fsp.readdir(deps)).sort()) {
    const m = RLIB.exec(name);
    if (!m || m[1] === "freestand_sysroot") continue;
    await fsp.copyFile(path.join(deps, name), path.join(stageLib, name));
    const st = await fsp.stat(path.join(stageLib, name));
    files.push({ name, size: st.size, sha256: await sha256File(path.join(stageLib, name)) });
  }
  return files;
}

/**
 * Build directories of freestand processes that died without cleaning up (SIGKILL, power loss): each is named
 * after its process id, and one whose process no longer exists is removed.
 */
async function removeAbandonedBuilds(sysroot: string): Promise<void> {
  for (const name of await fsp.readdir(sysroot).catch(() => [] as string[])) {
    const m = /^\.build-.+-(\d+)-[A-Za-z0-9]{6}$/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") await fsp.rm(path.join(sysroot, name), { recursive: true, force: true });
    }
  }
}

/** Renames the staged target directory into the sysroot; a damaged entry in the way is moved aside first. */
async function installStaged(stage: string, sysroot: string, triple: string, rustc: RustcInfo, work: string): Promise<void> {
  const dest = targetDir(sysroot, triple);
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fsp.rename(stage, dest);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw err;
    }
    // Someone else finished the same entry first: keep theirs if it is whole.
    if ((await checkEntry(sysroot, triple, rustc, "quick")).ok) return;
    const aside = path.join(work, `damaged-${attempt}`);
    await fsp.rename(dest, aside).catch(() => {});
  }
  throw new FreestandError(`could not install the built sysroot at ${dest}; another process keeps replacing it.`);
}
