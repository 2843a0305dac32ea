import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { ElfFile, readElf } from "../../src/elf/reader.js";
import { sh } from "../support/cli.js";
import { elf, needs } from "./fixtures.js";
import { missing } from "./build-helpers.js";

/**
 * The reader compared field by field with llvm-readobj's JSON (headers, segments, sections, both symbol tables,
 * notes) and readelf's dynamic section (LLVM 14's JSON for that is not well-formed) on a varied set of ELFs.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function readobj(file: string, ...what: string[]): Json {
  const r = sh("llvm-readobj", ["--elf-output-style=JSON", ...what, file]);
  assert.equal(r.code, 0, r.stderr);
  const top = JSON.parse(r.stdout)[0];
  return top[Object.keys(top)[0]!];
}

const raw = (v: unknown): number => (typeof v === "number" ? v : Number((v as Json).RawValue ?? (v as Json).RawFlags));

function compare(file: string, e: ElfFile): void {
  const h = readobj(file, "--file-headers").ElfHeader;
  assert.equal(e.header.class, h.Ident.Class.RawValue === 2 ? 64 : 32, "class");
  assert.equal(e.header.endian, h.Ident.DataEncoding.RawValue === 1 ? "little" : "big", "endian");
  assert.equal(e.header.osabi, h.Ident["OS/ABI"].RawValue, "osabi");
  assert.equal(e.header.machine, h.Machine.RawValue, "machine");
  assert.equal(Number(e.header.entry), h.Entry, "entry");
  assert.equal(Number(e.header.phoff), h.ProgramHeaderOffset, "phoff");
  assert.equal(Number(e.header.shoff), h.SectionHeaderOffset, "shoff");
  assert.equal(e.header.flags, h.Flags.RawFlags, "flags");
  assert.equal(e.header.phnum, h.ProgramHeaderCount, "phnum");
  assert.equal(e.header.shnum, Number(h.SectionHeaderCount), "shnum");
  assert.equal(e.header.shstrndx, Number(h.StringTableSectionIndex), "shstrndx");

  const phdrs = (readobj(file, "--program-headers").ProgramHeaders ?? []).map((p: Json) => p.ProgramHeader);
  assert.equal(e.programHeaders.length, phdrs.length, "segment count");
  e.programHeaders.forEach((p, i) => {
    const q = phdrs[i];
    assert.deepEqual(
      [p.type, Number(p.offset), Number(p.vaddr), Number(p.paddr), Number(p.filesz), Number(p.memsz), p.flags, Number(p.align)],
      [q.Type.RawValue, q.Offset, q.VirtualAddress, q.PhysicalAddress, q.FileSize, q.MemSize, q.Flags.RawFlags, q.Alignment],
      `segment ${i}`,
    );
  });

  const secs = (readobj(file, "--sections").Sections ?? []).map((s: Json) => s.Section);
  assert.equal(e.sections.length, secs.length, "section count");
  e.sections.forEach((s, i) => {
    const q = secs[i];
    assert.deepEqual(
      [s.index, s.name, s.type, Number(s.flags), Number(s.addr), Number(s.offset), Number(s.size), s.link, s.info, Number(s.addralign), Number(s.entsize)],
      [q.Index, q.Name.Value, q.Type.RawValue, q.Flags.RawFlags, q.Address, q.Offset, q.Size, q.Link, q.Info, q.AddressAlignment, q.EntrySize],
      `section ${i}`,
    );
  });

  for (const [kind, option, key] of [
    ["symtab", "--symbols", "Symbols"],
    ["dynsym", "--dyn-symbols", "DynamicSymbols"],
  ] as const) {
    const theirs = (readobj(file, option)[key] ?? []).map((s: Json) => s.Symbol);
    const ours = [...e.symbols(kind)];
    assert.equal(ours.length, theirs.length, `${kind} count`);
    ours.forEach((s, i) => {
      const q = theirs[i];
      // llvm-readobj appends symbol versions (`memcpy@GLIBC_2.14`) to dynamic symbol names.
      const name = kind === "dynsym" ? String(q.Name.Value).replace(/@.*$/, "") : q.Name.Value;
      // llvm-readobj shows a section symbol (STT_SECTION, no name of its own) under its section's name.
      const ourName = s.type === 3 && s.name === "" ? (e.sections[s.shndx]?.name ?? "") : s.name;
      assert.deepEqual(
        [ourName, Number(s.value), Number(s.size), s.bind, s.type, s.visibility, s.shndx],
        [name, q.Value, q.Size, q.Binding.RawValue, q.Type.RawValue, raw(q.Other) & 3, q.Section.RawValue],
        `${kind} symbol ${i}`,
      );
    });
  }

  const notes = (readobj(file, "--notes").Notes ?? []).flatMap((n: Json) => {
    const group = n.NoteSection ?? n.NoteSegment ?? n;
    const list = Array.isArray(group.Note) ? group.Note : group.Note ? [group.Note] : [];
    return list.map((x: Json) => [x.Owner, x["Data size"]]);
  });
  const ourNotes = (e.sections.length > 0 ? e.notes() : e.segmentNotes()).map((n) => [n.name, n.desc.length]);
  assert.deepEqual(ourNotes, notes, "notes");

  // readelf -dW: one line per entry, "0x<tag> (<NAME>) <value>"; libraries named in brackets.
  const dyn = sh("readelf", ["-dW", file]).stdout;
  const lines = dyn.split("\n").filter((l) => /^\s*0x[0-9a-f]+\s+\(/.test(l));
  const entries = e.dynamicEntries();
  // readelf also prints the terminating NULL entry; we stop before it.
  const theirsTags = lines.map((l) => BigInt(l.trim().split(/\s+/)[0]!)).filter((t) => t !== 0n);
  assert.deepEqual(entries.map((d) => d.tag), theirsTags, "dynamic tags");
  const needed = lines.filter((l) => l.includes("(NEEDED)")).map((l) => /\[(.*)\]/.exec(l)![1]);
  assert.deepEqual(entries.filter((d) => d.tag === 1n).map((d) => e.dynamicString(d.value)), needed, "DT_NEEDED");
  const interp = /Requesting program interpreter: (.*)\]/.exec(sh("readelf", ["-lW", file]).stdout)?.[1];
  assert.equal(e.interpreter(), interp, "interpreter");
}

const skipReadobj = missing("llvm-readobj", "readelf");

const corpus: [string, () => string, (() => string | undefined)?][] = [
  ["freestanding static x86_64 (gcc -nostdlib -static)", elf.freestanding, needs.gcc],
  ["freestanding Rust host binary (cargo)", () => elf.rustEntry(true), needs.cargo],
  ["static-PIE", elf.staticPie, needs.gcc],
  ["dynamic PIE: /usr/bin/ls", () => "/usr/bin/ls", () => (existsSync("/usr/bin/ls") ? undefined : "no /usr/bin/ls")],
  ["static C program (glibc)", elf.helloStatic, needs.gcc],
  ["object file", elf.object, needs.gcc],
  ["shared library", elf.sharedLib, needs.gcc],
  ["32-bit ARM Cortex-M image", () => elf.cortexM(), needs.arm],
  ["32-bit ARM object file", elf.armObject, needs.arm],
  ["big-endian 32-bit PowerPC", elf.powerpc, needs.ppc],
  ["x86_64 kernel with a PVH note", () => elf.pvh(true), needs.gcc],
];

for (const [what, build, need] of corpus) {
  test(`reader matches llvm-readobj and readelf: ${what}`, { skip: skipReadobj ?? need?.() }, () => {
    const file = build();
    const e = readElf(file);
    try {
      compare(file, e);
    } finally {
      e.close();
    }
  });
}

test("the PVH note is read from its PT_NOTE segment with type 18 and the entry address", { skip: needs.gcc() }, () => {
  const e = readElf(elf.pvh(true));
  try {
    const pvh = e.segmentNotes().find((n) => n.name === "Xen" && n.type === 18);
    assert.ok(pvh, "no Xen note in a PT_NOTE segment");
    assert.equal(pvh.desc.readUInt32LE(0), 0x100000);
  } finally {
    e.close();
  }
});

test("64-bit values keep every bit", () => {
  // An ELF64 header whose entry point is above 2^53 (where a double would round it).
  const bytes = Buffer.alloc(64);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  bytes.writeUInt16LE(2, 16);
  bytes.writeUInt16LE(62, 18);
  bytes.writeBigUInt64LE(0xffff_ffff_8000_1001n, 24);
  bytes.writeUInt16LE(64, 52);
  const e = ElfFile.fromBytes(bytes);
  assert.equal(e.header.entry, 0xffff_ffff_8000_1001n);
});
