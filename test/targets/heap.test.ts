import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderPlan, templatePlan } from "../../src/scaffold/index.js";
import { requireTarget } from "../../src/targets/catalog.js";
import { ROOT, hasCommand, sh, tempDir } from "../support/cli.js";

// The generated heap is a first-fit free list; the QEMU tests show it reuses memory for one simple pattern. Here
// the same heap.rs becomes the global allocator of a host program (so rustup's own toolchain builds it, no
// sysroot needed) that makes 200 000 random allocations and frees of random sizes and alignments, checks each
// block's contents before freeing it, and at the end asks for nearly the whole heap: that only fits if freed
// neighbours were merged back together.
describe("the template's heap under a random workload", () => {
  const tmp = tempDir("freestand-heap-");
  after(tmp.cleanup);

  test("no block is misaligned, overwritten or lost; freed neighbours merge", async (t) => {
    if (!hasCommand("cargo")) return t.skip("cargo is not installed");
    const target = requireTarget("x86_64-unknown-none");
    const files = await renderPlan(templatePlan(target, "bin", true, { name: "heap-stress", edition: "2024" }));
    const crate = path.join(tmp.dir, "heap-stress");
    mkdirSync(path.join(crate, "src"), { recursive: true });
    writeFileSync(path.join(crate, "Cargo.toml"), '[package]\nname = "heap-stress"\nversion = "0.1.0"\nedition = "2024"\n');
    writeFileSync(path.join(crate, "src", "heap.rs"), files.get("src/heap.rs")!);
    copyFileSync(path.join(ROOT, "test", "fixtures", "targets", "heap-stress", "main.rs"), path.join(crate, "src", "main.rs"));
    // rustup's host toolchain, not a RUSTC the environment may point at Debian's compiler.
    const r = sh("cargo", ["run", "--release", "--quiet"], { cwd: crate, env: { RUSTC: "rustc" }, timeoutMs: 180_000 });
    assert.equal(r.code, 0, r.stderr);
    const m = /^ok: (\d+) bytes through a (\d+)-byte heap$/m.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[1]) > 100 * Number(m[2]), "the workload went through the heap many times over");
  });
});
