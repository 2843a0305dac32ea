import { FreestandError } from "../errors.js";
import { DT, PT, SHN, SHT, STB } from "./constants.js";
import { BufferSource, FileSource, type ByteSource } from "./source.js";

/**
 * Our own ELF reader (ELF32/ELF64, both byte orders). It is lazy — the file header is read at open, everything else
 * when first asked for — and bounded: every offset and count from the file is checked against the file's size
 * before anything is read or allocated, so a corrupt header can cost at most the file's size in memory, and every
 * loop advances over a finite range. Problems become a FreestandError with one sentence naming what is wrong.
 * Addresses, offsets and sizes are bigint so 64-bit values keep every bit.
 */

export interface ElfHeader {
  class: 32 | 64;
  endian: "little" | "big";
  /** e_ident[EI_VERSION]. */
  identVersion: number;
  osabi: number;
  abiVersion: number;
  type: number;
  machine: number;
  version: number;
  entry: bigint;
  phoff: bigint;
  shoff: bigint;
  flags: number;
  ehsize: number;
  phentsize: number;
  /** The real count (PN_XNUM resolved through section 0). */
  phnum: number;
  shentsize: number;
  /** The real count (0 with a section table resolved through section 0). */
  shnum: number;
  /** The real index (SHN_XINDEX resolved through section 0). */
  shstrndx: number;
}

export interface ProgramHeader {
  index: number;
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

export interface SectionHeader {
  index: number;
  name: string;
  nameOffset: number;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

export interface ElfSymbol {
  /** Index in its table. */
  index: number;
  name: string;
  value: bigint;
  size: bigint;
  /** STB_*: 0 local, 1 global, 2 weak, 10 GNU unique. */
  bind: number;
  /** STT_*: 0 notype, 1 object, 2 func, 3 section, 4 file, 6 tls, 10 ifunc. */
  type: number;
  /** STV_*: 0 default, 1 internal, 2 hidden, 3 protected. */
  visibility: number;
  /** Section index, SHN_XINDEX resolved; SHN_UNDEF (0) means undefined. */
  shndx: number;
}

export interface DynamicEntry {
  tag: bigint;
  value: bigint;
}

export interface ElfNote {
  /** Owner name without the terminating NUL: "GNU", "Xen". */
  name: string;
  type: number;
  desc: Buffer;
  /** Where it was found: a section (by name) or a PT_NOTE segment (by index). */
  from: { section: string } | { segment: number };
}

export type SymbolTableKind = "symtab" | "dynsym";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Symbols are read this many at a time, so iterating a table of a million symbols needs one small buffer. */
const SYMBOL_CHUNK = 8192;

/** Little helpers over one buffer in the file's byte order and class. */
class Fields {
  private readonly view: DataView;
  constructor(
    readonly buf: Buffer,
    private readonly little: boolean,
    private readonly is64: boolean,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u8(at: number): number {
    return this.view.getUint8(at);
  }
  u16(at: number): number {
    return this.view.getUint16(at, this.little);
  }
  u32(at: number): number {
    return this.view.getUint32(at, this.little);
  }
  u64(at: number): bigint {
    return this.view.getBigUint64(at, this.little);
  }
  /** An address/offset/size: 4 bytes in ELF32, 8 in ELF64. */
  word(at: number): bigint {
    return this.is64 ? this.view.getBigUint64(at, this.little) : BigInt(this.view.getUint32(at, this.little));
  }
  /** A signed word (d_tag). */
  sword(at: number): bigint {
    return this.is64 ? this.view.getBigInt64(at, this.little) : BigInt(this.view.getInt32(at, this.little));
  }
}

export class ElfFile {
  private phdrCache?: ProgramHeader[];
  private shdrCache?: SectionHeader[];
  private readonly stringTables = new Map<number, Buffer>();
  /** Decoded string-table entries by (table, offset). */
  private readonly decoded = new Map<number, string>();
  private decodedBytes = 0;

  private constructor(
    /** The name used in messages (the path as given). */
    readonly name: string,
    private readonly src: ByteSource,
    readonly header: ElfHeader,
  ) {}

  /** Opens and checks the file header; everything else is read on demand. Call close() when done. */
  static open(path: string): ElfFile {
    const src = new FileSource(path);
    try {
      return ElfFile.fromSource(src, path);
    } catch (err) {
      src.close();
      throw err;
    }
  }

  static fromBytes(bytes: Uint8Array, name = "<memory>"): ElfFile {
    return ElfFile.fromSource(new BufferSource(bytes), name);
  }

  static fromSource(src: ByteSource, name: string): ElfFile {
    const size = src.size;
    if (size < 16) {
      if (size >= 4 && src.read(0, 4).equals(MAGIC)) throw new FreestandError(`${name} is truncated: it has only ${size} bytes, fewer than the 16-byte ELF identification.`);
      throw new FreestandError(`${name} is not an ELF file: it is only ${size} bytes long.`);
    }
    const ident = src.read(0, 16);
    if (!ident.subarray(0, 4).equals(MAGIC)) throw new FreestandError(`${name} is not an ELF file: it does not start with the bytes 7f 45 4c 46 ("\\x7fELF").`);
    const cls = ident[4];
    const data = ident[5];
    if (cls !== 1 && cls !== 2) throw new FreestandError(`${name} is not a valid ELF file: its class byte is ${cls}, neither 1 (ELF32) nor 2 (ELF64).`);
    if (data !== 1 && data !== 2) throw new FreestandError(`${name} is not a valid ELF file: its data-encoding byte is ${data}, neither 1 (little-endian) nor 2 (big-endian).`);
    const is64 = cls === 2;
    const ehsizeNeeded = is64 ? 64 : 52;
    if (size < ehsizeNeeded) throw new FreestandError(`${name} is truncated: it has ${size} bytes, fewer than the ${ehsizeNeeded}-byte ELF${is64 ? 64 : 32} file header.`);
    const f = new Fields(src.read(0, ehsizeNeeded), data === 1, is64);
    const w = is64 ? 8 : 4;
    const header: ElfHeader = {
      class: is64 ? 64 : 32,
      endian: data === 1 ? "little" : "big",
      identVersion: ident[6]!,
      osabi: ident[7]!,
      abiVersion: ident[8]!,
      type: f.u16(16),
      machine: f.u16(18),
      version: f.u32(20),
      entry: f.word(24),
      phoff: f.word(24 + w),
      shoff: f.word(24 + 2 * w),
      flags: f.u32(24 + 3 * w),
      ehsize: f.u16(28 + 3 * w),
      phentsize: f.u16(30 + 3 * w),
      phnum: f.u16(32 + 3 * w),
      shentsize: f.u16(34 + 3 * w),
      shnum: f.u16(36 + 3 * w),
      shstrndx: f.u16(38 + 3 * w),
    };
    const elf = new ElfFile(name, src, header);
    elf.resolveExtendedCounts();
    return elf;
  }

  close(): void {
    this.src.close();
  }

  get fileSize(): number {
    return this.src.size;
  }

  get is64(): boolean {
    return this.header.class === 64;
  }

  private get little(): boolean {
    return this.header.endian === "little";
  }

  /** A FreestandError naming the file and what is wrong with it. */
  corrupt(what: string): FreestandError {
    return new FreestandError(`${this.name} is not a valid ELF file: ${what}.`);
  }

  /**
   * Checks that [offset, offset + length) lies inside the file and returns it as numbers.
   * `what` names the structure for the message: "its section header table".
   */
  private range(offset: bigint, length: bigint, what: string): [number, number] {
    const end = offset + length;
    if (offset > MAX_SAFE || length > MAX_SAFE || end > BigInt(this.src.size)) {
      throw new FreestandError(
        `${this.name} is truncated or corrupt: ${what} (offset ${offset}, ${length} bytes) ends at byte ${end}, past the end of the ${this.src.size}-byte file.`,
      );
    }
    return [Number(offset), Number(length)];
  }

  /** Reads a checked range of the file. */
  readRange(offset: bigint, length: bigint, what: string): Buffer {
    const [o, l] = this.range(offset, length, what);
    return this.src.read(o, l);
  }

  private fields(buf: Buffer): Fields {
    return new Fields(buf, this.little, this.is64);
  }

  /** e_shnum = 0, e_shstrndx = SHN_XINDEX and e_phnum = PN_XNUM keep their real values in section header 0. */
  private resolveExtendedCounts(): void {
    const h = this.header;
    const needsSection0 = (h.shnum === 0 && h.shoff !== 0n) || h.shstrndx === SHN.XINDEX || h.phnum === 0xffff;
    if (!needsSection0) return;
    if (h.shoff === 0n) {
      if (h.phnum === 0xffff) throw this.corrupt("e_phnum is PN_XNUM (0xffff) but there is no section header 0 holding the real count");
      return;
    }
    const entsize = this.is64 ? 64 : 40;
    if (h.shentsize < entsize) throw this.corrupt(`its section header entry size is ${h.shentsize} bytes, smaller than the ${entsize} an ELF${h.class} section header needs`);
    const f = this.fields(this.readRange(h.shoff, BigInt(entsize), "section header 0"));
    const w = this.is64 ? 8 : 4;
    const size = f.word(8 + 3 * w);
    const link = f.u32(8 + 4 * w);
    const info = f.u32(12 + 4 * w);
    if (h.shnum === 0) {
      if (size > MAX_SAFE) throw this.corrupt(`its section count (from section header 0) is ${size}, more than can exist`);
      h.shnum = Number(size);
    }
    if (h.shstrndx === SHN.XINDEX) h.shstrndx = link;
    if (h.phnum === 0xffff) h.phnum = info;
  }

  /** The program headers (segments), read and checked once. */
  get programHeaders(): ProgramHeader[] {
    if (this.phdrCache) return this.phdrCache;
    const h = this.header;
    const out: ProgramHeader[] = [];
    if (h.phnum > 0) {
      const entsize = this.is64 ? 56 : 32;
      if (h.phentsize < entsize) throw this.corrupt(`its program header entry size is ${h.phentsize} bytes, smaller than the ${entsize} an ELF${h.class} program header needs`);
      const table = this.readRange(h.phoff, BigInt(h.phentsize) * BigInt(h.phnum), `its program header table (${h.phnum} entries)`);
      for (let i = 0; i < h.phnum; i++) {
        const f = this.fields(table.subarray(i * h.phentsize, i * h.phentsize + entsize));
        out.push(
          this.is64
            ? { index: i, type: f.u32(0), flags: f.u32(4), offset: f.u64(8), vaddr: f.u64(16), paddr: f.u64(24), filesz: f.u64(32), memsz: f.u64(40), align: f.u64(48) }
            : { index: i, type: f.u32(0), offset: f.word(4), vaddr: f.word(8), paddr: f.word(12), filesz: f.word(16), memsz: f.word(20), flags: f.u32(24), align: f.word(28) },
        );
      }
    }
    this.phdrCache = out;
    return out;
  }

  /** The section headers with their names, read and checked once. */
  get sections(): SectionHeader[] {
    if (this.shdrCache) return this.shdrCache;
    const h = this.header;
    const out: SectionHeader[] = [];
    if (h.shnum > 0 && h.shoff !== 0n) {
      const entsize = this.is64 ? 64 : 40;
      if (h.shentsize < entsize) throw this.corrupt(`its section header entry size is ${h.shentsize} bytes, smaller than the ${entsize} an ELF${h.class} section header needs`);
      const table = this.readRange(h.shoff, BigInt(h.shentsize) * BigInt(h.shnum), `its section header table (${h.shnum} entries)`);
      const w = this.is64 ? 8 : 4;
      for (let i = 0; i < h.shnum; i++) {
        const f = this.fields(table.subarray(i * h.shentsize, i * h.shentsize + entsize));
        out.push({
          index: i,
          name: "",
          nameOffset: f.u32(0),
          type: f.u32(4),
          flags: f.word(8),
          addr: f.word(8 + w),
          offset: f.word(8 + 2 * w),
          size: f.word(8 + 3 * w),
          link: f.u32(8 + 4 * w),
          info: f.u32(12 + 4 * w),
          addralign: f.word(16 + 4 * w),
          entsize: f.word(16 + 5 * w),
        });
      }
      this.shdrCache = out;
      if (h.shstrndx !== SHN.UNDEF) {
        if (h.shstrndx >= out.length) throw this.corrupt(`its section-name string table index ${h.shstrndx} is not below the section count ${out.length}`);
        for (const s of out) s.name = this.stringAt(h.shstrndx, s.nameOffset, `the name of section ${s.index}`);
      }
    }
    this.shdrCache = out;
    return out;
  }

  /** The first section with this name. */
  section(name: string): SectionHeader | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** A section's bytes (empty for SHT_NOBITS), checked against the file size. */
  sectionData(sec: SectionHeader): Buffer {
    if (sec.type === SHT.NOBITS || sec.type === SHT.NULL) return Buffer.alloc(0);
    return this.readRange(sec.offset, sec.size, sectionLabel(sec));
  }

  /** A segment's file bytes, checked against the file size. */
  segmentData(ph: ProgramHeader): Buffer {
    return this.readRange(ph.offset, ph.filesz, `segment ${ph.index}`);
  }

  /** A NUL-terminated string from the string table in section `tableIndex`. */
  stringAt(tableIndex: number, offset: number, what: string): string {
    // Each entry is decoded once: symbol tables often name the same string many times.
    const key = tableIndex * 0x1_0000_0000 + offset;
    const known = this.decoded.get(key);
    if (known !== undefined) return known;
    const table = this.stringTable(tableIndex, what);
    const s = readCString(table, offset, () => this.corrupt(`${what} starts at offset ${offset}, outside its ${table.length}-byte string table (section ${tableIndex})`));
    if (this.decodedBytes < 32 * 1024 * 1024) {
      this.decoded.set(key, s);
      this.decodedBytes += s.length + 16;
    }
    return s;
  }

  private stringTable(index: number, what: string): Buffer {
    let table = this.stringTables.get(index);
    if (!table) {
      const sec = this.sections[index];
      if (!sec) throw this.corrupt(`${what} refers to string table section ${index}, which does not exist`);
      if (sec.type !== SHT.STRTAB) throw this.corrupt(`${what} refers to section ${index} as its string table, but that section is not a string table`);
      table = this.sectionData(sec);
      this.stringTables.set(index, table);
    }
    return table;
  }

  /** The section holding a symbol table, if the file has one. */
  symbolTableSection(kind: SymbolTableKind): SectionHeader | undefined {
    const type = kind === "symtab" ? SHT.SYMTAB : SHT.DYNSYM;
    return this.sections.find((s) => s.type === type);
  }

  /** Number of entries in a symbol table (0 when absent). */
  symbolCount(kind: SymbolTableKind): number {
    const sec = this.symbolTableSection(kind);
    return sec ? Number(sec.size / BigInt(this.symbolEntrySize(sec))) : 0;
  }

  private symbolEntrySize(sec: SectionHeader): number {
    const min = this.is64 ? 24 : 16;
    // Some linkers leave sh_entsize 0; the structure size is then the only sensible stride.
    const entsize = sec.entsize === 0n ? BigInt(min) : sec.entsize;
    if (entsize < BigInt(min) || entsize > 4096n) throw this.corrupt(`symbol table ${sectionLabel(sec)} has entry size ${sec.entsize}, not a valid ELF${this.header.class} symbol size`);
    return Number(entsize);
  }

  /**
   * Iterates a symbol table, reading it a chunk at a time. Entry 0 (the null symbol) is included, as readelf does.
   */
  *symbols(kind: SymbolTableKind): Generator<ElfSymbol> {
    const sec = this.symbolTableSection(kind);
    if (!sec) return;
    const entsize = this.symbolEntrySize(sec);
    const [start, length] = this.range(sec.offset, sec.size, `symbol table ${sectionLabel(sec)}`);
    const count = Math.floor(length / entsize);
    const what = (i: number) => `the name of symbol ${i} in ${sectionLabel(sec)}`;
    // Touch the string table first, so a bad sh_link is reported before any symbol.
    if (count > 0) this.stringTable(sec.link, what(0));
    const xindex = this.extendedIndexTable(sec.index);
    for (let first = 0; first < count; first += SYMBOL_CHUNK) {
      const n = Math.min(SYMBOL_CHUNK, count - first);
      const chunk = this.src.read(start + first * entsize, n * entsize);
      const f = this.fields(chunk);
      for (let j = 0; j < n; j++) {
        const at = j * entsize;
        const i = first + j;
        const nameOffset = f.u32(at);
        let info: number, other: number, shndx: number, value: bigint, size: bigint;
        if (this.is64) {
          info = f.u8(at + 4);
          other = f.u8(at + 5);
          shndx = f.u16(at + 6);
          value = f.u64(at + 8);
          size = f.u64(at + 16);
        } else {
          value = f.word(at + 4);
          size = f.word(at + 8);
          info = f.u8(at + 12);
          other = f.u8(at + 13);
          shndx = f.u16(at + 14);
        }
        if (shndx === SHN.XINDEX && xindex && (i + 1) * 4 <= xindex.length) shndx = this.u32At(xindex, i * 4);
        yield {
          index: i,
          name: nameOffset === 0 ? "" : this.stringAt(sec.link, nameOffset, what(i)),
          value,
          size,
          bind: info >> 4,
          type: info & 0xf,
          visibility: other & 0x3,
          shndx,
        };
      }
    }
  }

  private u32At(buf: Buffer, at: number): number {
    return this.little ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  /** SHT_SYMTAB_SHNDX: the real section indices of symbols whose st_shndx is SHN_XINDEX. */
  private extendedIndexTable(symtabIndex: number): Buffer | undefined {
    const sec = this.sections.find((s) => s.type === SHT.SYMTAB_SHNDX && s.link === symtabIndex);
    return sec ? this.sectionData(sec) : undefined;
  }

  /** Finds defined symbols by name in .symtab, falling back to .dynsym. */
  findSymbols(name: string): ElfSymbol[] {
    for (const kind of ["symtab", "dynsym"] as const) {
      const found: ElfSymbol[] = [];
      for (const s of this.symbols(kind)) if (s.name === name) found.push(s);
      if (found.length > 0) return found;
    }
    return [];
  }

  /** The dynamic segment's entries up to DT_NULL (from PT_DYNAMIC, else the SHT_DYNAMIC section). */
  dynamicEntries(): DynamicEntry[] {
    const ph = this.programHeaders.find((p) => p.type === PT.DYNAMIC);
    let data: Buffer | undefined;
    if (ph) data = this.segmentData(ph);
    else {
      const sec = this.sections.find((s) => s.type === SHT.DYNAMIC);
      if (sec) data = this.sectionData(sec);
    }
    if (!data) return [];
    const entsize = this.is64 ? 16 : 8;
    const f = this.fields(data);
    const out: DynamicEntry[] = [];
    for (let at = 0; at + entsize <= data.length; at += entsize) {
      const tag = f.sword(at);
      if (tag === DT.NULL) break;
      out.push({ tag, value: f.word(at + entsize / 2) });
    }
    return out;
  }

  /** A string from the dynamic string table (DT_STRTAB), found through the loaded segments or the .dynamic section's link. */
  dynamicString(offset: bigint, entries = this.dynamicEntries()): string {
    const dynSec = this.sections.find((s) => s.type === SHT.DYNAMIC);
    if (dynSec && this.sections[dynSec.link]?.type === SHT.STRTAB) {
      if (offset > 0xffffffffn) throw this.corrupt(`a dynamic entry's string offset ${offset} is out of range`);
      return this.stringAt(dynSec.link, Number(offset), "a dynamic entry's string");
    }
    // No section headers (stripped with sstrip): follow DT_STRTAB's address through the PT_LOAD segments.
    const strtab = entries.find((e) => e.tag === DT.STRTAB)?.value;
    const strsz = entries.find((e) => e.tag === DT.STRSZ)?.value;
    if (strtab === undefined || strsz === undefined) throw this.corrupt("it has dynamic entries that name strings but no DT_STRTAB/DT_STRSZ");
    const fileOffset = this.addressToOffset(strtab);
    if (fileOffset === undefined) throw this.corrupt(`its dynamic string table address ${strtab} is not inside any loaded segment`);
    const table = this.readRange(fileOffset, strsz, "its dynamic string table");
    return readCString(table, Number(offset > MAX_SAFE ? MAX_SAFE : offset), () => this.corrupt(`a dynamic entry's string offset ${offset} is outside the dynamic string table`));
  }

  /** The file offset a virtual address is loaded from, via the PT_LOAD segments (undefined when none covers it). */
  addressToOffset(addr: bigint): bigint | undefined {
    for (const p of this.programHeaders) {
      if (p.type === PT.LOAD && addr >= p.vaddr && addr < p.vaddr + p.filesz) return p.offset + (addr - p.vaddr);
    }
    return undefined;
  }

  /** The program interpreter named by PT_INTERP, if any. */
  interpreter(): string | undefined {
    const ph = this.programHeaders.find((p) => p.type === PT.INTERP);
    if (!ph) return undefined;
    const data = this.segmentData(ph);
    const nul = data.indexOf(0);
    return data.toString("latin1", 0, nul < 0 ? data.length : nul);
  }

  /** Notes from the SHT_NOTE sections, or, when the file has no section headers, from the PT_NOTE segments. */
  notes(): ElfNote[] {
    const secs = this.sections.filter((s) => s.type === SHT.NOTE);
    if (this.sections.length > 0) return secs.flatMap((s) => this.parseNotes(this.sectionData(s), s.addralign === 8n ? 8 : 4, { section: s.name }));
    return this.segmentNotes();
  }

  /** Notes from the PT_NOTE segments: what a loader (QEMU's PVH boot, the Linux kernel) actually sees. */
  segmentNotes(): ElfNote[] {
    return this.programHeaders
      .filter((p) => p.type === PT.NOTE)
      .flatMap((p) => this.parseNotes(this.segmentData(p), p.align === 8n ? 8 : 4, { segment: p.index }));
  }

  private parseNotes(data: Buffer, align: 4 | 8, from: ElfNote["from"]): ElfNote[] {
    const out: ElfNote[] = [];
    const f = this.fields(data);
    const pad = (n: number) => (n + align - 1) & ~(align - 1);
    const where = "section" in from ? `note section ${printable(from.section)}` : `note segment ${from.segment}`;
    let at = 0;
    // Each round consumes at least the 12-byte header, so the loop ends.
    while (at + 12 <= data.length) {
      const namesz = f.u32(at);
      const descsz = f.u32(at + 4);
      const type = f.u32(at + 8);
      const nameAt = at + 12;
      // Padding is relative to the note's start: with 8-byte alignment the 12-byte header counts too.
      const descAt = at + pad(12 + namesz);
      const end = at + pad(descAt - at + descsz);
      if (namesz > data.length || descsz > data.length || descAt + descsz > data.length) {
        throw this.corrupt(`a note in its ${where} (name ${namesz} bytes, descriptor ${descsz} bytes) runs past the end of the ${data.length}-byte note data`);
      }
      let nameEnd = nameAt + namesz;
      if (namesz > 0 && data[nameEnd - 1] === 0) nameEnd--;
      out.push({ name: data.toString("latin1", nameAt, nameEnd), type, desc: data.subarray(descAt, descAt + descsz), from });
      at = end;
    }
    return out;
  }

  /** Reads `length` bytes at a virtual address from the loaded file contents (undefined if not in the file). */
  readAddress(addr: bigint, length: number): Buffer | undefined {
    for (const p of this.programHeaders) {
      if (p.type === PT.LOAD && addr >= p.vaddr && addr + BigInt(length) <= p.vaddr + p.filesz) {
        return this.readRange(p.offset + (addr - p.vaddr), BigInt(length), `segment ${p.index}`);
      }
    }
    for (const s of this.sections) {
      if (s.type !== SHT.NOBITS && s.type !== SHT.NULL && s.addr !== 0n && addr >= s.addr && addr + BigInt(length) <= s.addr + s.size) {
        return this.readRange(s.offset + (addr - s.addr), BigInt(length), sectionLabel(s));
      }
    }
    return undefined;
  }

  /** Reads an unsigned 32-bit word in the file's byte order from a buffer. */
  word32(buf: Buffer, at = 0): number {
    return this.u32At(buf, at);
  }

  /** Is this symbol bound globally (global, weak or GNU unique)? */
  static isGlobal(sym: ElfSymbol): boolean {
    return sym.bind === STB.GLOBAL || sym.bind === STB.WEAK || sym.bind === STB.GNU_UNIQUE;
  }
}

/** "section 5 (.dynstr)": names from a corrupt file may hold anything, so only printable ASCII is shown. */
function sectionLabel(sec: SectionHeader): string {
  return `section ${sec.index}${sec.name ? ` (${printable(sec.name)})` : ""}`;
}

function printable(name: string): string {
  const clean = name.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}

const MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/**
 * Longest name read from a string table. Real symbols stay far below it (the longest Rust ones are a few KiB);
 * a hostile file with thousands of symbols naming one megabyte-long string then costs at most this much per name.
 * A longer name is cut and ends in `…`.
 */
export const MAX_NAME_BYTES = 16 * 1024;

function readCString(table: Buffer, offset: number, outOfRange: () => FreestandError): string {
  if (offset >= table.length) {
    // An empty name at exactly the end is what some tools write for empty tables; anything beyond is corrupt.
    if (offset === 0 && table.length === 0) return "";
    throw outOfRange();
  }
  const limit = Math.min(table.length, offset + MAX_NAME_BYTES);
  const end = table.subarray(offset, limit).indexOf(0);
  if (end >= 0) return table.toString("utf8", offset, offset + end);
  return limit === table.length ? table.toString("utf8", offset, limit) : `${table.toString("utf8", offset, limit)}…`;
}

/** Opens an ELF file. The caller must close() it (or use withElf). */
export function readElf(path: string): ElfFile {
  return ElfFile.open(path);
}

/** Opens an ELF file, runs `fn`, and closes the file whatever happens. */
export async function withElf<T>(path: string, fn: (elf: ElfFile) => T | Promise<T>): Promise<T> {
  const elf = ElfFile.open(path);
  try {
    return await fn(elf);
  } finally {
    elf.close();
  }
}
