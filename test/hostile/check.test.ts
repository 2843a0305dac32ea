import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, readdirSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CLI, runCli } from "../support/cli.js";
import { hostCrate, HOST_MAIN, removeCrate, writeCrate, type Files } from "../check/harness.js";
import { mkfifoSync } from "./fifo.js";
import { assertOneSentence, rng, snapshot } from "./support.js";

/**
 * Crates built to make `check` hang, blow up or damage files: sources too big or too deep for the parser,
 * manifests the TOML reader cannot take, FIFOs and directories where files belong, and `--fix` against unwritable
 * files and SIGKILL. Each ends in a report or one sentence, and a crate `--fix` could not finish is unchanged.
 */

function withCrate(files: Files, fn: (dir: string) => void): void {
  const dir = writeCrate(files, "freestand-hostile-check-");
  try {
    fn(dir);
  } finally {
    spawnSync("chattr", ["-R", "-i", dir]);
    removeCrate(dir);
  }
}

test("a 17 MiB source is refused in one sentence naming the limit", () => {
  withCrate(hostCrate({ "src/main.rs": `${HOST_MAIN}const X: &[u8] = &[${"0,".repeat(17 << 19)}];\n` }), (dir) => {
    assertOneSentence(runCli(["check", dir], { timeoutMs: 120_000 }), /src\/main\.rs is 17 MiB, more than freestand parses \(limit 16 MiB\)\./);
  });
});

test("a source that needs more parser memory than there is (a 15 MB `1+` chain) is one sentence, not a wasm abort", () => {
  withCrate(hostCrate({ "src/main.rs": `${HOST_MAIN}const X: u32 = ${"1+\n".repeat(5_000_000)}1;\n` }), (dir) => {
    assertOneSentence(runCli(["check", dir], { timeoutMs: 180_000 }), /src\/main\.rs needs more memory to parse than freestand's parser has/);
  });
});

test("SIGTERM ends a check that is busy parsing at once (no handler of freestand's waits for the work to end)", async () => {
  const dir = writeCrate(hostCrate({ "src/main.rs": `${HOST_MAIN}const X: u32 = ${"1+\n".repeat(5_000_000)}1;\n` }), "freestand-hostile-check-");
  try {
    const child = spawn(process.execPath, [CLI, "check", dir], { stdio: "ignore" });
    // Long enough to be inside the parse (which takes seconds on this file), short of its end.
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGTERM");
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
    // Ended by the signal itself: a JS handler would have run only after the parse, and then exited with a code.
    assert.deepEqual([code, signal], [null, "SIGTERM"]);
  } finally {
    removeCrate(dir);
  }
});

test("20,000 nested inline modules: checked in linear time", () => {
  const depth = 20_000;
  let body = "";
  for (let i = 0; i < depth; i++) body += `mod m${i} { `;
  // Found and judged at the bottom: the rules walk its 20,000 ancestors for cfgs (it is not compiled).
  body += '#[cfg(any())] pub fn f() { println!("x"); }';
  body += " }".repeat(depth);
  withCrate(hostCrate({ "src/main.rs": `${HOST_MAIN}${body}\n` }), (dir) => {
    const r = runCli(["check", dir], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(0, 2000));
  });
});

test("a valid Cargo.toml with a 1 MB string: a sentence about the reader's limit, not 'not valid TOML: Maximum call stack'", () => {
  const files = hostCrate();
  files["Cargo.toml"] += `\n[package.metadata.x]\nblob = "${"a".repeat(1 << 20)}"\n`;
  withCrate(files, (dir) => {
    const r = runCli(["check", dir], { timeoutMs: 60_000 });
    assertOneSentence(r, /Cargo\.toml holds a string longer than freestand's TOML reader takes/);
    assert.doesNotMatch(r.stderr, /not valid TOML|call stack/);
  });
});

test("FIFOs and directories where cargo's files belong: one sentence with the path, never a wait", () => {
  const cases: [string, (dir: string) => void, RegExp][] = [
    ["Cargo.toml", (d) => (unlinkSync(path.join(d, "Cargo.toml")), mkfifoSync(path.join(d, "Cargo.toml"))), /Cargo\.toml is a FIFO \(named pipe\), not a regular file\./],
    [".cargo/config.toml", (d) => (unlinkSync(path.join(d, ".cargo/config.toml")), mkfifoSync(path.join(d, ".cargo/config.toml"))), /\.cargo\/config\.toml is a FIFO/],
    ["rust-toolchain.toml", (d) => mkfifoSync(path.join(d, "rust-toolchain.toml")), /rust-toolchain\.toml is a FIFO/],
    ["src/main.rs", (d) => (unlinkSync(path.join(d, "src/main.rs")), mkfifoSync(path.join(d, "src/main.rs"))), /src\/main\.rs is a FIFO/],
    ["Cargo.toml as a directory", (d) => (unlinkSync(path.join(d, "Cargo.toml")), mkdirSync(path.join(d, "Cargo.toml"))), /Cargo\.toml is a directory, not a regular file\./],
    [".cargo/config.toml as a directory", (d) => (unlinkSync(path.join(d, ".cargo/config.toml")), mkdirSync(path.join(d, ".cargo/config.toml"))), /config\.toml is a directory, not a regular file\./],
    [
      "a [[bin]] path",
      (d) => {
        appendFileSync(path.join(d, "Cargo.toml"), '\n[[bin]]\nname = "other"\npath = "src/other.rs"\n');
        mkfifoSync(path.join(d, "src/other.rs"));
      },
      /src\/other\.rs is a FIFO/,
    ],
    ["src/main.rs as /dev/zero", (d) => (unlinkSync(path.join(d, "src/main.rs")), symlinkSync("/dev/zero", path.join(d, "src/main.rs"))), /src\/main\.rs is a device, not a regular file\./],
  ];
  for (const [what, make, expected] of cases) {
    withCrate(hostCrate(), (dir) => {
      make(dir);
      const r = runCli(["check", dir], { timeoutMs: 30_000 });
      assert.notEqual(r.code, null, `${what}: check did not finish`);
      assertOneSentence(r, expected);
    });
  }
});

/** A crate with fixes in four files: the manifest, a config it must create, and two sources. */
function fixableCrate(): Files {
  return {
    "Cargo.toml": '[package]\nname = "fixme"\nversion = "0.1.0"\nedition = "2021"\n',
    "src/main.rs": "#![no_std]\n#![no_main]\nmod m;\n#[no_mangle]\npub extern \"C\" fn _start() -> ! { loop {} }\n",
    "src/m.rs": 'pub fn f() { println!("x"); }\n',
  };
}

test("check --fix against a `.cargo` that is a file: one sentence, and no file of the crate changed", () => {
  withCrate({ ...fixableCrate(), ".cargo": "not a directory\n" }, (dir) => {
    const before = snapshot(dir);
    assertOneSentence(runCli(["check", "--fix", dir], { timeoutMs: 120_000 }), /cannot write .*\.cargo\/config\.toml: .*\.cargo is a file, not a directory; no file was changed\./);
    assert.deepEqual(snapshot(dir), before);
  });
});

test("check --fix with one source immutable (chattr +i): one sentence, and no file of the crate changed", (t) => {
  withCrate(fixableCrate(), (dir) => {
    if (spawnSync("chattr", ["+i", path.join(dir, "src/main.rs")]).status !== 0) return t.skip("chattr +i is not possible here");
    const before = snapshot(dir);
    assertOneSentence(runCli(["check", "--fix", dir], { timeoutMs: 120_000 }), /cannot write .*src\/main\.rs: it is not writable; no file was changed\./);
    assert.deepEqual(snapshot(dir), before);
  });
});

test("SIGKILL at 30 seeded moments of check --fix: every file is its original or its final text, and the next run leaves no temporary file", async () => {
  const original = writeCrate(fixableCrate(), "freestand-hostile-kill-");
  const finalDir = `${original}-final`;
  try {
    cpSync(original, finalDir, { recursive: true });
    const done = runCli(["check", "--fix", finalDir], { timeoutMs: 120_000 });
    assert.ok(done.code === 0 || done.code === 1, done.stderr);
    const initial = snapshot(original);
    const final = snapshot(finalDir);
    const changed = [...final.keys()].filter((f) => initial.get(f) !== final.get(f));
    assert.ok(changed.length >= 3, `the fixes should touch several files: ${changed.join(", ")}`);
    // How long a whole run takes here, so that the kills land all over it.
    const timing = `${original}-timing`;
    cpSync(original, timing, { recursive: true });
    const started = Date.now();
    runCli(["check", "--fix", timing], { timeoutMs: 60_000 });
    const span = Math.max(300, (Date.now() - started) * 3);
    const random = rng(0xdead);
    const work = `${original}-work`;
    for (let i = 0; i < 30; i++) {
      rmSync(work, { recursive: true, force: true });
      cpSync(original, work, { recursive: true });
      const delay = Math.floor(random() * span);
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [CLI, "check", "--fix", work], { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
        const timer = setTimeout(() => child.kill("SIGKILL"), delay);
        child.on("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const now = snapshot(work);
      for (const [file, hash] of now) {
        if (/\.tmp$/.test(file)) continue; // a kill between a temporary's write and its rename: removed by the next run
        assert.ok(hash === initial.get(file) || hash === final.get(file), `kill ${i} after ${delay} ms: ${file} is neither original nor final`);
      }
    }
    // The next run finishes the job and removes what a killed run left.
    const again = runCli(["check", "--fix", work], { timeoutMs: 120_000 });
    assert.ok(again.code === 0 || again.code === 1, again.stderr);
    assert.deepEqual(
      [...snapshot(work).keys()].filter((f) => f.endsWith(".tmp")),
      [],
    );
    assert.deepEqual(snapshot(work), final);
    assert.deepEqual(readdirSync(path.dirname(work)).filter((f) => f.startsWith(`.${path.basename(work)}`)), []);
  } finally {
    for (const d of [original, finalDir, `${original}-work`, `${original}-timing`]) rmSync(d, { recursive: true, force: true });
  }
});
