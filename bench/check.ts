/**
 * `freestand check` benchmarks, measured in one run:
 *  1. throughput on large real code nobody here wrote: the `core` and `alloc` sources of the installed Rust
 *     library sources (Debian's rust-web-src), in lines per second on one core, and peak memory (GNU time);
 *  2. side by side with `cargo check` (from a clean target directory) on real crates built offline from Debian's
 *     librust-*-dev sources: the wall-time ratio;
 *  3. start-up: `freestand --version` beside `node -e 0`, in the same run.
 * Targets: >= 100,000 lines/s, < 400 MB; `freestand check` on memchr (8k lines) at most 200 ms (median) and at
 * least 4x faster than cargo check; `--version` at most 1.3x `node -e 0`. The CLI measured is the installed one
 * (dist/bin, the bundle); tsc's unbundled output is shown beside it for what the bundle and the code cache save.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { peakMemory, ratio, row } from "./support/measure.js";
import { CARGO_CONFIG, DEBIAN_REGISTRY } from "../test/deps/support.js";

const SELF = fileURLToPath(import.meta.url);
const BIN = path.resolve(path.dirname(SELF), "../../dist/bin/freestand.js");
const UNBUNDLED = path.resolve(path.dirname(SELF), "../src/cli/main.js");

function librarySources(): string | undefined {
  const candidates = [...(existsSync("/usr/src") ? readdirSync("/usr/src").filter((d) => d.startsWith("rustc-")).sort().reverse().map((d) => path.join("/usr/src", d, "library")) : [])];
  const rustup = spawnSync("rustc", ["--print", "sysroot"], { encoding: "utf8" }).stdout?.trim();
  if (rustup) candidates.push(path.join(rustup, "lib/rustlib/src/rust/library"));
  return candidates.find((c) => existsSync(path.join(c, "core/Cargo.toml")) && existsSync(path.join(c, "alloc/Cargo.toml")));
}

/** Child mode: check core and alloc in this process and print what was read and how long it took. */
async function throughputChild(library: string): Promise<void> {
  const { check } = await import("../src/check/index.js");
  const t0 = process.hrtime.bigint();
  let lines = 0;
  let files = 0;
  let findings = 0;
  for (const krate of ["core", "alloc"]) {
    const r = await check(path.join(library, krate));
    lines += r.lines;
    files += r.packages.reduce((n, p) => n + p.crates.reduce((m, c) => m + c.files, 0), 0);
    findings += r.diagnostics.length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ lines, files, findings, seconds }) + "\n");
}

function wallMs(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; okCodes?: number[] } = {}): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", timeout: 600_000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!(opts.okCodes ?? [0]).includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}: ${r.stderr?.slice(-400)}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function registryCrate(name: string): string | undefined {
  if (!existsSync(DEBIAN_REGISTRY)) return undefined;
  const dirs = readdirSync(DEBIAN_REGISTRY).filter((d) => d.startsWith(`${name}-`) && /^\d/.test(d.slice(name.length + 1))).sort();
  return dirs.length ? path.join(DEBIAN_REGISTRY, dirs[dirs.length - 1]!) : undefined;
}

/** `freestand --version` beside `node -e 0`: what starting the CLI costs over starting node. */
function startup(): void {
  const node: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < 21; i++) {
    node.push(wallMs(process.execPath, ["-e", "0"]));
    version.push(wallMs(process.execPath, [BIN, "--version"]));
  }
  const n = median(node);
  const v = median(version);
  console.log(`start-up: node -e 0 ${n.toFixed(0)} ms, freestand --version ${v.toFixed(0)} ms = ${ratio(v, n)} (target <= 1.3x: ${v / n <= 1.3 ? "met" : "NOT met"}; medians of 21, interleaved)\n`);
}

async function main(): Promise<void> {
  const childIndex = process.argv.indexOf("--throughput-child");
  if (childIndex !== -1) return throughputChild(process.argv[childIndex + 1]!);

  console.log("freestand check: throughput on the Rust library sources, and beside cargo check on real crates\n");
  const library = librarySources();
  if (!library) {
    console.log("skipped throughput: no Rust library sources found (install rust-web-src, or `rustup component add rust-src`)");
  } else {
    const runs: { seconds: number; lines: number; files: number; findings: number; maxRssKiB: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const child = peakMemory(process.execPath, [SELF, "--throughput-child", library]);
      const r = spawnSync(process.execPath, [SELF, "--throughput-child", library], { encoding: "utf8" });
      const parsed = JSON.parse(r.stdout.trim().split("\n").pop()!);
      runs.push({ ...parsed, maxRssKiB: child.maxRssKiB });
    }
    const best = runs.reduce((a, b) => (a.seconds < b.seconds ? a : b));
    const peak = Math.max(...runs.map((r) => r.maxRssKiB));
    const perSec = Math.round(best.lines / best.seconds);
    console.log(`library sources: ${library} (core + alloc, every module file reached from the crate roots)`);
    console.log(`  ${best.files} files, ${best.lines.toLocaleString("en")} lines, ${best.findings} findings`);
    console.log(`  check (in-process, one core, best of 3): ${best.seconds.toFixed(2)} s = ${perSec.toLocaleString("en")} lines/s (target >= 100,000: ${perSec >= 100_000 ? "met" : "NOT met"})`);
    console.log(`  peak memory (GNU time, whole process): ${(peak / 1024).toFixed(0)} MB (target < 400 MB: ${peak / 1024 < 400 ? "met" : "NOT met"})\n`);
  }

  startup();
  const crates = ["hashbrown", "serde", "memchr"].map((n) => [n, registryCrate(n)] as const);
  const available = crates.filter(([, d]) => d);
  if (available.length === 0) {
    console.log(`skipped cargo check comparison: no crate sources under ${DEBIAN_REGISTRY} (scripts/env/30-check.sh installs librust-*-dev)`);
    return;
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), "freestand-bench-check-"));
  try {
    const widths = [12, 8, 20, 17, 12, 22];
    console.log(row(["crate", "lines", "cargo check (clean)", "freestand check", "ratio", "unbundled (dist/src)"], widths));
    for (const [name, src] of available) {
      const dir = path.join(scratch, name);
      cpSync(src!, dir, { recursive: true });
      rmSync(path.join(dir, ".cargo-checksum.json"), { force: true });
      mkdirSync(path.join(dir, ".cargo"), { recursive: true });
      writeFileSync(path.join(dir, ".cargo", "config.toml"), CARGO_CONFIG);
      // Debian packages the crates' dependencies, not their dev-dependencies: drop those so cargo can resolve.
      const manifest = path.join(dir, "Cargo.toml");
      writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/^\[(?:target\.[^\]]+\.)?dev-dependencies(?:\.[^\]]+)?\][^[]*/gm, ""));
      // Old crate sources on a new compiler trip `#![deny]` lints: cap them, as cargo does for every dependency.
      // cargo's own run first (it resolves and writes Cargo.lock, which then serves both tools).
      const cargoRuns: number[] = [];
      for (let i = 0; i < 3; i++) {
        const target = path.join(scratch, `target-${name}-${i}`);
        cargoRuns.push(wallMs("cargo", ["check", "--offline", "--quiet"], { cwd: dir, env: { ...process.env, CARGO_TARGET_DIR: target, RUSTFLAGS: "--cap-lints warn" } }));
        rmSync(target, { recursive: true, force: true });
      }
      const ours: number[] = [];
      const unbundled: number[] = [];
      for (let i = 0; i < 11; i++) {
        ours.push(wallMs(process.execPath, [BIN, "check", dir, "--format", "json"], { cwd: dir, okCodes: [0, 1] }));
        unbundled.push(wallMs(process.execPath, [UNBUNDLED, "check", dir, "--format", "json"], { cwd: dir, okCodes: [0, 1] }));
      }
      const lines = Number(spawnSync("sh", ["-c", `find '${dir}/src' -name '*.rs' -print0 | xargs -0 cat | wc -l`], { encoding: "utf8" }).stdout.trim());
      const c = median(cargoRuns);
      const f = median(ours);
      console.log(row([name, lines, `${(c / 1000).toFixed(2)} s`, `${f.toFixed(0)} ms`, `${ratio(c, f)} faster`, `${median(unbundled).toFixed(0)} ms`], widths));
      if (name === "memchr") {
        console.log(`  memchr: ${f.toFixed(0)} ms (target <= 200 ms: ${f <= 200 ? "met" : "NOT met"}), ${ratio(c, f)} cargo check (target >= 4x: ${c / f >= 4 ? "met" : "NOT met"})`);
      }
    }
    console.log("\n(cargo check: median of 3 from an empty target directory; freestand check: median of 11, the installed CLI as a user runs it, all rules,");
    console.log(" its code cache warm after the first run; the unbundled column runs tsc's output, interleaved with it.)");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
