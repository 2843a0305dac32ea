/**
 * Sysroot benchmark (issue 6), per bare-metal target (all catalogue targets, or those named on the command line):
 *  - a cold `freestand sysroot` build into an empty cache: wall time and peak memory (GNU time, largest process);
 *  - the same small crate (build script, proc-macro, alloc) built from a clean target dir against the cached
 *    sysroot, beside the per-project alternative a user would otherwise run: `cargo build -Zbuild-std` with
 *    RUSTC_BOOTSTRAP=1, which compiles core/alloc/compiler_builtins into every project (target: at least 10x);
 *  - what a cache hit adds to a build: cargoInvocation (finding the compiler and checking the cached entry) in a
 *    fresh process, and a no-op `freestand build` beside a no-op `cargo build` (target: under 100 ms).
 * Run: npm run bench -- sysroot [triple...]   (or: node dist/bench/sysroot.js [triple...] after tsc)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TARGETS } from "../src/targets/catalog.js";
import { cargoInvocation } from "../src/toolchain/index.js";
import { peakMemory, ratio, timeCommand } from "./support/measure.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The CLI as installed: the bundle package.json's bin runs (scripts/bundle.mjs). */
const CLI = path.join(ROOT, "dist", "bin", "freestand.js");
const work = mkdtempSync(path.join(os.tmpdir(), "freestand-bench-sysroot-"));
const cache = path.join(work, "cache");

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { stdout: string; ms: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: opts.cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...opts.env }, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}:\n${r.stderr}`);
  return { stdout: r.stdout, ms };
}

/** A no_std library crate with a build script and a proc-macro dependency: build scripts use the host's std. */
function writeCrate(dir: string): void {
  mkdirSync(path.join(dir, "src"), { recursive: true });
  mkdirSync(path.join(dir, "answer", "src"), { recursive: true });
  writeFileSync(path.join(dir, "Cargo.toml"), `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nanswer = { path = "answer" }\n\n[profile.dev]\npanic = "abort"\n`);
  writeFileSync(path.join(dir, "answer", "Cargo.toml"), `[package]\nname = "answer"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\nproc-macro = true\n`);
  writeFileSync(path.join(dir, "answer", "src", "lib.rs"), `use proc_macro::TokenStream;\n#[proc_macro]\npub fn answer(_: TokenStream) -> TokenStream { "42".parse().unwrap() }\n`);
  writeFileSync(path.join(dir, "build.rs"), `fn main() { println!("cargo:rustc-env=BUILT_FOR={}", std::env::var("TARGET").unwrap()); }\n`);
  writeFileSync(
    path.join(dir, "src", "lib.rs"),
    `#![no_std]\nextern crate alloc;\nuse alloc::{string::String, vec::Vec};\n\npub const TARGET: &str = env!("BUILT_FOR");\n\n` +
      `pub fn render(values: &[u32]) -> String {\n    let mut out = String::new();\n    for v in values { core::fmt::write(&mut out, format_args!("{v:08x} ")).unwrap(); }\n    out\n}\n\n` +
      `pub fn table() -> Vec<u8> { (0..answer::answer!()).collect() }\n`,
  );
}

/** The library sources rustc-web's release ships (Debian's rust-web-src). */
function vendorLibrary(release: string): string {
  return `/usr/src/rustc-${release}/library`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** cargoInvocation timed inside a fresh Node process: no memoised probes, as in a real `freestand build`. */
function invocationMs(crate: string, triple: string): number {
  const script = `import { cargoInvocation } from ${JSON.stringify(path.join(ROOT, "dist", "src", "toolchain", "index.js"))};
const t0 = performance.now();
await cargoInvocation({ crateDir: ${JSON.stringify(crate)}, triple: ${JSON.stringify(triple)}, sysrootRoot: ${JSON.stringify(cache)} });
console.log(performance.now() - t0);`;
  const samples: number[] = [];
  for (let i = 0; i < 11; i++) samples.push(Number(run(process.execPath, ["--input-type=module", "-e", script]).stdout.trim()));
  return median(samples.slice(1));
}

const wanted = process.argv.slice(2);
const targets = TARGETS.filter((t) => t.flavour !== "host" && (wanted.length === 0 || wanted.includes(t.triple) || wanted.includes(t.id)));
if (targets.length === 0) throw new Error(`no bare-metal catalogue target matches ${wanted.join(", ")}`);

try {
  console.log(`cold sysroot builds into ${cache} (one at a time), then the same crate built two ways\n`);
  for (const t of targets) {
    const triple = t.triple;
    // 1. Cold sysroot build, wall and peak memory of the largest process (a rustc compiling core).
    const cold = peakMemory(process.execPath, [CLI, "sysroot", "--target", triple, "--dir", cache]);
    const hit = run(process.execPath, [CLI, "sysroot", "--target", triple, "--dir", cache]);
    if (!/^Cached /m.test(hit.stdout)) throw new Error(`second sysroot call was not a cache hit:\n${hit.stdout}`);

    // 2. The crate from a clean target dir: against the cached sysroot vs per-project -Zbuild-std.
    const crate = path.join(work, `app-${triple}`);
    writeCrate(crate);
    const inv = await cargoInvocation({ crateDir: crate, triple, sysrootRoot: cache });
    const sysrootEnv = { ...inv.env, CARGO_TARGET_DIR: path.join(crate, "target-sysroot") };
    const withSysroot = run(inv.cargo, ["build", "--target", triple, ...inv.args], { cwd: crate, env: sysrootEnv });
    const buildStd = run(
      inv.cargo,
      [
        "build",
        "--target",
        triple,
        "-Zbuild-std=core,alloc,compiler_builtins",
        "-Zbuild-std-features=compiler-builtins-mem",
        // Offline, as here, build-std needs the source tree's vendored crates too (what the sysroot builder uses).
        "--config",
        'source.crates-io.replace-with="vendored-std"',
        "--config",
        `source.vendored-std.directory=${JSON.stringify(path.join(vendorLibrary(inv.rustc.release), "vendor"))}`,
        "--config",
        "net.offline=true",
      ],
      { cwd: crate, env: { RUSTC: inv.rustc.path, RUSTC_BOOTSTRAP: "1", CARGO_TARGET_DIR: path.join(crate, "target-build-std") } },
    );

    // 3. What a cache hit adds: cargoInvocation alone; a no-op `freestand build` beside a no-op `cargo build`.
    const invMs = invocationMs(crate, triple);
    const fsBuild = timeCommand(process.execPath, [CLI, "build", "--target", triple, crate], {
      runs: 7,
      env: { ...process.env, FREESTAND_SYSROOT_DIR: cache, CARGO_TARGET_DIR: path.join(crate, "target-sysroot") },
    });
    const cargoNoop = timeCommand(inv.cargo, ["build", "--target", triple, ...inv.args], { runs: 7, cwd: crate, env: { ...process.env, ...sysrootEnv } });

    console.log(`${triple}`);
    console.log(`  cold sysroot build:          ${(cold.wallMs / 1000).toFixed(1)} s wall, peak ${(cold.maxRssKiB / 1024).toFixed(0)} MiB; cache hit ${hit.ms.toFixed(0)} ms (full checksum check)`);
    console.log(`  crate, clean target dir:     ${(withSysroot.ms / 1000).toFixed(2)} s against the cached sysroot vs ${(buildStd.ms / 1000).toFixed(1)} s with per-project -Zbuild-std: ${ratio(buildStd.ms, withSysroot.ms)} faster (target >= 10x)`);
    console.log(`  cache hit added to a build:  cargoInvocation ${invMs.toFixed(0)} ms (target < 100 ms); no-op freestand build ${fsBuild.median.toFixed(0)} ms vs no-op cargo build ${cargoNoop.median.toFixed(0)} ms (+${(fsBuild.median - cargoNoop.median).toFixed(0)} ms incl. Node start-up)`);
    console.log();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
