import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CLI, runCli, tempDir } from "../support/cli.js";
import { assertOneSentence, rng, snapshot } from "./support.js";

/**
 * `new` under kills, races and unwritable places: a directory is its old self or the whole new crate, staging
 * directories a killed run left are removed by the next one, and every failure is one sentence with the path.
 */

const NEW = ["new", "--target", "host", "--vcs", "none"];

function runNew(dir: string, extra: string[] = []): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...NEW, ...extra, dir], { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    child.on("close", (code) => resolve(code));
  });
}

test("a staging directory left by a killed `new` is removed by the next run", () => {
  const tmp = tempDir("freestand-hostile-new-");
  try {
    // As a SIGKILL leaves it: named after a process that no longer runs.
    const dead = spawnSync("true").pid!;
    const stale = path.join(tmp.dir, `.freestand-tmp-demo-${dead}-0badc0de`);
    mkdirSync(path.join(stale, "src"), { recursive: true });
    writeFileSync(path.join(stale, "Cargo.toml"), "half\n");
    const r = runCli([...NEW, path.join(tmp.dir, "other")]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(tmp.dir).sort(), ["other"]);
  } finally {
    tmp.cleanup();
  }
});

test("SIGKILL at 20 seeded moments of `new` and `new --force`: the directory is the old crate or the new one, never a mix", async () => {
  const tmp = tempDir("freestand-hostile-new-");
  try {
    const dir = path.join(tmp.dir, "demo");
    // The "old" crate: a library (other files than the binary's), plus a file of the user's own.
    assert.equal(runCli(["new", "--lib", "--target", "host", "--vcs", "none", dir]).code, 0);
    writeFileSync(path.join(dir, "NOTES.md"), "mine\n");
    const old = snapshot(dir);
    const fresh = path.join(tmp.dir, "fresh");
    assert.equal(runCli([...NEW, "--name", "demo", fresh]).code, 0);
    const expectedNew = new Map([...old, ...snapshot(fresh)]);
    rmSync(fresh, { recursive: true });
    const started = Date.now();
    await runNew(path.join(tmp.dir, "timing"));
    const span = Math.max(200, (Date.now() - started) * 2);
    const random = rng(0xf0cce);
    for (let i = 0; i < 20; i++) {
      const child = spawn(process.execPath, [CLI, ...NEW, "--force", dir], { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
      const delay = Math.floor(random() * span);
      const timer = setTimeout(() => child.kill("SIGKILL"), delay);
      const finished = await new Promise<boolean>((resolve) => child.on("close", (code) => resolve(code === 0)));
      clearTimeout(timer);
      // A kill between the two renames of the swap is repaired by the next run; otherwise the directory is whole.
      if (!existsSync(dir)) {
        assert.equal(runCli([...NEW, path.join(tmp.dir, `repair-${i}`)]).code, 0);
        rmSync(path.join(tmp.dir, `repair-${i}`), { recursive: true });
      }
      const now = snapshot(dir);
      const isOld = JSON.stringify([...now].sort()) === JSON.stringify([...old].sort());
      const isNew = JSON.stringify([...now].sort()) === JSON.stringify([...expectedNew].sort());
      assert.ok(isOld || isNew, `kill ${i} after ${delay} ms (finished: ${finished}): a mix of old and new files`);
      // Back to the old crate for the next kill (after a run has cleaned up what the killed one left).
      if (isNew) {
        assert.equal(runCli([...NEW, path.join(tmp.dir, `clean-${i}`)]).code, 0);
        rmSync(path.join(tmp.dir, `clean-${i}`), { recursive: true });
        rmSync(dir, { recursive: true });
        assert.equal(runCli(["new", "--lib", "--target", "host", "--vcs", "none", dir]).code, 0);
        writeFileSync(path.join(dir, "NOTES.md"), "mine\n");
      }
    }
    assert.equal(runCli([...NEW, path.join(tmp.dir, "last")]).code, 0);
    assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.startsWith(".freestand-")), [], "no staging directory left");
  } finally {
    tmp.cleanup();
  }
});

test("two `new` into the same directory at once: one creates it, the other says so in one sentence", async () => {
  const tmp = tempDir("freestand-hostile-new-");
  try {
    const dir = path.join(tmp.dir, "race");
    for (let round = 0; round < 5; round++) {
      rmSync(dir, { recursive: true, force: true });
      const results: { code: number | null; stderr: string }[] = await Promise.all(
        [0, 1].map(
          () =>
            new Promise<{ code: number | null; stderr: string }>((resolve) => {
              const child = spawn(process.execPath, [CLI, ...NEW, dir], { env: { ...process.env, NO_COLOR: "1" } });
              let stderr = "";
              child.stderr.on("data", (c) => (stderr += c));
              child.on("close", (code) => resolve({ code, stderr }));
            }),
        ),
      );
      const codes = results.map((r) => r.code).sort();
      assert.ok(codes[0] === 0, `one must succeed: ${JSON.stringify(results)}`);
      for (const r of results.filter((x) => x.code !== 0)) {
        assertOneSentence({ code: r.code, stdout: "", stderr: r.stderr }, /(?:was created by another process while freestand was writing it|is not empty); /);
      }
    }
  } finally {
    tmp.cleanup();
  }
});

test("a parent that is a file, a read-only parent and a full disk: one sentence with the path", (t) => {
  const tmp = tempDir("freestand-hostile-new-");
  try {
    writeFileSync(path.join(tmp.dir, "file"), "x\n");
    assertOneSentence(runCli([...NEW, path.join(tmp.dir, "file", "demo")]), /file\/demo cannot be created: a directory above it is a file\./);
    const ro = path.join(tmp.dir, "ro");
    mkdirSync(ro);
    if (spawnSync("chattr", ["+i", ro]).status === 0) {
      try {
        assertOneSentence(runCli([...NEW, path.join(ro, "demo")]), /ro is not writable, so .*ro\/demo could not be created; nothing was written\./);
      } finally {
        spawnSync("chattr", ["-i", ro]);
      }
    } else t.diagnostic("chattr +i is not possible here: read-only parent not tried");
    const small = path.join(tmp.dir, "small");
    mkdirSync(small);
    if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", small]).status === 0) {
      try {
        assertOneSentence(runCli([...NEW, path.join(small, "demo")]), /small\/demo could not be written: no space left on the device; nothing was written\./);
        assert.deepEqual(readdirSync(small), [], "nothing left on the full disk");
      } finally {
        spawnSync("umount", [small]);
      }
    } else t.diagnostic("cannot mount a small tmpfs here: full disk not tried");
  } finally {
    tmp.cleanup();
  }
});
