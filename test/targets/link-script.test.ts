import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, tempDir } from "../support/cli.js";
import { requireTarget } from "../../src/targets/catalog.js";
import { notReadyReason } from "./support.js";

// Editing the memory map is the first change most people make. The template's build.rs makes cargo relink when
// link.x changes, and the Cortex-M script refuses a layout that leaves too little RAM for the stack.
describe("thumbv7m-none-eabi: link.x edits take effect", () => {
  const target = requireTarget("thumbv7m-none-eabi");
  const skip = notReadyReason(target);
  const tmp = tempDir("freestand-link-");
  after(tmp.cleanup);

  test("a stack larger than the RAM left fails the link with the script's message; undoing it links again", (t) => {
    if (skip) return t.skip(skip);
    const crate = path.join(tmp.dir, "mem");
    assert.equal(runCli(["new", crate, "--target", target.id, "--yes"]).code, 0);
    assert.equal(runCli(["build", crate]).code, 0);
    const script = path.join(crate, "link.x");
    const original = readFileSync(script, "utf8");
    writeFileSync(script, original.replace("_stack_size = 8K;", "_stack_size = 100K;"));
    const bad = runCli(["build", crate]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stdout + bad.stderr, /not enough RAM left for the stack/);
    writeFileSync(script, original);
    const good = runCli(["run", crate]);
    assert.equal(good.code, 0, good.stderr);
  });
});
