import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { existsSync, readdirSync } from "node:fs";
import { hasCommand, runCli, sh, tempDir } from "../support/cli.js";
import { QEMU_TARGETS } from "./support.js";

// Clippy comes from rustup (1.95) and cannot read the 1.96 `core` built for the bare-metal targets, and rustup
// here has no bare-metal targets of its own (nor `rust-src` to build them: no network). So clippy checks what is
// plain host code: the host binary, libraries (pure `core` code, whatever their target) with their tests, and the
// x86_64-unknown-none binary — x86-64 code, which the host target's `core` checks whole: the shared main.rs,
// heap.rs and print.rs, the boot assembly and its IDT, the console. The other targets' boot and console code is
// target-specific assembly that only their own `core` can check; the end-to-end tests build each of them with
// rustc's lints and no warnings.
//
// Pedantic lints too, but for the casts to a register's or a field's width that bit-level code is made of.
const LINTS = ["-W", "clippy::pedantic", "-A", "clippy::cast_possible_truncation", "-A", "clippy::cast_sign_loss", "-A", "clippy::cast_possible_wrap", "-D", "warnings"];

// A bare-metal library's test build carries its target's boot code, which host `core` cannot check: only the
// library itself is checked there (`--lib`), not its tests.
const CRATES: { name: string; args: string[]; only?: string }[] = [
  { name: "the x86_64-unknown-none binary", args: ["--target", "x86_64-unknown-none"] },
  { name: "the x86_64-unknown-none binary with --alloc", args: ["--target", "x86_64-unknown-none", "--alloc"] },
  { name: "the host binary", args: ["--target", "host"] },
  { name: "the host library", args: ["--target", "host", "--lib"] },
  { name: "a bare-metal library (thumbv7m-none-eabi), without its test build", args: ["--target", "thumbv7m-none-eabi", "--lib"], only: "--lib" },
];

describe("clippy (pedantic) and rustfmt find nothing in the generated crates clippy can check here", () => {
  const tmp = tempDir("freestand-clippy-");
  after(tmp.cleanup);

  for (const [i, c] of CRATES.entries()) {
    test(c.name, (t) => {
      if (!hasCommand("cargo-clippy")) return t.skip("cargo-clippy is not installed (rustup component add clippy)");
      const crate = path.join(tmp.dir, `crate${i}`);
      assert.equal(runCli(["new", crate, "--yes", "--vcs", "none", ...c.args]).code, 0);
      // The rustc on PATH (rustup's, like clippy), not one a test run may have set in RUSTC; test builds abort on
      // panic (cargo gives them unwind, which host `core` without std cannot do).
      const env = { RUSTC: "rustc", CARGO_TARGET_DIR: path.join(crate, "target"), CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS: "-C panic=abort" };
      const r = sh("cargo", ["clippy", "--quiet", c.only ?? "--all-targets", "--target", "x86_64-unknown-linux-gnu", "--", ...LINTS], { cwd: crate, env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr.trim(), "");
      // And rustfmt leaves it as it is (the bare-metal binaries of every target: test/targets/catalog.test.ts).
      if (hasCommand("cargo-fmt")) {
        const fmt = sh("cargo", ["fmt", "--check"], { cwd: crate });
        assert.equal(fmt.code, 0, fmt.stdout + fmt.stderr);
      }
    });
  }
});

/** Whether the rustc clippy runs with (rustup's, on PATH) has `core` for `triple` (`rustup target add`). */
function clippyHasCore(triple: string): boolean {
  const sysroot = sh("rustc", ["--print", "sysroot"], { env: { RUSTC: "rustc" } }).stdout.trim();
  const lib = path.join(sysroot, "lib", "rustlib", triple, "lib");
  return existsSync(lib) && readdirSync(lib).some((f) => /^libcore-.*\.rlib$/.test(f));
}

// Where rustup has the bare-metal target (a machine with network), clippy checks each binary on its own target:
// the boot and console assembly included. Here it is skipped, with the reason.
describe("clippy (pedantic) on each bare-metal binary for its own target, where rustup has the target", () => {
  const tmp = tempDir("freestand-clippy-target-");
  after(tmp.cleanup);

  for (const target of QEMU_TARGETS) {
    test(target.id, (t) => {
      if (!hasCommand("cargo-clippy")) return t.skip("cargo-clippy is not installed (rustup component add clippy)");
      if (!clippyHasCore(target.triple)) return t.skip(`rustup's toolchain has no \`core\` for ${target.triple} (rustup target add ${target.triple} needs the network)`);
      for (const variant of [[], ["--alloc"]]) {
        const crate = path.join(tmp.dir, `${target.id}${variant.join("")}`);
        assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none", ...variant]).code, 0);
        const env = { RUSTC: "rustc", CARGO_TARGET_DIR: path.join(crate, "target") };
        const r = sh("cargo", ["clippy", "--quiet", "--", ...LINTS], { cwd: crate, env });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr.trim(), "");
      }
    });
  }
});
