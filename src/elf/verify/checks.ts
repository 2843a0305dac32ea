import type { Diagnostic, Severity } from "../../diagnostics/types.js";
import type { TargetInfo } from "../../targets/types.js";
import { DF_1_PIE, DT, EM_NUMBER, ET, fileTypeName, hex, machineName, NT_XEN_PHYS32_ENTRY, PF, PT, SHN, STB, STT } from "../constants.js";
import { demangle, DISPLAY_LIMIT } from "../demangle.js";
import { allocatedSections, memoryUsage, regionOf, regionTotal } from "../layout.js";
import type { ElfFile, ElfSymbol } from "../reader.js";
import { FreestandError } from "../../errors.js";
import { knownOverflow, stackOfOpened, type StackReport } from "../stack/index.js";
import { estimateReasons } from "../format-stack.js";

/**
 * The checks of `freestand verify`. Each one reads what it needs from the ELF and returns findings as plain
 * Diagnostics; none prints. They share one context so the symbol tables are read once.
 */
export interface VerifyContext {
  elf: ElfFile;
  /** Absolute path, for Diagnostic.file. */
  file: string;
  target?: TargetInfo;
  entrySymbol: string;
  /** Global symbols of .symtab and .dynsym, deduplicated by name (defined ones win). */
  globals: Map<string, ElfSymbol>;
  hasSymbols: boolean;
  dynamic: { needed: string[]; flags1: bigint; relocations: bigint };
  /** `freestand stack`'s report, computed when first asked (null: no stack region, or code it cannot read). */
  stack?: StackReport | null;
}

type Check = (ctx: VerifyContext) => Diagnostic[];

function diag(ctx: VerifyContext, code: string, severity: Severity, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity, message, file: ctx.file, ...extra };
}

/** Bare-metal targets have no MMU enforcing segment permissions at boot; the host has the Linux kernel. */
function bareMetal(ctx: VerifyContext): boolean {
  return ctx.target?.flavour === "qemu";
}

/** Is this an executable (the only kind the other checks make sense for)? */
export function isExecutable(ctx: VerifyContext): boolean {
  const t = ctx.elf.header.type;
  return t === ET.EXEC || (t === ET.DYN && (ctx.dynamic.flags1 & DF_1_PIE) !== 0n);
}

export const checkFileType: Check = (ctx) => {
  const { elf } = ctx;
  const type = elf.header.type;
  if (type === ET.EXEC) return [];
  if (type === ET.REL) {
    return [diag(ctx, "verify_file_type", "error", "this is a relocatable object file (`.o`), not a linked executable", { help: ["verify the linked binary (target/<triple>/<profile>/<name>), not an object file"] })];
  }
  if (type === ET.DYN) {
    const isPie = (ctx.dynamic.flags1 & DF_1_PIE) !== 0n;
    const interp = elf.interpreter();
    if (!isPie) {
      return [diag(ctx, "verify_file_type", "error", "this is a shared library (ELF type DYN without the PIE flag), not an executable", { help: ["build a binary crate, or verify the binary that uses this library"] })];
    }
    if (interp !== undefined) {
      // A dynamic PIE: verify_interpreter says why that is wrong; saying it twice helps no one.
      return [];
    }
    const relocs = ctx.dynamic.relocations;
    const nothingRelocates = ctx.target !== undefined;
    const severity: Severity = nothingRelocates && relocs > 0n ? "error" : "warning";
    const who = ctx.target?.flavour === "host" ? "with no start files nothing applies them" : ctx.target ? "QEMU's `-kernel` loader does not apply them" : "it needs a loader that applies them";
    return [
      diag(ctx, "verify_file_type", severity, `this is a static-PIE (ELF type DYN with DF_1_PIE and no interpreter) carrying ${relocs} bytes of dynamic relocations: ${who}`, {
        notes: relocs === 0n ? ["it has no dynamic relocations, so it may run loaded at its link address; a static executable is still the safe choice"] : [],
        help: ["add `-C relocation-model=static` to the target's rustflags (and `-C link-arg=-static` on the host)"],
        data: { relocationBytes: Number(relocs) },
      }),
    ];
  }
  return [diag(ctx, "verify_file_type", "error", `this ELF file has type ${fileTypeName(type)}, not an executable`)];
};

export const checkInterpreter: Check = (ctx) => {
  const interp = ctx.elf.interpreter();
  if (interp === undefined) return [];
  return [
    diag(ctx, "verify_interpreter", "error", `the binary asks for the program interpreter \`${interp}\` (PT_INTERP): it is dynamically linked`, {
      help: ["link statically: `-C link-arg=-nostartfiles -C link-arg=-nostdlib -C link-arg=-static` for the host flavour"],
      data: { interpreter: interp },
    }),
  ];
};

export const checkNeeded: Check = (ctx) =>
  ctx.dynamic.needed.map((lib) =>
    diag(ctx, "verify_dynamic_library", "error", `the binary needs the shared library \`${lib}\` (DT_NEEDED)`, {
      help: [lib.startsWith("libc.") ? "link with `-nostdlib -static` so the C library is never used, and provide `memcpy` and friends yourself" : `remove the dependency on \`${lib}\``],
      data: { library: lib },
    }),
  );

/**
 * How to give the program its entry, for this target: on the x86_64 host an assembly `_start` that aligns the
 * stack (a Rust one runs misaligned); elsewhere a Rust function exported under the exact name.
 */
function entryHelp(ctx: VerifyContext): string[] {
  if (ctx.target?.flavour === "host" && ctx.elf.header.machine === EM_NUMBER.x86_64) {
    return [
      `define \`${ctx.entrySymbol}\` in assembly that aligns the stack and calls into Rust (\`global_asm!\`, as the crates \`freestand new\` creates do): a Rust \`extern "C" fn _start\` runs with the stack misaligned and crashes in float formatting; \`freestand check --fix\` writes the trampoline`,
    ];
  }
  return [`export the entry function under its exact name: \`#[unsafe(no_mangle)] pub extern "C" fn ${ctx.entrySymbol}() -> !\``];
}

export const checkEntryPoint: Check = (ctx) => {
  if (!isExecutable(ctx)) return [];
  const { elf, entrySymbol } = ctx;
  const entry = elf.header.entry;
  const help = entryHelp(ctx);
  const mangled = findMangledEntry(ctx);
  const notes = mangled ? [`\`${demangle(mangled.name, { maxOutput: DISPLAY_LIMIT })}\` exists as the mangled symbol \`${mangled.name}\`: \`no_mangle\` is missing`] : [];
  const data = { entry: hex(entry), entrySymbol };
  if (entry === 0n) {
    const present = ctx.globals.get(entrySymbol) ?? (ctx.hasSymbols ? findLocal(ctx, entrySymbol) : undefined);
    if (present && present.shndx !== SHN.UNDEF) {
      // The function is there; the linker was never told it is the entry: the linker script that says
      // `ENTRY(...)` was not passed (or says nothing).
      return [
        diag(ctx, "verify_entry_point", "error", `the entry point address is 0, although \`${entrySymbol}\` exists (${hex(present.value)}): the linker was not told it is the entry`, {
          notes: ["the entry is named by `ENTRY(...)` in the linker script; without the script (no `-T` link argument) the linker uses its default, `_start`"],
          help: ["pass the linker script: `\"-C\", \"link-arg=-T<script>\"` in the target's rustflags (`freestand check` finds it: rule `missing_linker_script`)"],
          data: { ...data, symbolAddress: hex(present.value) },
        }),
      ];
    }
    // Nothing at the target's memory either: the linker used its default layout, so no script was passed — and
    // without the script's ENTRY() the entry function was never kept (--gc-sections dropped it).
    const memory = ctx.target?.memory ?? [];
    const placed = allocatedSections(elf);
    const outside = memory.length > 0 && placed.every((p) => !memory.some((r) => p.vma >= BigInt(r.origin) && p.vma < BigInt(r.origin) + BigInt(r.length)));
    if (outside && !mangled) {
      return [
        diag(ctx, "verify_entry_point", "error", `the entry point address is 0 and nothing lies in \`${ctx.target!.id}\`'s memory: the linker script was not used`, {
          notes: [`without the script nothing names \`${entrySymbol}\` as the entry (\`ENTRY(...)\`), so the linker dropped it with the other unreferenced code`],
          help: ["pass the linker script: `\"-C\", \"link-arg=-T<script>\"` in the target's rustflags (`freestand check` finds it: rule `missing_linker_script`)"],
          data,
        }),
      ];
    }
    return [diag(ctx, "verify_entry_point", "error", `the entry point address is 0: nothing named \`${entrySymbol}\` was found by the linker`, { notes, help, data })];
  }
  if (!ctx.hasSymbols) {
    return [diag(ctx, "verify_entry_point", "info", `the binary has no symbol table (stripped), so the entry point ${hex(entry)} cannot be matched to \`${entrySymbol}\``, { data })];
  }
  const sym = ctx.globals.get(entrySymbol) ?? findLocal(ctx, entrySymbol);
  if (!sym || sym.shndx === SHN.UNDEF) {
    return [diag(ctx, "verify_entry_point", "error", `there is no \`${entrySymbol}\` symbol, so the entry point ${hex(entry)} is not the entry function`, { notes, help, data })];
  }
  // Thumb code addresses carry bit 0 set in both places, but be lenient if only one of them does.
  const mask = elf.header.machine === EM_NUMBER.arm ? ~1n : ~0n;
  if ((sym.value & mask) !== (entry & mask)) {
    return [
      diag(ctx, "verify_entry_point", "error", `the entry point ${hex(entry)} is not \`${entrySymbol}\` (${hex(sym.value)})`, {
        help: [`make \`ENTRY(${entrySymbol})\` the linker script's entry, or pass \`--entry\` with the symbol the binary really starts at`],
        data: { ...data, symbolAddress: hex(sym.value) },
      }),
    ];
  }
  return [];
};

function findLocal(ctx: VerifyContext, name: string): ElfSymbol | undefined {
  for (const s of ctx.elf.symbols("symtab")) if (s.name === name && s.shndx !== SHN.UNDEF) return s;
  return undefined;
}

/** A function whose demangled path ends in `::_start` (the entry written without `no_mangle`). */
function findMangledEntry(ctx: VerifyContext): ElfSymbol | undefined {
  if (!ctx.hasSymbols) return undefined;
  const suffix = `::${ctx.entrySymbol}`;
  const ident = `${ctx.entrySymbol.length}${ctx.entrySymbol}`;
  for (const kind of ["symtab", "dynsym"] as const) {
    for (const s of ctx.elf.symbols(kind)) {
      // Only names that can end in the entry's identifier are demangled (`6_start` in both manglings).
      if (s.type !== STT.FUNC || s.shndx === SHN.UNDEF || !(s.name.startsWith("_ZN") || s.name.startsWith("_R")) || !s.name.includes(ident)) continue;
      if (demangle(s.name, { maxOutput: DISPLAY_LIMIT }).endsWith(suffix)) return s;
    }
  }
  return undefined;
}

/** Names only a C library, its start files or an unwinder define, with what to do about each group. */
const LIBC_SYMBOLS: { names: RegExp; what: string; help: string }[] = [
  { names: /^(__libc_start_main|__libc_csu_init|__libc_csu_fini|__cxa_finalize|__cxa_atexit|__gmon_start__|_init|_fini|__libc_.*)$/, what: "the C library's start-up code", help: "link with `-nostartfiles` and write your own `_start` (on x86_64 Linux in assembly that aligns the stack: `freestand check --fix` writes it)" },
  { names: /^(_Unwind_.*|__gcc_personality_v0|rust_eh_personality|__cxa_.*)$/, what: "an unwinder", help: "set `panic = \"abort\"` in both profiles; on the host flavour also define a `#[unsafe(no_mangle)] extern \"C\" fn rust_eh_personality() {}` stub" },
  { names: /^(memcpy|memmove|memset|memcmp|bcmp|strlen)$/, what: "the C library (memory functions)", help: "define `memcpy`, `memmove`, `memset`, `memcmp` and `bcmp` in the crate with code the optimiser cannot turn back into calls (the host `compiler_builtins` has none): `freestand explain explain_undefined_mem_functions` shows it" },
  {
    names: /^(malloc|calloc|realloc|free|printf|puts|write|read|exit|_exit|abort|errno|__errno_location|__stack_chk_fail|__stack_chk_guard|__tls_get_addr|dl_iterate_phdr|getenv|pthread_.*|__assert_fail|syscall|mmap|munmap|open|close|signal|sigaction)$/,
    what: "the C library",
    help: "replace it with freestanding code (a serial writer instead of `printf`, a `#[global_allocator]` instead of `malloc`)",
  },
];

function libcGroup(name: string) {
  return LIBC_SYMBOLS.find((g) => g.names.test(name));
}

export const checkUndefinedSymbols: Check = (ctx) => {
  if (!isExecutable(ctx)) return [];
  const out: Diagnostic[] = [];
  const strong: string[] = [];
  const weak: string[] = [];
  // Undefined libc names, gathered per group so a dynamic C program gives four findings, not ninety.
  const libc = new Map<(typeof LIBC_SYMBOLS)[number], { strong: string[]; weak: string[] }>();
  for (const s of ctx.globals.values()) {
    const group = libcGroup(s.name);
    if (s.shndx === SHN.UNDEF) {
      if (group) {
        const g = libc.get(group) ?? { strong: [], weak: [] };
        (s.bind === STB.WEAK ? g.weak : g.strong).push(s.name);
        libc.set(group, g);
      } else if (s.bind === STB.WEAK) weak.push(s.name);
      else strong.push(s.name);
    } else if (s.name === "__libc_start_main") {
      out.push(
        diag(ctx, "verify_libc_symbol", "warning", "the C library is linked in statically (`__libc_start_main` is defined): the binary runs on Linux but is not freestanding", {
          help: ["link with `-nostartfiles -nostdlib -static` and provide `_start` yourself"],
          data: { symbols: [s.name], defined: true },
        }),
      );
    }
  }
  for (const group of LIBC_SYMBOLS) {
    const g = libc.get(group);
    if (!g) continue;
    const names = [...g.strong, ...g.weak];
    const onlyWeak = g.strong.length === 0;
    out.push(
      diag(ctx, "verify_libc_symbol", onlyWeak ? "warning" : "error", `${names.slice(0, 8).map((n) => `\`${n}\``).join(", ")}${names.length > 8 ? ` and ${names.length - 8} more` : ""} ${names.length === 1 ? "is" : "are"} undefined${onlyWeak ? " (weak)" : ""}: only ${group.what} provides ${names.length === 1 ? "it" : "them"}`, {
        help: [group.help],
        data: { symbols: names, weak: g.weak },
      }),
    );
  }
  const list = (names: string[]) => names.slice(0, 5).map((n) => `\`${displayName(n)}\``).join(", ") + (names.length > 5 ? `, and ${names.length - 5} more` : "");
  if (strong.length) {
    out.push(
      diag(ctx, "verify_undefined_symbol", "error", `${strong.length === 1 ? "a global symbol is" : `${strong.length} global symbols are`} undefined: ${list(strong)}`, {
        help: ["link the crate or object that defines them, or define them yourself"],
        data: { symbols: strong },
      }),
    );
  }
  if (weak.length) {
    out.push(
      diag(ctx, "verify_undefined_symbol", "warning", `${weak.length === 1 ? "a weak symbol is" : `${weak.length} weak symbols are`} undefined and resolve to address 0: ${list(weak)}`, {
        help: ["make sure the code checks them for null before use"],
        data: { symbols: weak },
      }),
    );
  }
  return out;
};

/** Symbols are named as the source says them; the mangled name is in the JSON data. */
function displayName(name: string): string {
  const shown = demangle(name, { maxOutput: DISPLAY_LIMIT });
  return shown.length > 512 ? `${shown.slice(0, 512)}…` : shown;
}

export const checkSegments: Check = (ctx) => {
  const out: Diagnostic[] = [];
  const relaxed = bareMetal(ctx);
  for (const p of ctx.elf.programHeaders) {
    if (p.type === PT.LOAD && p.flags & PF.W && p.flags & PF.X) {
      out.push(
        diag(ctx, "verify_writable_executable", relaxed ? "warning" : "error", `loadable segment ${p.index} at ${hex(p.vaddr)} is both writable and executable`, {
          notes: relaxed ? ["this target has no MMU enforcing segment permissions at boot, so this is only a warning"] : [],
          help: ["give code and data separate output sections and program headers in the linker script"],
          data: { segment: p.index, vaddr: hex(p.vaddr) },
        }),
      );
    }
    if (p.type === PT.GNU_STACK && p.flags & PF.X) {
      out.push(
        diag(ctx, "verify_executable_stack", relaxed ? "warning" : "error", "the PT_GNU_STACK segment makes the stack executable", {
          help: ['add `.section .note.GNU-stack,"",@progbits` to assembly files, or link with `-z noexecstack`'],
          data: { segment: p.index },
        }),
      );
    }
  }
  return out;
};

export const checkMachine: Check = (ctx) => {
  const t = ctx.target;
  if (!t) return [];
  const h = ctx.elf.header;
  const want = EM_NUMBER[t.elf.machine];
  const problems: string[] = [];
  if (h.machine !== want) problems.push(`machine ${machineName(h.machine)}, not ${machineName(want)}`);
  if (h.class !== t.elf.class) problems.push(`ELF${h.class}, not ELF${t.elf.class}`);
  if (h.endian !== t.elf.endian) problems.push(`${h.endian}-endian, not ${t.elf.endian}-endian`);
  if (problems.length === 0) return [];
  return [
    diag(ctx, "verify_machine", "error", `the binary is for another target than \`${t.id}\`: ${problems.join(", ")}`, {
      notes: ["the entry-point and memory-map checks were skipped: they would only repeat this"],
      help: [`build with \`--target ${t.triple}\` (or set it in .cargo/config.toml)`],
      data: { machine: machineName(h.machine), class: h.class, endian: h.endian, target: t.id },
    }),
  ];
};

export const checkMemoryMap: Check = (ctx) => {
  const t = ctx.target;
  if (!t || t.memory.length === 0 || !isExecutable(ctx)) return [];
  const out: Diagnostic[] = [];
  const placements = allocatedSections(ctx.elf);
  const regions = t.memory;
  const describeRegions = regions.map((r) => `${r.name} ${hex(r.origin)}..${hex(r.origin + r.length)}`).join(", ");
  for (const p of placements) {
    const name = p.section.name || `section ${p.section.index}`;
    if (!regionOf(regions, p.vma, p.size)) {
      out.push(
        diag(ctx, "verify_memory_region", "error", `section \`${name}\` (${hex(p.vma)}..${hex(p.vma + p.size)}) is not inside any memory region of \`${t.id}\``, {
          notes: [`the regions are ${describeRegions}`],
          data: { section: name, start: hex(p.vma), end: hex(p.vma + p.size) },
        }),
      );
    } else if (p.lma !== p.vma && !regionOf(regions, p.lma, p.size)) {
      out.push(
        diag(ctx, "verify_memory_region", "error", `the initial contents of section \`${name}\` are loaded from ${hex(p.lma)}, outside every memory region of \`${t.id}\``, {
          notes: [`the regions are ${describeRegions}`],
          data: { section: name, loadAddress: hex(p.lma) },
        }),
      );
    }
  }
  const usage = memoryUsage(placements, regions, t.stackSize);
  const flashTotal = regionTotal(regions, "flash");
  const ramTotal = regionTotal(regions, "ram");
  if (flashTotal > 0n && usage.flash > flashTotal) {
    out.push(
      diag(ctx, "verify_memory_overflow", "error", `the image needs ${usage.flash} bytes of flash (text + rodata + data), but \`${t.id}\` has ${flashTotal}`, {
        help: ["build with --release and opt-level \"s\" or \"z\"; `freestand size --top 20` shows the largest symbols"],
        data: { region: "flash", used: Number(usage.flash), available: Number(flashTotal) },
      }),
    );
  }
  if (ramTotal > 0n && usage.ram > ramTotal) {
    out.push(
      diag(ctx, "verify_memory_overflow", "error", `the program needs ${usage.ram} bytes of RAM (data + bss + ${usage.stack} of stack), but \`${t.id}\` has ${ramTotal}`, {
        help: ["shrink large statics and buffers; `freestand size --top 20` shows the largest symbols"],
        data: { region: "ram", used: Number(usage.ram), available: Number(ramTotal) },
      }),
    );
  }
  return out;
};

/** Cortex-M targets are the ARM `thumb*` triples: M-profile cores that boot from a vector table. */
function isCortexM(t: TargetInfo): boolean {
  return t.elf.machine === "arm" && t.triple.startsWith("thumb");
}

export const checkVectorTable: Check = (ctx) => {
  const t = ctx.target;
  if (!t || !isCortexM(t) || !isExecutable(ctx)) return [];
  const flash = t.memory.find((r) => r.kind === "flash");
  const ram = t.memory.find((r) => r.kind === "ram");
  if (!flash || !ram) return [];
  const origin = BigInt(flash.origin);
  const words = ctx.elf.readAddress(origin, 8);
  const help = ["place the vector table first in FLASH: `KEEP(*(.vector_table))`, with the stack top and the reset handler as its first two words"];
  if (!words) {
    return [diag(ctx, "verify_vector_table", "error", `nothing is loaded at the flash origin ${hex(origin)}, where the core reads its vector table`, { help })];
  }
  const sp = BigInt(ctx.elf.word32(words, 0));
  const reset = BigInt(ctx.elf.word32(words, 4));
  const problems: string[] = [];
  const ramStart = BigInt(ram.origin);
  const ramEnd = ramStart + BigInt(ram.length);
  if (sp < ramStart || sp > ramEnd) problems.push(`the initial stack pointer ${hex(sp)} is not in RAM (${hex(ramStart)}..${hex(ramEnd)})`);
  if ((reset & 1n) === 0n) problems.push(`the reset vector ${hex(reset)} lacks the Thumb bit (bit 0)`);
  if (!regionOf([flash], reset & ~1n, 2n)) problems.push(`the reset vector ${hex(reset)} does not point into flash`);
  if (problems.length === 0) return [];
  return [
    diag(ctx, "verify_vector_table", "error", `the vector table at ${hex(origin)} is not valid: ${problems.join("; ")}`, {
      help,
      data: { initialStackPointer: hex(sp), resetVector: hex(reset) },
    }),
  ];
};

export const checkPvhNote: Check = (ctx) => {
  const t = ctx.target;
  // QEMU's x86 `-kernel` loader boots an ELF only through its PVH note.
  if (!t || t.flavour !== "qemu" || t.elf.machine !== "x86_64" || !isExecutable(ctx)) return [];
  const isPvh = (n: { name: string; type: number }) => n.name === "Xen" && n.type === NT_XEN_PHYS32_ENTRY;
  const inSegments = ctx.elf.segmentNotes().find(isPvh);
  const help = ["emit a `Xen` note of type 18 holding the 32-bit entry address, in a section placed in a PT_NOTE program header"];
  if (!inSegments) {
    const inSections = ctx.elf.notes().find(isPvh);
    const message = inSections
      ? `the PVH note (Xen, type 18) is in section \`${"section" in inSections.from ? inSections.from.section : "?"}\` but in no PT_NOTE segment, where QEMU looks for it`
      : "the kernel has no PVH note (an ELF note `Xen` of type 18): QEMU's `-kernel` refuses to boot a 64-bit ELF without one";
    return [diag(ctx, "verify_pvh_note", "error", message, { help })];
  }
  const d = inSegments.desc;
  if (d.length !== 4 && d.length !== 8) {
    return [diag(ctx, "verify_pvh_note", "error", `the PVH note's descriptor is ${d.length} bytes, not a 4- or 8-byte entry address`, { help })];
  }
  const addr = d.length === 4 ? BigInt(d.readUInt32LE(0)) : d.readBigUInt64LE(0);
  const loaded = ctx.elf.programHeaders.some((p) => p.type === PT.LOAD && p.flags & PF.X && addr >= p.paddr && addr < p.paddr + p.memsz);
  if (!loaded) {
    return [diag(ctx, "verify_pvh_note", "error", `the PVH entry address ${hex(addr)} is not inside any executable loaded segment`, { help, data: { pvhEntry: hex(addr) } })];
  }
  return [];
};

/** Checks that hold whatever the target. */
/** The stack bound of a program with freestand's stack region, once per verify. */
export function stackReportOf(ctx: VerifyContext): StackReport | null {
  if (ctx.stack !== undefined) return ctx.stack;
  let report: StackReport | null = null;
  if (isExecutable(ctx) && ctx.globals.has("_stack_bottom") && ctx.globals.has("_stack_top")) {
    try {
      report = stackOfOpened(ctx.elf, ctx.file);
    } catch (err) {
      if (!(err instanceof FreestandError)) throw err;
    }
  }
  ctx.stack = report?.region ? report : null;
  return ctx.stack;
}

/**
 * A bound (every path known) past the stack region is a warning; an estimate says nothing until even the direct
 * calls alone, which the code spells out, need more than the region — a note then, since the path may not be taken.
 */
export const checkStackBound: Check = (ctx) => {
  const r = stackReportOf(ctx);
  if (!r?.region) return [];
  const data = { bound: r.bound.bytes, directBytes: r.bound.directBytes, complete: r.bound.complete, region: r.region.size };
  const path = r.entries.find((e) => e.kind === "entry")?.path.map((s) => s.function).join(" → ");
  const help = ["`freestand stack` prints each path with its frames; `freestand run --stack` measures a run"];
  const over = knownOverflow(r);
  if (over) {
    const which = over.entry ? `every call path from \`${over.entry.function}\` is known` : "every call path is known";
    return [
      diag(ctx, "verify_stack_bound", "warning", `${which}, and the deepest needs ${over.bytes} bytes of stack: more than the ${r.region.size}-byte stack region`, {
        notes: path ? [`the entry's worst path: ${path}`] : [],
        help,
        data,
      }),
    ];
  }
  if (!r.bound.complete && r.bound.directBytes > r.region.size) {
    return [
      diag(ctx, "verify_stack_bound", "info", `the direct calls alone can need ${r.bound.directBytes} bytes of stack, more than the ${r.region.size}-byte stack region (not every path is known, and this one may never be taken)`, {
        notes: estimateReasons(r),
        help,
        data,
      }),
    ];
  }
  return [];
};

export const GENERAL_CHECKS: readonly Check[] = [checkFileType, checkInterpreter, checkNeeded, checkUndefinedSymbols, checkSegments, checkStackBound];
/** Checks that read the target's entry symbol and memory map: meaningless once the machine is wrong. */
export const TARGET_CHECKS: readonly Check[] = [checkEntryPoint, checkMemoryMap, checkVectorTable, checkPvhNote];

/** Reads the dynamic section facts the checks share. */
export function readDynamic(elf: ElfFile): VerifyContext["dynamic"] {
  const entries = elf.dynamicEntries();
  const needed = entries.filter((e) => e.tag === DT.NEEDED).map((e) => elf.dynamicString(e.value, entries));
  const flags1 = entries.find((e) => e.tag === DT.FLAGS_1)?.value ?? 0n;
  let relocations = 0n;
  for (const e of entries) if (e.tag === DT.RELASZ || e.tag === DT.RELSZ || e.tag === DT.RELRSZ) relocations += e.value;
  // PLT relocations (DT_PLTRELSZ = 2) need applying too.
  for (const e of entries) if (e.tag === 2n) relocations += e.value;
  return { needed, flags1, relocations };
}

/** Global and weak symbols of both tables by name; a defined symbol wins over an undefined one of the same name. */
export function collectGlobals(elf: ElfFile): { globals: Map<string, ElfSymbol>; hasSymbols: boolean } {
  const globals = new Map<string, ElfSymbol>();
  let hasSymbols = false;
  for (const kind of ["symtab", "dynsym"] as const) {
    for (const s of elf.symbols(kind)) {
      if (s.index === 0) continue;
      hasSymbols = true;
      if (s.bind === STB.LOCAL || s.name === "") continue;
      const prev = globals.get(s.name);
      if (!prev || (prev.shndx === SHN.UNDEF && s.shndx !== SHN.UNDEF)) globals.set(s.name, s);
    }
  }
  return { globals, hasSymbols };
}
