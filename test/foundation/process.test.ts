import { test } from "node:test";
import assert from "node:assert/strict";
import { capture, stream } from "../../src/util/process.js";
import { FreestandError } from "../../src/errors.js";

test("capture runs programs with the caller's PATH, unchanged", async () => {
  // tinyexec's default would put node's own directory first: /usr/bin/rustc (Debian) would shadow rustup's.
  const r = await capture("sh", ["-c", 'printf %s "$PATH"'], { env: { PATH: "/nonexistent-first:/usr/bin:/bin" } });
  assert.equal(r.stdout, "/nonexistent-first:/usr/bin:/bin");
});

test("capture: a program that does not exist is one FreestandError", async () => {
  await assert.rejects(capture("freestand-no-such-program", []), (err: unknown) => err instanceof FreestandError && /was not found/.test(err.message));
});

test("stream: a timeout kills the whole process group, grandchildren included", async () => {
  const started = Date.now();
  // The shell starts a grandchild that would keep the pipes open for 30 s if only the shell were killed.
  const r = await stream("sh", ["-c", "sleep 30 & sleep 30; wait"], { timeout: 300 });
  assert.equal(r.timedOut, true);
  assert.ok(Date.now() - started < 20_000, "returned long before the grandchild's 30 s");
});

test("stream: output is delivered and the exit code returned", async () => {
  let out = "";
  let err = "";
  const r = await stream("sh", ["-c", "echo out; echo err >&2; exit 7"], { onStdout: (c) => (out += c), onStderr: (c) => (err += c) });
  assert.deepEqual([r.exitCode, out, err, r.timedOut], [7, "out\n", "err\n", false]);
});
