/**
 * Bare-metal targets benchmark (issue 5), for every catalogue target that is ready here:
 *  - release flash size (from `freestand size`) of the generated hello, and of a minimal program (the template's
 *    boot, console and exit printing one constant line); for thumbv7m-none-eabi the minimal program beside the
 *    same program in C built with arm-none-eabi-gcc -Os -nostdlib (same memory map, its own vector table and
 *    reset code), ratio printed (target: at most 1.5x);
 *  - the time from `freestand new` to the greeting printed by QEMU, with a warm sysroot (target: under 10 s),
 *    beside the same crate built with cargo directly and booted with QEMU directly.
 * Run: npm run bench -- targets   (or: node dist/bench/targets.js after tsc)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ratio } from "./support/measure.js";
import { TARGETS } from "../src/targets/catalog.js";
import { BOARDS } from "../src/targets/boards.js";
import type { TargetInfo } from "../src/targets/types.js";
import { cargoInvocation } from "../src/toolchain/index.js";
import { qemuCommand } from "../src/run/qemu.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The CLI as installed: the bundle package.json's bin runs (scripts/bundle.mjs). */
const CLI = path.join(ROOT, "dist", "bin", "freestand.js");
const C_FIXTURE = path.join(ROOT, "bench", "fixtures", "thumbv7m-minimal-c");
const work = mkdtempSync(path.join(os.tmpdir(), "freestand-bench-targets-"));

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; ok?: number[] } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...opts.env }, maxBuffer: 64 << 20 });
  if (!(opts.ok ?? [0]).includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

function cli(args: string[]): string {
  return run(process.execPath, [CLI, ...args]);
}

/**
 * What the program occupies in flash: code, read-only data and the initial values of .data — the Berkeley
 * text + data of `freestand size`. For the Cortex-M targets that is exactly its flash figure; the targets QEMU
 * loads straight into RAM have no flash region (their flash figure is 0), and text + data is their load image.
 */
function flashSize(elf: string): number {
  const report = JSON.parse(cli(["size", elf, "--format", "json", "--top", "1"])) as { berkeley: { text: number; data: number } };
  return report.berkeley.text + report.berkeley.data;
}

function releaseElf(crate: string, target: TargetInfo): string {
  cli(["build", crate, "--release"]);
  return path.join(crate, "target", target.triple, "release", path.basename(crate));
}

/** The generated program cut down to boot + console + exit: one constant line, no formatting anywhere. */
function makeMinimal(crate: string): void {
  const file = path.join(crate, "src", "main.rs");
  let src = readFileSync(file, "utf8");
  const start = src.indexOf("fn main() -> ! {");
  const endMarker = "    console::exit(0)\n}";
  const end = src.indexOf(endMarker, start) + endMarker.length;
  src = `${src.slice(0, start)}fn main() -> ! {\n    use core::fmt::Write as _;\n    let _ = console::Console.write_str("Hello, world!\\n");\n    console::exit(0)\n}${src.slice(end)}`;
  src = src.replace('    println!("{info}");\n', "    let _ = info;\n");
  writeFileSync(file, src);
}

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function ready(target: TargetInfo): boolean {
  const list = JSON.parse(run(process.execPath, [CLI, "targets", "--format", "json"], { ok: [0, 1] })) as { id: string; ready: boolean }[];
  // A board is ready when its target is.
  return list.find((t) => t.id === (target.board?.base ?? target.id))?.ready ?? false;
}

try {
  const targets = [...TARGETS.filter((t) => t.flavour === "qemu"), ...BOARDS];
  const sizes: string[] = [];
  const times: string[] = [];
  for (const target of targets) {
    if (!ready(target)) {
      sizes.push(`${target.id.padEnd(30)} skipped: not ready here (see \`freestand targets\`)`);
      continue;
    }
    const dir = path.join(work, target.id);
    const kind = target.board ? "--board" : "--target";

    // Time from `freestand new` to the greeting, then the same crate built and booted by hand.
    const crate = path.join(dir, "hello");
    const t0 = process.hrtime.bigint();
    cli(["new", crate, kind, target.id, "--yes"]);
    const out = cli(["run", crate]);
    const viaFreestand = ms(t0);
    if (!out.includes("The answer is 42")) throw new Error(`${target.id}: no greeting in ${JSON.stringify(out)}`);

    const manual = path.join(dir, "manual");
    cli(["new", manual, kind, target.id, "--yes"]);
    const inv = await cargoInvocation({ crateDir: manual, triple: target.triple });
    const t1 = process.hrtime.bigint();
    run(inv.cargo, ["build", "--quiet", ...inv.args], { cwd: manual, env: inv.env });
    const { binary, args } = qemuCommand(path.join(manual, "target", target.triple, "debug", "manual"), target);
    // isa-debug-exit: the template writes code + 1, so exit 0 is QEMU's status ((0 + 1) << 1) | 1 = 3.
    const manualOut = run(binary, args, { ok: target.exit.kind === "isa-debug-exit" ? [3] : [0] });
    const byHand = ms(t1);
    if (!manualOut.includes("The answer is 42")) throw new Error(`${target.id}: no greeting from the manual run`);
    times.push(
      `${target.id.padEnd(30)} new → greeting ${(viaFreestand / 1000).toFixed(2)} s (target < 10 s: ${viaFreestand < 10_000 ? "met" : "MISSED"}); ` +
        `cargo build + qemu by hand ${(byHand / 1000).toFixed(2)} s; ratio ${ratio(viaFreestand, byHand)}`,
    );

    // Release flash sizes.
    const hello = flashSize(releaseElf(crate, target));
    const minimal = path.join(dir, "minimal");
    cli(["new", minimal, kind, target.id, "--yes"]);
    makeMinimal(minimal);
    const minimalElf = releaseElf(minimal, target);
    const bootOut = cli(["run", minimalElf, "--target", target.id]);
    if (bootOut !== "Hello, world!\n") throw new Error(`${target.id}: the minimal program printed ${JSON.stringify(bootOut)}`);
    const min = flashSize(minimalElf);
    let line = `${target.id.padEnd(30)} hello ${String(hello).padStart(6)} B   minimal ${String(min).padStart(5)} B`;

    if (target.id === "thumbv7m-none-eabi") {
      const celf = path.join(dir, "minimal-c.elf");
      run("arm-none-eabi-gcc", [
        "-mcpu=cortex-m3", "-mthumb", "-Os", "-nostdlib", "-ffreestanding",
        // Keep GCC from turning the .bss/.data loops into memset/memcpy calls that -nostdlib cannot satisfy.
        "-fno-tree-loop-distribute-patterns",
        "-ffunction-sections", "-fdata-sections", "-Wl,--gc-sections",
        "-T", path.join(C_FIXTURE, "link.ld"), path.join(C_FIXTURE, "minimal.c"), "-o", celf,
      ]);
      const cOut = cli(["run", celf, "--target", target.id]);
      if (cOut !== "Hello, world!\n") throw new Error(`the C program printed ${JSON.stringify(cOut)}`);
      const c = flashSize(celf);
      line += `   C (arm-none-eabi-gcc -Os) ${c} B   Rust/C ${ratio(min, c)} (target <= 1.5x: ${min / c <= 1.5 ? "met" : "MISSED"})`;
    }
    sizes.push(line);
  }
  console.log("Release flash size (freestand size, text + data: code, read-only data, .data image; for targets QEMU loads into RAM, the load image):");
  for (const l of sizes) console.log(`  ${l}`);
  console.log("\nTime from `freestand new` to the greeting in QEMU (debug build, warm sysroot):");
  for (const l of times) console.log(`  ${l}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
