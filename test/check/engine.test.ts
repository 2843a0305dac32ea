import { test } from "node:test";
import assert from "node:assert/strict";
import { check } from "../../src/check/index.js";
import type { Rule } from "../../src/rules/types.js";
import { hostCrate, removeCrate, writeCrate } from "./harness.js";

/** The invariants the engine owns, shown with rules of the test's own (RunOptions.extraRules). */

test("a finding reported twice is reported once", async () => {
  const twice: Rule = {
    id: "test_twice",
    defaultSeverity: "warning",
    summary: "reports the same place twice, as a rule walking two targets of one module would",
    fixable: false,
    explanation: "test",
    check: (ctx) => {
      const file = ctx.crate.units[0]!.modules[0]!.path;
      const finding = { message: "same place", file, span: { start: 0, end: 3 } };
      return [finding, { ...finding }, { ...finding, message: "another message" }];
    },
  };
  const dir = writeCrate(hostCrate());
  try {
    const r = await check(dir, { only: ["test_twice"], extraRules: [twice] });
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      ["same place", "another message"],
    );
  } finally {
    removeCrate(dir);
  }
});

test("a fix from a rule not marked fixable is refused as that rule's bug", async () => {
  const sneaky: Rule = {
    id: "test_sneaky",
    defaultSeverity: "warning",
    summary: "returns a fix without saying it is fixable",
    fixable: false,
    explanation: "test",
    check: (ctx) => {
      const file = ctx.crate.units[0]!.modules[0]!.path;
      return [{ message: "x", file, span: { start: 0, end: 0 }, fix: { description: "insert", edits: [{ file, start: 0, end: 0, text: "// x\n" }] } }];
    },
  };
  const dir = writeCrate(hostCrate());
  try {
    await assert.rejects(check(dir, { only: ["test_sneaky"], extraRules: [sneaky] }), /rule test_sneaky returned a fix but is not marked fixable/);
  } finally {
    removeCrate(dir);
  }
});

test("only what cargo and the cfg reach is checked and counted: not the conventional root cargo is told to skip, not a cfg'd-out module", async () => {
  const dir = writeCrate(
    hostCrate({
      "Cargo.toml": `[package]\nname = "ahead"\nversion = "0.1.0"\nedition = "2021"\nautobins = false\n\n[[bin]]\nname = "ahead"\npath = "src/real.rs"\n\n[profile.dev]\npanic = "abort"\n\n[profile.release]\npanic = "abort"\n`,
      "src/real.rs": `#![no_std]\n#![no_main]\n#[cfg(target_os = "none")]\nmod gone;\n#[panic_handler]\nfn panic(_: &core::panic::PanicInfo) -> ! { loop {} }\n#[unsafe(no_mangle)]\npub extern "C" fn _start() -> ! { loop {} }\n`,
      "src/gone.rs": "pub fn unused() {}\n",
    }),
  );
  try {
    const r = await check(dir);
    const files = [...r.sources.keys()].filter((f) => f.endsWith(".rs")).map((f) => f.slice(dir.length + 1)).sort();
    assert.deepEqual(files, ["src/real.rs"]);
    assert.equal(r.lines, 9);
    assert.deepEqual(r.packages[0]!.crates.map((c) => [c.name, c.files]), [["ahead", 1]]);
  } finally {
    removeCrate(dir);
  }
});
