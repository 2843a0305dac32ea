import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { runCli, sh, tempDir } from "../support/cli.js";
import { cargoInvocation } from "../../src/toolchain/index.js";
import { BOARDS } from "../../src/targets/boards.js";
import { findTarget } from "../../src/targets/catalog.js";
import { elfPath, greeting, makePanic, notReadyReason } from "./support.js";

// For every board: new --board → build → run in real QEMU on the board's own machine, in debug and release; the
// console is the chip's UART (proved by sending QEMU's serial port to a file), and the exit's semihosting is a
// feature the crate can leave out for the hardware.
const PROFILES = [
  { name: "debug", flags: [] as string[] },
  { name: "release", flags: ["--release"] },
] as const;

for (const board of BOARDS) {
  describe(`board ${board.id} in QEMU`, () => {
    const skip = notReadyReason(board);
    const tmp = tempDir(`freestand-board-${board.id}-`);
    const hello = path.join(tmp.dir, "hello");
    const withHeap = path.join(tmp.dir, "heap");
    after(tmp.cleanup);

    before(() => {
      if (skip) return;
      for (const [dir, extra] of [[hello, []], [withHeap, ["--alloc"]]] as const) {
        const r = runCli(["new", dir, "--board", board.id, "--yes", ...extra]);
        assert.equal(r.code, 0, r.stderr);
      }
    });

    test("the crate names its board, and its link.x and runner are the board's", (t) => {
      if (skip) return t.skip(skip);
      assert.match(readFileSync(path.join(hello, "Cargo.toml"), "utf8"), new RegExp(`\\[package\\.metadata\\.freestand\\]\\nboard = "${board.id}"\\n`));
      const linkX = readFileSync(path.join(hello, "link.x"), "utf8");
      for (const r of board.memory) assert.match(linkX, new RegExp(`ORIGIN = 0x${r.origin.toString(16).padStart(8, "0")}`), `${r.name} of ${board.id}`);
      assert.match(readFileSync(path.join(hello, ".cargo", "config.toml"), "utf8"), new RegExp(`^runner = .* -M ${board.board!.qemuMachine} `, "m"));
    });

    for (const profile of PROFILES) {
      test(`${profile.name}: prints the greeting, exits 0; --alloc uses the board's heap`, (t) => {
        if (skip) return t.skip(skip);
        const r = runCli(["run", hello, ...profile.flags]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, greeting("hello", board.triple));
        assert.doesNotMatch(r.stderr, /^warning/m, "the generated crate compiles without warnings");
        const h = runCli(["run", withHeap, ...profile.flags]);
        assert.equal(h.code, 0, h.stderr);
        const m = /alloc: (\d+) bytes allocated and freed through a (\d+)-byte heap\n$/.exec(h.stdout);
        assert.ok(m, h.stdout);
        assert.equal(Number(m[2]), board.heapSize);
        assert.ok(Number(m[1]) > 2 * board.heapSize!);
      });
    }

    test("the greeting goes out through the chip's UART: QEMU's serial port, not semihosting", (t) => {
      if (skip) return t.skip(skip);
      const serial = path.join(tmp.dir, "serial.txt");
      const args = board.qemu!.args.map((a) => (a === "stdio" ? `file:${serial}` : a));
      const r = sh(board.qemu!.binary, [...args, "-kernel", elfPath(hello, board.triple, "release")], { timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "", "nothing reaches QEMU's stdout except through the serial port");
      assert.equal(readFileSync(serial, "utf8"), greeting("hello", board.triple));
    });

    test("an ELF file alone runs on its board: its sections lie in the board's memory and in no other machine's", (t) => {
      if (skip) return t.skip(skip);
      const elf = elfPath(hello, board.triple, "release");
      const generic = findTarget(board.triple)!;
      // The micro:bit's map is the generic ARMv6-M one (QEMU's microbit machine both): the ELF says no more.
      const expected = JSON.stringify(generic.memory) === JSON.stringify(board.memory) ? generic.id : board.id;
      const v = runCli(["verify", elf]);
      assert.equal(v.code, 0, v.stdout + v.stderr);
      assert.match(v.stdout, new RegExp(`target ${expected} — freestanding`));
      const r = runCli(["run", elf]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, greeting("hello", board.triple));
    });

    test("`check` finds no trap; `verify` accepts the ELF against the board's memory map and not another's", (t) => {
      if (skip) return t.skip(skip);
      const c = runCli(["check", hello]);
      assert.equal(c.code, 0, c.stdout + c.stderr);
      assert.doesNotMatch(c.stdout, /^(error|warning)\[/m);
      for (const profile of PROFILES) {
        const elf = elfPath(hello, board.triple, profile.name);
        const v = runCli(["verify", elf, "--target", board.id]);
        assert.equal(v.code, 0, v.stdout + v.stderr);
        assert.match(v.stdout, new RegExp(`target ${board.id} — freestanding`));
      }
      // The board's map is the one checked: the generic target's differs for every board but the micro:bit's.
      const generic = findTarget(board.triple)!;
      const same = JSON.stringify(generic.memory) === JSON.stringify(board.memory);
      const g = runCli(["verify", elfPath(hello, board.triple, "release"), "--target", generic.id]);
      assert.equal(g.code, same ? 0 : 1, g.stdout + g.stderr);
      if (!same) assert.match(g.stdout, /verify_memory_region|verify_vector_table/);
      // `size` of the crate measures against the board's regions.
      const s = runCli(["size", hello, "--release"]);
      assert.equal(s.code, 0, s.stderr);
      for (const r of board.memory) assert.match(s.stdout, new RegExp(`% of [\\d.]+ [KMG]iB ${r.name}\\n`));
    });

    test("without the `semihosting-exit` feature (the board's build) it prints and then sleeps instead of exiting", (t) => {
      if (skip) return t.skip(skip);
      const r = runCli(["run", hello, "--release", "--no-default-features", "--timeout", "3"]);
      assert.equal(r.code, 124, r.stderr);
      assert.equal(r.stdout, greeting("hello", board.triple));
      assert.match(r.stderr, /did not finish within 3 s/);
    });

    test("`freestand test` runs the crate's tests on the board's machine, each in its own boot", (t) => {
      if (skip) return t.skip(skip);
      const r = runCli(["test", "-C", hello]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^test tests::the_answer_is_42 \.\.\. ok$/m);
      assert.match(r.stdout, /^test result: ok\. 2 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in /m);
    });

    test("a plain `cargo run` boots it on the board's machine, through the runner", async (t) => {
      if (skip) return t.skip(skip);
      const inv = await cargoInvocation({ crateDir: hello, triple: board.triple });
      const r = sh(inv.cargo, ["run", "--quiet", ...inv.args], { cwd: hello, env: inv.env, timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.replace(/\r\n/g, "\n"), greeting("hello", board.triple));
    });

    test("a panic prints the PanicInfo and exits 101, in debug and release", (t) => {
      if (skip) return t.skip(skip);
      makePanic(hello);
      const line = readFileSync(path.join(hello, "src", "main.rs"), "utf8").split("\n").findIndex((l) => l.includes("deliberate panic")) + 1;
      for (const profile of PROFILES) {
        const r = runCli(["run", hello, ...profile.flags]);
        assert.equal(r.code, 101, `${profile.name}: ${r.stderr}`);
        assert.equal(r.stdout, `${greeting("hello", board.triple)}panicked at src/main.rs:${line}:5:\ndeliberate panic: 42 / 0\n`);
      }
    });
  });
}
