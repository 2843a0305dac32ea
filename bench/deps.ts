/**
 * dependency_requires_std on a tree of more than 50 real crates (Debian's librust-*-dev sources, offline),
 * beside `cargo check` of the same tree from a clean target directory, in the same run.
 * Targets: the analysis under 1 s, and at least 10x faster than cargo check.
 *
 *   node dist/bench/deps.js [--target <triple>]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
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
`;

async function main(): Promise<void> {
  const targetArg = process.argv.indexOf("--target");
  const target = targetArg > 0 ? process.argv[targetArg + 1]! : "x86_64-unknown-linux-gnu";
  const missing = registryMissing(["serde", "rand", "rayon", "indexmap", "regex", "toml", "bumpalo"]);
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

    const times: number[] = [];
    let report;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      report = await analyzeDependencyStd({ manifestPath, target });
      times.push(performance.now() - t0);
    }
    const crates = report!.cratesChecked + 1;
    const flagged = report!.findings.flatMap((f) => f.crates.map((c) => c.name));
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[1]!;

    const t0 = performance.now();
    const r = spawnSync("cargo", ["check", "--offline", "--target", target, "--target-dir", path.join(work, "target")], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
      timeout: 600_000,
    });
    const cargoMs = performance.now() - t0;
    if (r.status !== 0) console.log(`note: cargo check exited ${r.status}: ${(r.stderr ?? "").trim().split("\n").slice(-2).join(" ")}`);

    console.log(`dependency tree: ${crates} packages for ${target} (${report!.filesParsed} Rust files parsed; ${flagged.length} crates link std)`);
    console.log(`dependency_requires_std: first ${times[0]!.toFixed(0)} ms, median of 3 ${median.toFixed(0)} ms (target < 1000 ms)`);
    console.log(`cargo check (clean target dir): ${cargoMs.toFixed(0)} ms`);
    console.log(`ratio: ${(cargoMs / median).toFixed(1)}x faster than cargo check (target >= 10x)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
