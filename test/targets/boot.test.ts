import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { runCli, sh, tempDir } from "../support/cli.js";
import { cargoInvocation } from "../../src/toolchain/index.js";
import { QEMU_TARGETS, elfPath, greeting, makePanic, notReadyReason } from "./support.js";

// For every bare-metal target: new → build → run through our CLI, in debug and release, booted in real QEMU.
// One generated crate per target and variant; each is built in both profiles.
const PROFILES = [
  { name: "debug", flags: [] as string[] },
  { name: "release", flags: ["--release"] },
] as const;

for (const target of QEMU_TARGETS) {
  describe(`${target.id} in QEMU`, () => {
    const skip = notReadyReason(target);
    const tmp = tempDir(`freestand-boot-${target.id}-`);
    const hello = path.join(tmp.dir, "hello");
    const withHeap = path.join(tmp.dir, "heap");
    after(tmp.cleanup);

    before(() => {
      if (skip) return;
      for (const [dir, extra] of [[hello, []], [withHeap, ["--alloc"]]] as const) {
        const r = runCli(["new", dir, "--target", target.id, "--yes", ...extra]);
        assert.equal(r.code, 0, r.stderr);
      }
    });

    for (const profile of PROFILES) {
      test(`${profile.name}: prints the greeting with an integer and a float, exits 0`, (t) => {
        if (skip) return t.skip(skip);
        const r = runCli(["run", hello, ...profile.flags]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, greeting("hello", target.triple));
        assert.doesNotMatch(r.stderr, /^warning/m, "the generated crate compiles without warnings");
      });
    }

    for (const profile of PROFILES) {
      test(`${profile.name} --alloc: a String, a Vec, and more allocated and freed than the heap holds`, (t) => {
        if (skip) return t.skip(skip);
        const r = runCli(["run", withHeap, ...profile.flags]);
        assert.equal(r.code, 0, r.stderr);
        assert.doesNotMatch(r.stderr, /^warning/m, "the generated crate compiles without warnings");
        const [hi1, hi2, squares, churn] = r.stdout.split("\n");
        assert.equal(`${hi1}\n${hi2}\n`, greeting("heap", target.triple));
        assert.equal(squares, "alloc: squares [1, 4, 9, 16, 25, 36, 49, 64, 81, 100], sum 385");
        const m = /^alloc: (\d+) bytes allocated and freed through a (\d+)-byte heap$/.exec(churn ?? "");
        assert.ok(m, `the heap line is printed: ${r.stdout}`);
        const [total, heap] = [Number(m[1]), Number(m[2])];
        // The heap's size comes from the linker script's symbols at run time: it must be the catalogue's.
        assert.equal(heap, target.heapSize);
        // Passing twice through the whole heap only works if freed blocks are reused.
        assert.ok(total > 2 * heap, `${total} > 2 × ${heap}`);
      });
    }

    test("run on the ELF itself: its machine chooses QEMU, or --target does", (t) => {
      if (skip) return t.skip(skip);
      const elf = elfPath(hello, target.triple, "release");
      for (const extra of [[], ["--target", target.triple]]) {
        const r = runCli(["run", elf, ...extra]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, greeting("hello", target.triple));
      }
    });

    test("`freestand check` finds no trap in the generated crates and `freestand verify` accepts their ELFs", (t) => {
      if (skip) return t.skip(skip);
      for (const crate of [hello, withHeap]) {
        const c = runCli(["check", crate]);
        assert.equal(c.code, 0, c.stdout + c.stderr);
        // At most a note about this machine (plain cargo's compiler may lack the target's core): no trap.
        assert.doesNotMatch(c.stdout, /^(error|warning)\[/m);
        assert.match(c.stdout, /no problems found|^\d+ notes?$/m);
        for (const profile of PROFILES) {
          const v = runCli(["verify", elfPath(crate, target.triple, profile.name)]);
          assert.equal(v.code, 0, v.stdout + v.stderr);
          assert.match(v.stdout, new RegExp(`target ${target.id} — freestanding`));
        }
      }
    });

    test("a plain `cargo run` boots it too, through the runner in .cargo/config.toml", async (t) => {
      if (skip) return t.skip(skip);
      // The toolchain part (which rustc, which sysroot) comes from freestand; the runner from the crate's config.
      const inv = await cargoInvocation({ crateDir: hello, triple: target.triple });
      const r = sh(inv.cargo, ["run", "--quiet", ...inv.args], { cwd: hello, env: inv.env, timeoutMs: 120_000 });
      // The runner's exit is the program's (x86's isa-debug-exit status is decoded by the shell around QEMU).
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, greeting("hello", target.triple));
    });

    test("a panic prints the PanicInfo and exits 101, in debug and release", (t) => {
      if (skip) return t.skip(skip);
      makePanic(hello);
      for (const profile of PROFILES) {
        const r = runCli(["run", hello, ...profile.flags]);
        assert.equal(r.code, 101, `${profile.name}: ${r.stderr}`);
        assert.equal(r.stdout, `${greeting("hello", target.triple)}panicked at src/main.rs:${lineOfPanic(hello)}:5:\ndeliberate panic: 42 / 0\n`);
      }
    });
  });
}

/** The line of the `panic!` that makePanic inserted. */
function lineOfPanic(crate: string): number {
  return readFileSync(path.join(crate, "src", "main.rs"), "utf8").split("\n").findIndex((l) => l.includes("deliberate panic")) + 1;
}
