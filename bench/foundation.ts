/**
 * Foundation benchmark (issue 2): binary size of the host template against C, what core::fmt costs in the
 * generated hello, and the wall time of `freestand new` and `freestand --version` beside cargo's equivalents.
 * Run: npm run bench -- foundation   (or: node dist/bench/foundation.js after tsc)
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { timeCommand, ratio } from "./support/measure.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The CLI as installed: the bundle package.json's bin runs (scripts/bundle.mjs). */
const CLI = path.join(ROOT, "dist", "bin", "freestand.js");
const work = mkdtempSync(path.join(os.tmpdir(), "freestand-bench-"));

function run(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

function strippedSize(elf: string): number {
  const copy = `${elf}.stripped`;
  copyFileSync(elf, copy);
  run("strip", [copy]);
  return statSync(copy).size;
}

function newCrate(name: string): string {
  run(process.execPath, [CLI, "new", path.join(work, name), "--yes"]);
  return path.join(work, name);
}

function releaseElf(crate: string, name: string): string {
  run("cargo", ["build", "--release", "--quiet"], crate);
  return path.join(crate, "target", "x86_64-unknown-linux-gnu", "release", name);
}

try {
  // 1. The minimal program: the template's boot, console and exit, printing one constant line.
  const mini = newCrate("minimal");
  const mainRs = path.join(mini, "src", "main.rs");
  writeFileSync(
    mainRs,
    readFileSync(mainRs, "utf8").replace(/fn main\(\) -> ! \{[\s\S]*?\n\}\n/, 'fn main() -> ! {\n    use core::fmt::Write;\n    let _ = console::Fd(1).write_str("Hello, world!\\n");\n    console::exit(0)\n}\n'),
  );
  const miniElf = releaseElf(mini, "minimal");
  if (run(miniElf, []) !== "Hello, world!\n") throw new Error("the minimal program printed something else");
  const cSrc = path.join(work, "hello.c");
  writeFileSync(
    cSrc,
    `static long sys3(long n, long a, long b, long c) { long r; __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory"); return r; }
void _start(void) { static const char msg[] = "Hello, world!\\n"; sys3(1, 1, (long)msg, sizeof msg - 1); sys3(231, 0, 0, 0); for (;;) {} }
`,
  );
  const cElf = path.join(work, "hello-c");
  run("gcc", ["-Os", "-static", "-nostdlib", "-fno-pie", "-no-pie", "-fno-asynchronous-unwind-tables", "-Wl,-z,noseparate-code", "-Wl,--build-id=none", "-o", cElf, cSrc]);
  if (run(cElf, []) !== "Hello, world!\n") throw new Error("the C program printed something else");
  const rustSize = strippedSize(miniElf);
  const cSize = strippedSize(cElf);
  console.log("== Binary size, stripped (minimal program: one constant line, exit 0)");
  console.log(`freestand host template (release): ${rustSize} bytes`);
  console.log(`C, gcc -Os -static -nostdlib ...:  ${cSize} bytes`);
  console.log(`ratio: ${ratio(rustSize, cSize)} (target: at most 1.50x)`);

  // 2. The generated hello, with a formatted integer and float: what core::fmt costs.
  const hello = newCrate("hello");
  const helloElf = releaseElf(hello, "hello");
  console.log("\n== The generated hello (release)");
  console.log(`size: ${statSync(helloElf).size} bytes, stripped ${strippedSize(helloElf)} bytes (${ratio(strippedSize(helloElf), rustSize)} the minimal program)`);
  console.log("largest symbols:");
  const symbols = run("nm", ["--size-sort", "--reverse-sort", "-S", "--demangle", helloElf])
    .split("\n")
    .filter(Boolean)
    .slice(0, 10);
  for (const line of symbols) {
    const [, size, , ...name] = line.split(" ");
    console.log(`  ${String(parseInt(size!, 16)).padStart(6)}  ${name.join(" ")}`);
  }

  // 3. Wall time: `freestand new` beside `cargo new`, `freestand --version` beside `cargo --version`.
  const newTimes = timeWithFreshDir((dir) => [process.execPath, [CLI, "new", dir, "--yes"]]);
  const cargoNewTimes = timeWithFreshDir((dir) => ["cargo", ["new", "--vcs", "none", "--quiet", dir]]);
  const version = timeCommand(process.execPath, [CLI, "--version"]);
  const cargoVersion = timeCommand("cargo", ["--version"]);
  console.log("\n== Wall time (median of 15 runs)");
  console.log(`freestand new:       ${newTimes.toFixed(1)} ms (target: under 150 ms); cargo new: ${cargoNewTimes.toFixed(1)} ms; ratio ${ratio(newTimes, cargoNewTimes)}`);
  console.log(`freestand --version: ${version.median.toFixed(1)} ms (target: under 120 ms); cargo --version: ${cargoVersion.median.toFixed(1)} ms; ratio ${ratio(version.median, cargoVersion.median)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Median wall time of a command that needs a new, not yet existing directory each run. */
function timeWithFreshDir(make: (dir: string) => [string, string[]], runs = 15): number {
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const dir = path.join(work, `fresh-${Math.random().toString(36).slice(2)}`);
    const [cmd, args] = make(dir);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed`);
    if (i > 0) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}
