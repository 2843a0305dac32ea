/**
 * Hand-made ELF64 files for the hostile-input tests: just enough structure (a header, section headers, a symbol
 * table and its string table) to reach the code paths an attack goes for. Written here so each test builds its
 * input at run time, at the size the attack needs.
 */

export interface CraftSymbol {
  /** Offset of the name in the string table. */
  name: number;
  /** STT_FUNC = 2, STT_OBJECT = 1. */
  type?: number;
  /** STB_GLOBAL = 1. */
  bind?: number;
  /** Section index; 0 is undefined. */
  shndx?: number;
  value?: bigint;
  size?: bigint;
}

export interface CraftOptions {
  /** The string table's bytes (the symbols point into it). */
  strtab?: Buffer;
  symbols?: CraftSymbol[];
  /** Extra empty PROGBITS sections (for a section count beyond what fits in e_shnum). */
  extraSections?: number;
}

const SHT = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3 };

/** An x86_64 ET_EXEC with a .text section, a .symtab/.strtab pair and `extraSections` more. */
export function craftElf(opts: CraftOptions): Buffer {
  const strtab = opts.strtab ?? Buffer.from("\0");
  const symbols = opts.symbols ?? [];
  const shstrtab = Buffer.from("\0.text\0.symtab\0.strtab\0.shstrtab\0.x\0");
  const name = (s: string) => shstrtab.indexOf(Buffer.from(`${s}\0`));
  const text = Buffer.alloc(16, 0xc3);
  const symtab = Buffer.alloc(24 * (symbols.length + 1));
  symbols.forEach((s, i) => {
    const at = 24 * (i + 1);
    symtab.writeUInt32LE(s.name, at);
    symtab.writeUInt8(((s.bind ?? 1) << 4) | (s.type ?? 2), at + 4);
    symtab.writeUInt16LE(s.shndx ?? 1, at + 6);
    symtab.writeBigUInt64LE(s.value ?? 0x401000n, at + 8);
    symtab.writeBigUInt64LE(s.size ?? 16n, at + 16);
  });
  // Layout: header, then the section contents, then the section headers.
  const blobs = [text, symtab, strtab, shstrtab];
  const offsets: number[] = [];
  let at = 64;
  for (const b of blobs) {
    offsets.push(at);
    at += b.length;
  }
  const shoff = (at + 7) & ~7;
  const base = [
    { name: 0, type: SHT.NULL, flags: 0n, addr: 0n, off: 0, size: 0, link: 0, info: 0, entsize: 0 },
    { name: name(".text"), type: SHT.PROGBITS, flags: 6n, addr: 0x401000n, off: offsets[0]!, size: text.length, link: 0, info: 0, entsize: 0 },
    { name: name(".symtab"), type: SHT.SYMTAB, flags: 0n, addr: 0n, off: offsets[1]!, size: symtab.length, link: 3, info: 1, entsize: 24 },
    { name: name(".strtab"), type: SHT.STRTAB, flags: 0n, addr: 0n, off: offsets[2]!, size: strtab.length, link: 0, info: 0, entsize: 0 },
    { name: name(".shstrtab"), type: SHT.STRTAB, flags: 0n, addr: 0n, off: offsets[3]!, size: shstrtab.length, link: 0, info: 0, entsize: 0 },
  ];
  const count = base.length + (opts.extraSections ?? 0);
  const extended = count >= 0xff00;
  const out = Buffer.alloc(shoff + 64 * count);
  // ELF header.
  out.write("\x7fELF", 0, "latin1");
  out[4] = 2; // ELFCLASS64
  out[5] = 1; // little-endian
  out[6] = 1;
  out.writeUInt16LE(2, 16); // ET_EXEC
  out.writeUInt16LE(62, 18); // EM_X86_64
  out.writeUInt32LE(1, 20);
  out.writeBigUInt64LE(0x401000n, 24); // e_entry
  out.writeBigUInt64LE(0n, 32); // no program headers
  out.writeBigUInt64LE(BigInt(shoff), 40);
  out.writeUInt16LE(64, 52);
  out.writeUInt16LE(56, 54);
  out.writeUInt16LE(0, 56);
  out.writeUInt16LE(64, 58);
  out.writeUInt16LE(extended ? 0 : count, 60);
  out.writeUInt16LE(4, 62); // .shstrtab
  blobs.forEach((b, i) => b.copy(out, offsets[i]!));
  base.forEach((s, i) => {
    const h = shoff + 64 * i;
    out.writeUInt32LE(s.name, h);
    out.writeUInt32LE(s.type, h + 4);
    out.writeBigUInt64LE(s.flags, h + 8);
    out.writeBigUInt64LE(s.addr, h + 16);
    out.writeBigUInt64LE(BigInt(s.off), h + 24);
    out.writeBigUInt64LE(BigInt(s.size), h + 32);
    out.writeUInt32LE(s.link, h + 40);
    out.writeUInt32LE(s.info, h + 44);
    out.writeBigUInt64LE(1n, h + 48);
    out.writeBigUInt64LE(BigInt(s.entsize), h + 56);
  });
  // Extended numbering: section 0's sh_size holds the real count.
  if (extended) out.writeBigUInt64LE(BigInt(count), shoff + 32);
  for (let i = base.length; i < count; i++) {
    const h = shoff + 64 * i;
    out.writeUInt32LE(name(".x"), h);
    out.writeUInt32LE(SHT.PROGBITS, h + 4);
    out.writeBigUInt64LE(BigInt(offsets[0]!), h + 24);
  }
  return out;
}

/** Base-62 of v0 back-references: `_` is 0, otherwise the digits of n - 1 then `_`. */
function base62(n: number): string {
  if (n === 0) return "_";
  const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let v = n - 1;
  let s = "";
  do {
    s = digits[v % 62]! + s;
    v = Math.floor(v / 62);
  } while (v > 0);
  return `${s}_`;
}

/**
 * A v0 symbol whose demangled form doubles with each level: `a::f<(), ((),()), (((),()),((),())), …>`, each tuple
 * two back-references to the one before. `levels` = 40 would print a terabyte.
 */
export function exponentialV0(levels: number, salt = ""): string {
  let inner = `INvC${1 + salt.length}a${salt}1f`;
  let previous = inner.length;
  inner += "u";
  for (let k = 0; k < levels; k++) {
    const here = inner.length;
    inner += `TB${base62(previous)}B${base62(previous)}E`;
    previous = here;
  }
  return `_R${inner}E`;
}
