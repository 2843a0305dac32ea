import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "../support/cli.js";
import { craftElf, exponentialV0 } from "./craft.js";
import { mkfifoSync } from "./fifo.js";
import { assertOneSentence, cappedHeap } from "./support.js";

/**
 * ELF files built to make verify and size do more work than their size: every one must finish (the timeouts are
 * far below what the unbounded versions took: 52 s, 22 s, 77 s, 207 s) in a capped heap, with a report or one
 * sentence. Each input is generated here, at the size of the attack.
 */

const FINISHES = { timeoutMs: 30_000, env: cappedHeap(512) };

function withElf(name: string, bytes: Buffer, fn: (file: string) => void): void {
  const tmp = tempDir("freestand-hostile-elf-");
  try {
    const file = path.join(tmp.dir, name);
    writeFileSync(file, bytes);
    fn(file);
  } finally {
    tmp.cleanup();
  }
}

/** verify and size answer (a report: exit 0 or 1), neither crashing nor running out of time or memory. */
function assertAnswers(file: string, args: string[]): string {
  const r = runCli([...args, file, "--target", "x86_64-unknown-none"], FINISHES);
  assert.ok(r.code === 0 || r.code === 1, `${args.join(" ")}: exit ${r.code} (killed or crashed?)\n${r.stderr.slice(0, 2000)}`);
  assert.doesNotMatch(r.stderr, /internal error|heap out of memory/);
  return r.stdout;
}

test("20,000 symbols naming one 1 MB string: each entry decoded once, names cut where they are shown", () => {
  const long = Buffer.alloc(1_000_002, 0x61);
  long[0] = 0;
  long[long.length - 1] = 0;
  const bytes = craftElf({ strtab: long, symbols: Array.from({ length: 20_000 }, () => ({ name: 1, type: 2, bind: 1, shndx: 1 })) });
  withElf("shared-name.elf", bytes, (file) => {
    assertAnswers(file, ["verify"]);
    const out = assertAnswers(file, ["size"]);
    // A name is shown, but not a megabyte of it.
    assert.ok(out.length < 200_000, `size printed ${out.length} characters`);
  });
});

test("200,000 sections (extended numbering): size and verify read them without a stack overflow", () => {
  withElf("sections.elf", craftElf({ extraSections: 200_000 }), (file) => {
    assertAnswers(file, ["size"]);
    assertAnswers(file, ["verify"]);
  });
});

test("2,000 v0 names whose back-references grow exponentially: verify demangles only what it shows, within a budget", () => {
  const names = Array.from({ length: 2000 }, (_, i) => exponentialV0(40, String(i)));
  const strtab = Buffer.from(`\0${names.join("\0")}\0`);
  let at = 1;
  const symbols = names.map((n) => {
    const s = { name: at, type: 2, bind: 1, shndx: 1 };
    at += n.length + 1;
    return s;
  });
  withElf("exponential.elf", craftElf({ strtab, symbols }), (file) => {
    assertAnswers(file, ["verify"]);
    assertAnswers(file, ["size"]);
    assertAnswers(file, ["size", "--group"]);
  });
});

test("a 400 KB symbol name: size --group builds its group name in linear time", () => {
  const name = Buffer.from(`\0_ZN${"a".repeat(400_000)}\0`);
  withElf("long-name.elf", craftElf({ strtab: name, symbols: [{ name: 1, type: 2, bind: 1, shndx: 1, size: 16n }] }), (file) => {
    assertAnswers(file, ["size", "--group"]);
  });
});

test("a FIFO or a device given to verify, size or run: one sentence, never a wait", () => {
  const tmp = tempDir("freestand-hostile-fifo-");
  try {
    const fifo = path.join(tmp.dir, "program.elf");
    mkfifoSync(fifo);
    for (const cmd of ["verify", "size", "run"]) {
      assertOneSentence(runCli([cmd, fifo], { timeoutMs: 30_000 }), /is a FIFO \(named pipe\): give an ELF file or a crate directory/);
      assertOneSentence(runCli([cmd, "/dev/zero"], { timeoutMs: 30_000 }), /\/dev\/zero is a device/);
    }
  } finally {
    tmp.cleanup();
  }
});
