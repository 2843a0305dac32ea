/**
 * dependency_requires_std on a tree of 50 real crates compiled for the target (Debian's librust-*-dev sources,
 * offline), beside `cargo check` of the same tree from a clean target directory, in the same run.
 * Targets: the analysis under 1 s, and at least 10x faster than cargo check.
 *
 * Every timed run is a new Node process, as a user's `freestand check` is:
 * - cold: no scan cache (every crate read and parsed: the first check on a machine);
 * - warm: the scan cache from an earlier run (the usual case: the same dependencies, checked again).
 * The time is that of `analyzeDependencyStd` (cargo metadata included); the process's wall time (Node start,
 * module loading) is printed beside it.
 *
 *   node dist/bench/deps.js [--target <triple>] [--runs N]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { analyzeDependencyStd } from "../src/deps/analyze.js";
import { registryMissing, writeCrate } from "../test/deps/support.js";

const DEPS = `[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"
rand = "0.8"
rayon = "1"
indexmap = "1"
hashbrown = "0.12"
log = "0.4"
memchr = "2"
byteorder = "1"
smallvec = "1"
spin = "0.9"
bitflags = "1"
itoa = "1"
libm = "0.2"
lazy_static = "1"
once_cell = "1"
crossbeam-channel = "0.5"
erased-serde = "0.3"
tiny-keccak = { version = "2", features = ["sha3"] }
const-random = "0.1"
lock_api = "0.4"
bumpalo = "3"
memoffset = "0.6"
regex = { version = "1", default-features = false, features = ["std"] }
toml = "0.5"
parking_lot_core = "0.9"
arbitrary = { version = "1", features = ["derive"] }
owning_ref = "0.4"
sval = "=1.0.0-alpha.5"
value-bag = "=1.0.0-alpha.9"
serde_fmt = "1"
ctor = "0.1"
`;

interface Once {
  ms: number;
  crates: number;
  files: number;
  hits: number;
  flagged: number;
}

/** Child mode: one analysis, its time as JSON on stdout. */
async function once(manifestPath: string, target: string): Promise<void> {
  const t0 = performance.now();
  const r = await analyzeDependencyStd({ manifestPath, target });
  const ms = performance.now() - t0;
  const out: Once = { ms, crates: r.cratesChecked + 1, files: r.filesParsed, hits: r.cacheHits, flagged: r.findings.reduce((n, f) => n + f.crates.length, 0) };
  console.log(JSON.stringify(out));
}

function runChild(manifestPath: string, target: string, cacheFile: string): Once & { wallMs: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--once", manifestPath, target], {
    encoding: "utf8",
    env: { ...process.env, FREESTAND_DEPS_CACHE: cacheFile },
    timeout: 120_000,
  });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return { ...(JSON.parse(r.stdout.trim().split("\n").pop()!) as Once), wallMs };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  if (process.argv[2] === "--once") return once(process.argv[3]!, process.argv[4]!);
  const target = arg("--target") ?? "x86_64-unknown-linux-gnu";
  const runs = Number(arg("--runs") ?? 5);
  const missing = registryMissing(["serde", "rand", "rayon", "indexmap", "regex", "toml", "bumpalo", "arbitrary", "owning_ref", "sval", "value-bag", "serde_fmt", "ctor"]);
  if (missing) {
    console.log(`deps bench skipped: ${missing}`);
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "freestand-bench-deps-"));
  try {
    const dir = writeCrate(work, "bench_tree", DEPS);
    const manifestPath = path.join(dir, "Cargo.toml");
    // Resolve once so both tools start from the same lock file.
    // cargo reads .cargo/config.toml (the Debian directory source) from its working directory: run it in the crate.
    spawnSync("cargo", ["generate-lockfile", "--offline"], { cwd: dir, stdio: "ignore" });

    const cold: (Once & { wallMs: number })[] = [];
    for (let i = 0; i < runs; i++) cold.push(runChild(manifestPath, target, path.join(work, `cold-${i}.json`)));
    const warmFile = path.join(work, "warm.json");
    runChild(manifestPath, target, warmFile); // fills the cache
    const warm: (Once & { wallMs: number })[] = [];
    for (let i = 0; i < runs; i++) warm.push(runChild(manifestPath, target, warmFile));

    const t0 = performance.now();
    const r = spawnSync("cargo", ["check", "--offline", "--target", target, "--target-dir", path.join(work, "target")], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
      timeout: 600_000,
    });
    const cargoMs = performance.now() - t0;
    if (r.status !== 0) console.log(`note: cargo check exited ${r.status}: ${(r.stderr ?? "").trim().split("\n").slice(-2).join(" ")}`);

    const c0 = cold[0]!;
    console.log(`dependency tree: ${c0.crates} packages compiled for ${target} (cold: ${c0.files} Rust files parsed; ${c0.flagged} crates link std); ${os.loadavg()[0]!.toFixed(1)} load average`);
    console.log(`dependency_requires_std, cold (no scan cache), ${runs} new processes: ${fmt(cold.map((x) => x.ms))}; process wall ${fmt(cold.map((x) => x.wallMs))}`);
    console.log(
      `dependency_requires_std, warm (scan cache, ${warm[0]!.hits}/${warm[0]!.crates - 1} crates from it), ${runs} new processes: ${fmt(warm.map((x) => x.ms))}; process wall ${fmt(warm.map((x) => x.wallMs))}`,
    );
    console.log(`target < 1000 ms: cold ${median(cold.map((x) => x.ms)) < 1000 ? "met" : "NOT met"}, warm ${median(warm.map((x) => x.ms)) < 1000 ? "met" : "NOT met"}`);
    console.log(`cargo check (clean target dir): ${cargoMs.toFixed(0)} ms`);
    console.log(`ratio: ${(cargoMs / median(cold.map((x) => x.ms))).toFixed(1)}x faster than cargo check cold, ${(cargoMs / median(warm.map((x) => x.ms))).toFixed(1)}x warm (target >= 10x)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
