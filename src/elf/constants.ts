/**
 * The numbers of the ELF specification (System V gABI) that freestand reads, and their names as readelf prints them.
 * Only what the reader, verify and size need: this is not a complete catalogue.
 */

export const ET = { NONE: 0, REL: 1, EXEC: 2, DYN: 3, CORE: 4 } as const;

export const PT = {
  NULL: 0,
  LOAD: 1,
  DYNAMIC: 2,
  INTERP: 3,
  NOTE: 4,
  SHLIB: 5,
  PHDR: 6,
  TLS: 7,
  GNU_EH_FRAME: 0x6474e550,
  GNU_STACK: 0x6474e551,
  GNU_RELRO: 0x6474e552,
  GNU_PROPERTY: 0x6474e553,
} as const;

export const PF = { X: 1, W: 2, R: 4 } as const;

export const SHT = {
  NULL: 0,
  PROGBITS: 1,
  SYMTAB: 2,
  STRTAB: 3,
  RELA: 4,
  HASH: 5,
  DYNAMIC: 6,
  NOTE: 7,
  NOBITS: 8,
  REL: 9,
  DYNSYM: 11,
  INIT_ARRAY: 14,
  FINI_ARRAY: 15,
  PREINIT_ARRAY: 16,
  GROUP: 17,
  SYMTAB_SHNDX: 18,
} as const;

export const SHF = { WRITE: 1n, ALLOC: 2n, EXECINSTR: 4n, MERGE: 0x10n, STRINGS: 0x20n, INFO_LINK: 0x40n, TLS: 0x400n } as const;

/** Special section indices. */
export const SHN = { UNDEF: 0, LORESERVE: 0xff00, ABS: 0xfff1, COMMON: 0xfff2, XINDEX: 0xffff } as const;

export const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2, GNU_UNIQUE: 10 } as const;
export const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4, COMMON: 5, TLS: 6, GNU_IFUNC: 10 } as const;

export const DT = {
  NULL: 0n,
  NEEDED: 1n,
  STRTAB: 5n,
  STRSZ: 10n,
  RELA: 7n,
  RELASZ: 8n,
  REL: 17n,
  RELSZ: 18n,
  SONAME: 14n,
  RPATH: 15n,
  RUNPATH: 29n,
  FLAGS: 30n,
  RELR: 36n,
  RELRSZ: 35n,
  RELACOUNT: 0x6ffffff9n,
  RELCOUNT: 0x6ffffffan,
  FLAGS_1: 0x6ffffffbn,
} as const;

export const DF_1_PIE = 0x08000000n;

/** Note type of `XEN_ELFNOTE_PHYS32_ENTRY`: the PVH entry point QEMU's x86 `-kernel` loader looks for. */
export const NT_XEN_PHYS32_ENTRY = 18;

/** e_machine values for the architectures freestand targets, plus a few common others for readable messages. */
export const EM: Record<number, string> = {
  0: "none",
  2: "SPARC",
  3: "x86 (i386)",
  8: "MIPS",
  20: "PowerPC",
  21: "PowerPC64",
  22: "S/390",
  40: "ARM",
  42: "SuperH",
  50: "IA-64",
  62: "x86_64",
  183: "AArch64",
  243: "RISC-V",
  247: "BPF",
  258: "LoongArch",
};

export const EM_NUMBER = { x86_64: 62, arm: 40, aarch64: 183, riscv: 243, loongarch: 258 } as const;

export function machineName(machine: number): string {
  return EM[machine] ?? `machine ${machine}`;
}

const fileTypeNames: Record<number, string> = { 0: "NONE", 1: "REL", 2: "EXEC", 3: "DYN", 4: "CORE" };
export function fileTypeName(type: number): string {
  return fileTypeNames[type] ?? `0x${type.toString(16)}`;
}

export function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}
