import { EM_NUMBER, NT_XEN_PHYS32_ENTRY, machineName } from "./constants.js";
import { armArchitecture, readBuildAttributes, riscvArchString } from "./attributes.js";
import type { ElfFile } from "./reader.js";
import { TARGETS } from "../targets/catalog.js";
import { BOARDS } from "../targets/boards.js";
import { allocatedSections, regionOf } from "./layout.js";
import type { TargetInfo } from "../targets/types.js";

/**
 * Which catalogue target an ELF was built for, read from the file itself — never from where it lies: the machine,
 * class and byte order; the Arm float-ABI flag and build attributes (ARMv7-M or ARMv7E-M); the RISC-V float ABI
 * and ISA string; the PVH note the x86_64-unknown-none template leaves. Where the file still leaves a choice, the
 * target the crate is configured for decides, when it is one of them.
 */
export interface ElfTargetInference {
  target?: TargetInfo;
  /** What the file is, in a few words (`ARMv7E-M, hard-float`). */
  described: string;
  /** The catalogue targets the file could be for. */
  candidates: TargetInfo[];
}

const EF_ARM_ABI_FLOAT_HARD = 0x400;
const EF_RISCV_FLOAT_ABI = 0x6;
const RISCV_FLOAT_ABI: Record<number, string> = { 0: "soft-float", 2: "single-float", 4: "double-float", 6: "quad-float" };

/** The Arm architecture (and profile) a `thumbv…`/`armv…` triple compiles for. */
function armArchOf(triple: string): { arch: string[]; profile?: string } | undefined {
  if (triple.startsWith("thumbv6m")) return { arch: ["ARMv6-M", "ARMv6S-M"] };
  if (triple.startsWith("thumbv7m")) return { arch: ["ARMv7"], profile: "M" };
  if (triple.startsWith("thumbv7em")) return { arch: ["ARMv7E-M"] };
  if (triple.startsWith("thumbv8m.base")) return { arch: ["ARMv8-M.baseline"] };
  if (triple.startsWith("thumbv8m.main")) return { arch: ["ARMv8-M.mainline"] };
  if (triple.startsWith("thumbv8.1m") || triple.startsWith("thumbv81m")) return { arch: ["ARMv8.1-M.mainline"] };
  if (/^(armv7a|thumbv7a)/.test(triple)) return { arch: ["ARMv7"], profile: "A" };
  if (/^(armv7r|thumbv7r)/.test(triple)) return { arch: ["ARMv7"], profile: "R" };
  if (/^(armv8r|thumbv8r)/.test(triple)) return { arch: ["ARMv8-R"] };
  return undefined;
}

/** Single-letter RISC-V extensions of an ISA string or a triple (`g` is imafd). */
function riscvLetters(isa: string): Set<string> {
  const out = new Set<string>();
  const add = (s: string) => {
    for (const ch of s) {
      if (ch === "g") for (const x of "imafd") out.add(x);
      else if ("imafdqcevbhp".includes(ch)) out.add(ch);
    }
  };
  const [base, ...rest] = isa.split("_");
  const m = /^rv(?:32|64|128)([a-z])/.exec(base ?? "");
  if (m) add(m[1]!);
  // rv32i2p1 → the version digits follow the letter; more single letters may follow (rv32imac without versions).
  add((base ?? "").replace(/^rv(?:32|64|128)/, "").replace(/\d+(p\d+)?/g, ""));
  for (const seg of rest) if (/^[a-y]/.test(seg) && !/^[zsx]/.test(seg)) add(seg[0]!);
  return out;
}

function riscvFloatOf(triple: string): string {
  const letters = riscvLetters(triple.replace(/^riscv(32|64)/, "rv$1").split("-")[0]!);
  return letters.has("d") ? "double-float" : letters.has("f") ? "single-float" : "soft-float";
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Infers the catalogue target of an opened ELF; `configured` is the triple the crate's config chooses, if any. */
export function inferElfTarget(elf: ElfFile, configured?: string, catalogue: readonly TargetInfo[] = TARGETS): ElfTargetInference {
  const h = elf.header;
  const machine = (Object.entries(EM_NUMBER).find(([, n]) => n === h.machine)?.[0]) as TargetInfo["elf"]["machine"] | undefined;
  let candidates = catalogue.filter((t) => t.elf.machine === machine && t.elf.class === h.class && t.elf.endian === h.endian);
  const words: string[] = [`${machineName(h.machine)} ELF${h.class}`];
  if (machine === "x86_64") {
    const pvh = elf.notes().some((n) => n.type === NT_XEN_PHYS32_ENTRY && n.name === "Xen");
    if (pvh) words.push("with a PVH entry note");
    // No PVH note proves nothing for a kernel the crate builds for x86_64-unknown-none (verify then says QEMU
    // cannot boot it); otherwise a 64-bit x86 program is the host's.
    candidates = candidates.filter((t) => (pvh ? t.flavour === "qemu" : t.flavour === "host" || t.triple === configured || t.id === configured));
  } else if (machine === "arm") {
    const hard = (h.flags & EF_ARM_ABI_FLOAT_HARD) !== 0;
    const arch = armArchitecture(readBuildAttributes(elf, ".ARM.attributes"));
    if (arch) words.push(arch.arch === "ARMv7" && arch.profile ? `ARMv7-${arch.profile}` : arch.arch);
    words.push(hard ? "hard-float" : "soft-float");
    candidates = candidates.filter((t) => {
      if (t.triple.endsWith("eabihf") !== hard) return false;
      const want = armArchOf(t.triple);
      if (!arch || !want) return true;
      return want.arch.includes(arch.arch) && (want.profile === undefined || arch.profile === undefined || arch.profile === want.profile);
    });
  } else if (machine === "riscv") {
    const float = RISCV_FLOAT_ABI[h.flags & EF_RISCV_FLOAT_ABI] ?? "unknown float ABI";
    const isa = riscvArchString(readBuildAttributes(elf, ".riscv.attributes"));
    words.push(isa ?? "", float);
    candidates = candidates.filter((t) => {
      if (riscvFloatOf(t.triple) !== float) return false;
      if (!isa) return true;
      const want = riscvLetters(t.triple.replace(/^riscv(32|64)/, "rv$1").split("-")[0]!);
      return sameSet(new Set([...riscvLetters(isa)].filter((x) => "imafdce".includes(x))), new Set([...want].filter((x) => "imafdce".includes(x))));
    });
  }
  const described = words.filter(Boolean).join(", ");
  const chosen = configured ? candidates.find((t) => t.triple === configured || t.id === configured) : undefined;
  if (chosen) return { target: onBoard(elf, chosen), described, candidates: [chosen] };
  return { ...(candidates.length === 1 ? { target: onBoard(elf, candidates[0]!) } : {}), described, candidates };
}

/**
 * The machine for an ELF of `target`: the board whose memory holds every section when the target's own map does
 * not (an STM32's flash at 0x0800_0000 is in no generic Cortex-M map); where the target's does, the target (the
 * micro:bit's map is the generic ARMv6-M one, whose QEMU machine it is).
 */
function onBoard(elf: ElfFile, target: TargetInfo): TargetInfo {
  const machines = [target, ...BOARDS.filter((b) => b.triple === target.triple)];
  const sections = allocatedSections(elf);
  const fits = machines.filter((m) => m.memory.length > 0 && sections.every((p) => regionOf(m.memory, p.vma, p.size) && regionOf(m.memory, p.lma, p.size)) && stackFits(elf, m));
  return fits.includes(target) || fits.length !== 1 ? target : fits[0]!;
}

/**
 * A Cortex-M program's initial stack pointer (word 0 of the vector table at the flash origin) points into the
 * machine's RAM: an empty .bss says nothing of where RAM is, the stack top does (the end of RAM is inside).
 */
function stackFits(elf: ElfFile, m: TargetInfo): boolean {
  if (!m.triple.startsWith("thumb")) return true;
  const flash = m.memory.find((r) => r.kind === "flash");
  const ram = m.memory.find((r) => r.kind === "ram");
  const words = flash && ram ? elf.readAddress(BigInt(flash.origin), 8) : undefined;
  if (!words) return false;
  const sp = elf.word32(words, 0);
  return sp >= ram!.origin && sp <= ram!.origin + ram!.length;
}
