import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { crateOfPath, UNMANGLED } from "../../src/elf/crates.js";
import { runCli, tempDir } from "../support/cli.js";
import { findTarget } from "../../src/targets/catalog.js";
import { notReadyReason } from "../targets/support.js";

test("a symbol's crate: the path's first segment, the standard crates by module, an impl by its type (a primitive's by its trait)", () => {
  const cases: [string, string][] = [
    ["hello::main", "hello"],
    ["hello::console::Console::write_byte", "hello"],
    ["core::fmt::write", "core::fmt"],
    ["core::num::imp::flt2dec::strategy::dragon::format_shortest", "core::num"],
    ["alloc::vec::Vec<T,A>::push", "alloc::vec"],
    ["compiler_builtins::mem::memcpy", "compiler_builtins::mem"],
    ["<hello::console::Console as core::fmt::Write>::write_str", "hello"],
    ["<u32 as core::fmt::Display>::fmt", "core::fmt"],
    ["<&T as core::fmt::Debug>::fmt", "core::fmt"],
    ["<[T] as core::fmt::Debug>::fmt", "core::fmt"],
    ["<core::fmt::Arguments as core::fmt::Display>::fmt", "core::fmt"],
    ["core::ptr::drop_in_place<alloc::string::String>", "core::ptr"],
    ["memcpy", UNMANGLED],
    ["Reset", UNMANGLED],
  ];
  for (const [name, crate] of cases) assert.equal(crateOfPath(name), crate, name);
});

test("`build` says where the flash goes: the three largest crates, with the float formatting of the greeting among them", (t) => {
  const target = findTarget("thumbv7m-none-eabi")!;
  const skip = notReadyReason(target);
  if (skip) return t.skip(skip);
  const tmp = tempDir("freestand-crates-");
  try {
    const crate = path.join(tmp.dir, "app");
    assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
    const r = runCli(["build", crate, "--release"]);
    assert.equal(r.code, 0, r.stderr);
    const m = /^Built binary \S+ \(flash .*; flash by crate: (.+)\)$/m.exec(r.stdout);
    assert.ok(m, r.stdout);
    const shares = m[1]!.split(", ").map((s) => /^(\S+) (\d+)%$/.exec(s)!).map((x) => ({ name: x[1]!, percent: Number(x[2]) }));
    assert.equal(shares.length, 3);
    assert.ok(shares[0]!.percent >= shares[1]!.percent && shares[1]!.percent >= shares[2]!.percent);
    assert.ok(shares.reduce((s, x) => s + x.percent, 0) <= 100);
    // `{ratio:.3}` pulls in core's float formatting (flt2dec, in core::num) and the formatting machinery.
    assert.ok(shares.some((s) => s.name === "core::num"), m[1]);
  } finally {
    tmp.cleanup();
  }
});
