import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CLI, hasCommand, tempDir } from "../support/cli.js";

const tmp = tempDir("freestand-tty-");
after(tmp.cleanup);

/** Runs the CLI on a pseudo-terminal (util-linux `script`), answering each prompt once its question appears. */
function onTerminal(args: string[], answers: [question: string, keys: string][]): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve) => {
    // A pseudo-terminal made by `script` has no size until one is set; prompts would wrap at every character.
    const command = `stty cols 120 rows 40; ${[process.execPath, CLI, ...args].map((a) => `'${a}'`).join(" ")}`;
    const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: tmp.dir, env: { ...process.env, TERM: "xterm", CI: "" }, stdio: ["pipe", "pipe", "pipe"] });
    let screen = "";
    let next = 0;
    const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (c: Buffer) => {
      screen += c.toString();
      const plain = screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
      while (next < answers.length && plain.includes(answers[next]![0])) {
        child.stdin.write(answers[next]![1]);
        next++;
      }
    });
    child.on("close", (code) => {
      clearTimeout(kill);
      resolve({ code, screen: screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "") });
    });
  });
}

test("on a terminal, new asks for the missing choices", async (t) => {
  if (!hasCommand("script")) return t.skip("util-linux `script` is not installed");
  const down = "\x1b[B";
  const r = await onTerminal(["new", "asked"], [
    ["What do you want to create?", `${down}\r`], // the second option: a library
    ["Target the library is built for", "\r"], // the first option: the host
    ["Rust edition", `${down}\r`], // the second option: 2021
  ]);
  assert.equal(r.code, 0, r.screen);
  assert.match(r.screen, /Created library `asked`/);
  assert.match(readFileSync(path.join(tmp.dir, "asked", "Cargo.toml"), "utf8"), /edition = "2021"/);
});

test("on a terminal, with no directory new asks for it, and only for it when flags answer the rest", async (t) => {
  if (!hasCommand("script")) return t.skip("util-linux `script` is not installed");
  const r = await onTerminal(["new", "--bin", "--target", "host", "--edition", "2024"], [["Directory for the new crate", "prompted\r"]]);
  assert.equal(r.code, 0, r.screen);
  assert.match(r.screen, /Created binary `prompted` for the host/);
  assert.ok(existsSync(path.join(tmp.dir, "prompted", "Cargo.toml")));
  assert.doesNotMatch(r.screen, /What do you want to create\?|Target|Rust edition|heap allocator/);
});

test("on a terminal, a flag's answer is never asked again: every choice given, no prompt at all", async (t) => {
  if (!hasCommand("script")) return t.skip("util-linux `script` is not installed");
  const r = await onTerminal(["new", "flagged", "--lib", "--target", "thumbv7m-none-eabi", "--edition", "2021"], []);
  assert.equal(r.code, 0, r.screen);
  assert.match(r.screen, /Created library `flagged` for thumbv7m-none-eabi, edition 2021/);
  assert.doesNotMatch(r.screen, /freestand new\s*\n|What do you want|Target|Rust edition/);
});

test("on a terminal, a non-empty directory is refused before any question", async (t) => {
  if (!hasCommand("script")) return t.skip("util-linux `script` is not installed");
  mkdirSync(path.join(tmp.dir, "occupied"));
  writeFileSync(path.join(tmp.dir, "occupied", "notes.txt"), "mine\n");
  const r = await onTerminal(["new", "occupied"], []);
  assert.equal(r.code, 2, r.screen);
  assert.match(r.screen, /occupied is not empty; choose another directory or pass --force/);
  assert.doesNotMatch(r.screen, /What do you want to create\?/);
  assert.equal(readFileSync(path.join(tmp.dir, "occupied", "notes.txt"), "utf8"), "mine\n");
});

test("on a terminal, --yes asks nothing", async (t) => {
  if (!hasCommand("script")) return t.skip("util-linux `script` is not installed");
  const r = await onTerminal(["new", "unasked", "--yes"], []);
  assert.equal(r.code, 0, r.screen);
  assert.doesNotMatch(r.screen, /What do you want to create\?/);
  assert.match(r.screen, /Created binary `unasked` for the host/);
});
