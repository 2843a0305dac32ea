import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CLI, runCli, sh } from "../support/cli.js";

/**
 * `run` owns what it starts. The programs here are /bin/sh scripts run with `--no-verify` (the process handling is
 * the same for any ELF): children that keep the output open, children in a session of their own, a freestand
 * that is hung up on or killed, a reader that goes away or reads slowly.
 */

/** A sleep no other test or process runs: its duration is the marker pgrep looks for. */
let marker = 4000 + Math.floor(Math.random() * 1000) * 10;
function sleeper(): string {
  marker += 1;
  return `sleep ${marker}`;
}

function running(what: string): boolean {
  return spawnSync("pgrep", ["-f", `^${what}$`]).status === 0;
}

async function gone(what: string): Promise<boolean> {
  for (let i = 0; i < 50 && running(what); i++) await new Promise((r) => setTimeout(r, 100));
  return !running(what);
}

function runSh(script: string, extra: string[] = []): ReturnType<typeof runCli> {
  return runCli(["run", "--no-verify", ...extra, "/bin/sh", "--", "-c", script], { timeoutMs: 60_000 });
}

test("a program that exits while a child (also in its own session) holds stdout open: run returns, and the child is gone", async () => {
  const a = sleeper();
  const b = sleeper();
  const r = runSh(`setsid ${a} & (${b} &); echo started`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "started\n");
  assert.ok(await gone(a), `${a} (setsid) outlived the run`);
  assert.ok(await gone(b), `${b} outlived the run`);
});

test("--timeout covers the whole run, until the output closes", async () => {
  const a = sleeper();
  const r = runSh(`setsid ${a} & exec ${sleeper()}`, ["--timeout", "2"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /did not finish within 2 s and was killed/);
  assert.ok(await gone(a));
});

for (const signal of ["SIGHUP", "SIGTERM", "SIGKILL"] as const) {
  test(`${signal} to freestand: the program and everything it started end with it`, async () => {
    const a = sleeper();
    const b = sleeper();
    const child = spawn(process.execPath, [CLI, "run", "--no-verify", "/bin/sh", "--", "-c", `setsid ${a} & ${b}`], { stdio: "ignore" });
    for (let i = 0; i < 100 && !(running(a) && running(b)); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(running(a) && running(b), "the program did not start");
    child.kill(signal);
    await new Promise((r) => child.on("close", r));
    assert.ok(await gone(a), `${a} (setsid) outlived freestand's ${signal}`);
    assert.ok(await gone(b), `${b} outlived freestand's ${signal}`);
  });
}

test("a reader that goes away (`run spew | head -c 10`): exit 141 without a stack trace, and the program is stopped", async () => {
  const spew = `yes spew-${sleeper().split(" ")[1]}`;
  const r = sh("bash", ["-c", `"$0" "$1" run --no-verify /bin/sh -- -c "exec ${spew}" | head -c 10; echo "status=\${PIPESTATUS[0]}" >&2`, process.execPath, CLI], { timeoutMs: 60_000 });
  assert.equal(r.stdout.length, 10);
  assert.ok(r.stdout.startsWith("spew-"), r.stdout);
  assert.match(r.stderr, /status=141\n$/);
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|\n\s+at /);
  assert.ok(await gone(spew));
});

test("a slow reader slows the program down instead of filling freestand's memory", async () => {
  const spew = `yes ${"w".repeat(100)}`;
  const child = spawn("bash", ["-c", `"$0" "$1" run --no-verify /bin/sh -- -c "exec ${spew}" | sleep 4`, process.execPath, CLI], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 3000));
  // freestand's own memory, while `yes` could have written gigabytes by now.
  const pid = spawnSync("pgrep", ["-f", "^.*freestand.js run --no-verify /bin/sh -- -c exec yes w"]).stdout.toString().trim().split("\n")[0];
  assert.ok(pid, "freestand not found");
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024;
  await new Promise((r) => child.on("close", r));
  assert.ok(rss < 200 * 2 ** 20, `freestand held ${(rss / 2 ** 20).toFixed(0)} MiB while its reader slept`);
});
