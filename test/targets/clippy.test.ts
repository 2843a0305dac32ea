import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { hasCommand, runCli, sh, tempDir } from "../support/cli.js";

// Clippy comes from rustup (1.95) and cannot read the 1.96 `core` built for the bare-metal targets, and rustup
// here has no bare-metal targets of its own. The x86_64-unknown-none crate, though, is plain x86-64 code: checked
// for the host target (whose `core` rustup has), clippy sees all of it — the shared main.rs and heap.rs, the
// boot assembly, the console. The other targets' boot and console code is target-specific assembly that only
// their own `core` can check; the end-to-end tests build each of them with rustc's lints and no warnings.
describe("clippy on the generated bare-metal crate (x86_64-unknown-none, checked as host code)", () => {
  const tmp = tempDir("freestand-clippy-");
  after(tmp.cleanup);

  for (const variant of [[], ["--alloc"]]) {
    test(`no findings${variant.length ? " with --alloc" : ""}`, (t) => {
      if (!hasCommand("cargo-clippy")) return t.skip("cargo-clippy is not installed (rustup component add clippy)");
      const crate = path.join(tmp.dir, variant.length ? "with-heap" : "plain");
      assert.equal(runCli(["new", crate, "--target", "x86_64-unknown-none", "--yes", ...variant]).code, 0);
      // The rustc on PATH (rustup's, like clippy), not one a test run may have set in RUSTC.
      const env = { RUSTC: "rustc", CARGO_TARGET_DIR: path.join(crate, "target") };
      const r = sh("cargo", ["clippy", "--quiet", "--target", "x86_64-unknown-linux-gnu", "--", "-D", "warnings"], { cwd: crate, env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr.trim(), "");
    });
  }
});
