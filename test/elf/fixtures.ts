import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { MemoryRegion, TargetInfo } from "../../src/targets/types.js";
import { requireTarget } from "../../src/targets/catalog.js";
import { cargoBuild, compile, FIXTURES, missing, mustRun, scratch } from "./build-helpers.js";

/**
 * The ELF files of the ELF tests, each built here with the real tools from test/fixtures/elf/ (memoised per test
 * process). Every builder says in its name what it makes; `need` says which tools it requires, so a test can skip
 * with that reason when one is missing.
 */

const memo = new Map<string, string>();
function once(key: string, build: () => string): string {
  let p = memo.get(key);
  if (!p) {
    p = build();
    memo.set(key, p);
  }
  return p;
}

const HOST_STATIC = ["-nostdlib", "-static", "-no-pie", "-O1"];

export const elf = {
  /** A freestanding static x86_64 program (its own _start, no libc): passes every host check. */
  freestanding: () => once("freestanding", () => compile("gcc", ["freestanding.c"], "freestanding", HOST_STATIC)),
  /** Same source linked as a static-PIE with an absolute pointer: carries a relative relocation nothing applies. */
  staticPie: () => once("static-pie", () => compile("gcc", ["freestanding.c"], "static-pie", ["-nostdlib", "-static-pie", "-fPIE", "-O1", "-DWITH_POINTER"])),
  /** The entry function named `begin` instead of `_start`: GNU ld warns and uses the start of .text. */
  noStart: () => once("no-start", () => compile("gcc", ["freestanding.c"], "no-start", [...HOST_STATIC, "-DNO_START"])),
  /** Linked with -N (--omagic): text and data in one writable and executable segment. */
  rwx: () => once("rwx", () => compile("gcc", ["freestanding.c"], "rwx", [...HOST_STATIC, "-Wl,-N", "-Wl,--no-warn-rwx-segments"])),
  /** Linked with -z execstack. */
  execStack: () => once("exec-stack", () => compile("gcc", ["freestanding.c"], "exec-stack", [...HOST_STATIC, "-Wl,-z,execstack", "-Wl,--no-warn-execstack"])),
  /** A shared library (the one the undefined-symbol variant uses). */
  sharedLib: () => once("libhook", () => compile("gcc", ["hook.c"], "libhook.so", ["-shared", "-fPIC", "-O1"])),
  /** Dynamically linked against libhook.so without libc: `not_defined_anywhere` stays undefined. */
  undefinedSymbol: () =>
    once("undefined", () => {
      const lib = elf.sharedLib();
      return compile("gcc", ["freestanding.c"], "undefined", ["-nostdlib", "-no-pie", "-O1", "-DUNDEFINED"], [`-L${path.dirname(lib)}`, "-lhook"]);
    }),
  /** A PIE without libc, with a weak reference nothing defines (kept in .dynsym for the loader). */
  weakUndefined: () => once("weak", () => compile("gcc", ["freestanding.c"], "weak", ["-nostdlib", "-fPIE", "-pie", "-O1", "-DWEAK"])),
  /** -nostartfiles but not -nostdlib/-static: memcpy comes from the dynamic libc. */
  libcMemcpy: () => once("libc-memcpy", () => compile("gcc", ["freestanding.c"], "libc-memcpy", ["-nostartfiles", "-no-pie", "-O1", "-DLIBC"])),
  /** An ordinary dynamic C program (PIE, interpreter, libc). */
  helloDynamic: () => once("hello", () => compile("gcc", ["hello.c"], "hello", ["-O1"])),
  /** The same program linked statically with glibc. */
  helloStatic: () => once("hello-static", () => compile("gcc", ["hello.c"], "hello-static", ["-O1", "-static"])),
  /** An object file. */
  object: () => once("object", () => compile("gcc", ["hello.c"], "hello.o", ["-O1", "-c"])),
  /** A Cortex-M image, vector table at 0 and RAM at 0x2000_0000 (options vary it). */
  cortexM: (variant: "ok" | "ram-elsewhere" | "vector-misplaced" | "big-bss" | "stack-region" | "big-frame" = "ok") =>
    once(`cortex-m-${variant}`, () => {
      const ram = variant === "ram-elsewhere" ? "0x10000000" : "0x20000000";
      // A 4 KiB stack region (freestand's link.x names it so), and Reset calling a function with an 8 KiB frame.
      const region = ["-Wl,--defsym=_stack_bottom=_stack_top-0x1000"];
      const defs =
        variant === "vector-misplaced"
          ? ['-DVECTOR_SECTION=".text.vectors"']
          : variant === "big-bss"
            ? ["-DBSS_WORDS=20000"]
            : variant === "stack-region"
              ? region
              : variant === "big-frame"
                ? [...region, "-DBIG_FRAME=8192"]
                : [];
      return compile("arm-none-eabi-gcc", ["cortex-m.c"], `cortex-m-${variant}.elf`, [
        "-mcpu=cortex-m3",
        "-mthumb",
        "-O1",
        "-nostdlib",
        "-nostartfiles",
        "-T",
        path.join(FIXTURES, "c", "cortex-m.ld"),
        `-Wl,--defsym=RAM_START=${ram}`,
        ...defs,
      ]);
    }),
  /** An ARM object file. */
  armObject: () => once("arm-object", () => compile("arm-none-eabi-gcc", ["cortex-m.c"], "cortex-m.o", ["-mcpu=cortex-m3", "-mthumb", "-O1", "-c"])),
  /** A minimal x86_64 kernel with (or without) the PVH note. */
  pvh: (withNote = true) =>
    once(`pvh-${withNote}`, () => compile("gcc", ["pvh.S"], withNote ? "pvh.elf" : "pvh-no-note.elf", ["-nostdlib", "-static", "-no-pie", "-T", path.join(FIXTURES, "c", "pvh.ld"), ...(withNote ? [] : ["-DNO_NOTE"])])),
  /** A freestanding 32-bit big-endian PowerPC program. */
  powerpc: () => once("ppc", () => compile("powerpc-linux-gnu-gcc", ["ppc.c"], "ppc.elf", ["-nostdlib", "-static", "-O1"])),
  /** The Rust host fixture crate as it is, or with its `no_mangle` line removed. */
  rustEntry: (withNoMangle = true) =>
    once(`rust-entry-${withNoMangle}`, () => {
      const dir = cargoBuild("rust-entry", [], {}, (d) => {
        if (withNoMangle) return;
        const main = path.join(d, "src", "main.rs");
        writeFileSync(main, readFileSync(main, "utf8").replace(/^#\[unsafe\(no_mangle\)\].*\n/m, ""));
      });
      const exe = path.join(dir, "target", "debug", "rust-entry");
      if (!existsSync(exe)) throw new Error("cargo did not produce target/debug/rust-entry");
      return exe;
    }),
};

export const needs = {
  gcc: () => missing("gcc"),
  arm: () => missing("arm-none-eabi-gcc"),
  ppc: () => missing("powerpc-linux-gnu-gcc"),
  cargo: () => missing("cargo"),
};

const FLASH: MemoryRegion = { name: "FLASH", origin: 0x0, length: 256 * 1024, kind: "flash" };
const RAM: MemoryRegion = { name: "RAM", origin: 0x2000_0000, length: 64 * 1024, kind: "ram" };

/** A Cortex-M3 target record like the catalogue's lm3s6965evb one, matching test/fixtures/elf/c/cortex-m.ld. */
export const cortexMTarget: TargetInfo = {
  ...requireTarget("host"),
  id: "thumbv7m-none-eabi",
  triple: "thumbv7m-none-eabi",
  description: "test Cortex-M3",
  flavour: "qemu",
  elf: { machine: "arm", class: 32, endian: "little" },
  entrySymbol: "Reset",
  defaultPanicStrategy: "abort",
  memory: [FLASH, RAM],
  stackSize: 4096,
  exit: { kind: "semihosting" },
};

/** An x86_64 bare-metal target record: QEMU's -kernel, which needs the PVH note. */
export const x86NoneTarget: TargetInfo = {
  ...requireTarget("host"),
  id: "x86_64-unknown-none",
  triple: "x86_64-unknown-none",
  description: "test x86_64 kernel",
  flavour: "qemu",
  entrySymbol: "_start",
  defaultPanicStrategy: "abort",
  memory: [],
  exit: { kind: "isa-debug-exit", port: 0xf4 },
};

export { mustRun, scratch };
