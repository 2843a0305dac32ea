import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { ROOT, runCli, tempDir } from "../support/cli.js";
import { BOARDS } from "../../src/targets/boards.js";
import { findTarget } from "../../src/targets/catalog.js";
import { crateDirFor, notReadyReason, QEMU_TARGETS } from "../targets/support.js";

/** `size --format json` is one documented schema (docs/schemas/size.schema.json): every template target's output validates. */
const schema = JSON.parse(readFileSync(path.join(ROOT, "docs", "schemas", "size.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

interface Node {
  bytes: number;
  children?: Node[];
}

/** The bytes of the first node named `name`, depth first. */
function findLeaf(n: Node & { name?: string }, name: string): number | undefined {
  if (n.name === name) return n.bytes;
  for (const c of n.children ?? []) {
    const found = findLeaf(c, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A node's bytes are its children's, all the way down. */
function consistent(n: Node): boolean {
  return !n.children?.length || (n.children.reduce((s, c) => s + c.bytes, 0) === n.bytes && n.children.every(consistent));
}

describe("size --format json validates against docs/schemas/size.schema.json", () => {
  const tmp = tempDir("freestand-size-schema-");
  after(tmp.cleanup);
  for (const target of [findTarget("host")!, ...QEMU_TARGETS, ...BOARDS]) {
    test(target.id, (t) => {
      const skip = target.flavour === "host" ? undefined : notReadyReason(target);
      if (skip) return t.skip(skip);
      const crate = crateDirFor(tmp.dir, target);
      assert.equal(runCli(["new", crate, target.board ? "--board" : "--target", target.id, "--yes", "--vcs", "none", ...(target.flavour === "host" ? [] : ["--alloc"])]).code, 0);
      const r = runCli(["size", crate, "--format", "json"]);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout) as { stack: number; sections: { name: string; size: number; allocated: boolean }[]; flashTree: Node; ramTree: Node };
      assert.ok(validate(json), JSON.stringify(validate.errors, null, 2));
      // Every byte of the loaded image is in one of the two trees, the stack once: as its `.stack` section where the
      // link script reserves one, else as the target's reserve added to RAM's.
      const sections = json.sections.filter((s) => s.allocated);
      const reserve = sections.some((s) => s.name === ".stack") ? 0 : json.stack;
      assert.equal(json.flashTree.bytes + json.ramTree.bytes, sections.reduce((n, s) => n + s.size, 0) + reserve);
      assert.equal(findLeaf(json.ramTree, "(stack)") ?? 0, json.stack, "one (stack) leaf, the size of the stack");
      assert.ok(consistent(json.flashTree) && consistent(json.ramTree), "every node sums its children");
    });
  }
});
