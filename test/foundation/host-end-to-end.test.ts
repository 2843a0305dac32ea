import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import path from "node:path";
import { runCli, sh, tempDir, hasCommand, CLI } from "../support/cli.js";
import { assertValidSarif } from "../support/sarif.js";

const GREETING = /^Hello from hello-host, a freestanding Rust program on x86_64-unknown-linux-gnu!\nThe answer is 42, and 22\/7 is about 3\.143\.\n$/;

/** Address of a symbol as `nm` sees it. */
function symbolAddress(elf: string, name: string): bigint {
  const out = sh("nm", [elf]).stdout;
  const line = out.split("\n").find((l) => l.endsWith(` ${name}`));
  assert.ok(line, `${name} is in the symbol table`);
  return BigInt("0x" + line.split(" ")[0]);
}

describe("new → build → run on the host", () => {
  const tmp = tempDir();
  const crate = path.join(tmp.dir, "hello-host");
  after(tmp.cleanup);

  before(() => {
    const r = runCli(["new", crate, "--yes"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Created binary `hello-host`/);
  });

  for (const profile of ["debug", "release"] as const) {
    test(`${profile}: the greeting is printed and the exit code is 0`, () => {
      const r = runCli(["run", crate, ...(profile === "release" ? ["--release"] : [])]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, GREETING);
    });

    test(`${profile}: the ELF is a static executable whose entry point is _start`, () => {
      const b = runCli(["build", crate, ...(profile === "release" ? ["--release"] : [])]);
      assert.equal(b.code, 0, b.stderr);
      const elf = path.join(crate, "target", "x86_64-unknown-linux-gnu", profile, "hello-host");
      assert.match(b.stdout, new RegExp(`Built binary .*${profile}/hello-host \\(`), "build prints the artifact from cargo's messages");
      const headers = sh("readelf", ["-hlW", elf]).stdout;
      assert.match(headers, /Type:\s+EXEC \(Executable file\)/);
      assert.doesNotMatch(headers, /INTERP/);
      const dynamic = sh("readelf", ["-dW", elf]).stdout;
      assert.doesNotMatch(dynamic, /NEEDED/);
      const entry = BigInt(/Entry point address:\s+(0x[0-9a-f]+)/.exec(headers)![1]!);
      assert.notEqual(entry, 0n);
      assert.equal(entry, symbolAddress(elf, "_start"));
    });
  }

  test("clippy finds nothing in the generated crate", (t) => {
    if (!hasCommand("cargo-clippy")) return t.skip("cargo-clippy is not installed");
    const r = sh("cargo", ["clippy", "--quiet", "--", "-D", "warnings"], { cwd: crate });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), "");
  });
});

describe("a program that panics", () => {
  const tmp = tempDir();
  const crate = path.join(tmp.dir, "panics");
  after(tmp.cleanup);

  test("prints the panic message on stderr and exits 101, in debug and release", () => {
    assert.equal(runCli(["new", crate, "--yes"]).code, 0);
    const main = path.join(crate, "src", "main.rs");
    const src = readFileSync(main, "utf8");
    writeFileSync(main, src.replace("let ratio = 22.0_f64 / 7.0;", 'let ratio = 22.0_f64 / 7.0;\n    if answer == 42 {\n        panic!("the answer was {answer}");\n    }'));
    for (const extra of [[], ["--release"]]) {
      const r = runCli(["run", crate, ...extra]);
      assert.equal(r.code, 101, r.stderr);
      assert.match(r.stderr, /panicked at src\/main\.rs:\d+:\d+:\nthe answer was 42\n/);
      assert.equal(r.stdout, "");
    }
  });

  test("a program that never ends is killed after --timeout and run says so", () => {
    const main = path.join(crate, "src", "main.rs");
    const src = readFileSync(main, "utf8");
    writeFileSync(main, src.replace("fn main() -> ! {", "fn main() -> ! {\n    #[allow(clippy::empty_loop)]\n    loop {}\n    #[allow(unreachable_code)]"));
    const r = runCli(["run", crate, "--timeout", "1"]);
    assert.equal(r.code, 124);
    assert.match(r.stderr, /did not finish within 1 s and was killed/);
  });

  test("Ctrl-C stops the program, exits 130 and leaves nothing running", async () => {
    const elf = path.join(crate, "target", "x86_64-unknown-linux-gnu", "debug", "panics");
    const running = () =>
      readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .some((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === elf;
          } catch {
            return false;
          }
        });
    const child = spawn(process.execPath, [CLI, "run", crate, "--timeout", "60"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const deadline = Date.now() + 60_000;
    while (!running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(running(), `the program started: ${stderr}`);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted: panics was stopped/);
    assert.equal(running(), false, "the program is not left running");
  });
});

describe("edition 2021", () => {
  const tmp = tempDir();
  after(tmp.cleanup);
  test("builds and runs too", () => {
    const crate = path.join(tmp.dir, "hello-host");
    assert.equal(runCli(["new", crate, "--edition", "2021", "--yes"]).code, 0);
    assert.match(readFileSync(path.join(crate, "Cargo.toml"), "utf8"), /edition = "2021"/);
    const r = runCli(["run", crate]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, GREETING);
  });
});

describe("--lib", () => {
  const tmp = tempDir();
  after(tmp.cleanup);
  test("cargo build and cargo test pass; freestand test runs the same tests", () => {
    const crate = path.join(tmp.dir, "checksum");
    const r = runCli(["new", crate, "--lib", "--yes"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Next: cd .*checksum && freestand test {3}\(runs the unit tests on x86_64-unknown-linux-gnu; freestand build builds the library\)$/m);
    assert.match(readFileSync(path.join(crate, "src", "lib.rs"), "utf8"), /^#!\[no_std\]$/m);
    assert.equal(sh("cargo", ["build", "--quiet"], { cwd: crate }).code, 0);
    // Plain cargo test: the crate's harness, without libtest, all tests in one run.
    const t = sh("cargo", ["test", "--quiet"], { cwd: crate });
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^test result: ok\. 4 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out$/m);
    const f = runCli(["test", "-C", crate]);
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stdout, /^test result: ok\. 4 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in \d+\.\d\ds$/m);
    const b = runCli(["build", crate]);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /Built library .*libchecksum\.rlib/);
  });
});

describe("build verifies what it produced", () => {
  const tmp = tempDir();
  after(tmp.cleanup);
  test("a freestanding binary gets the verdict; a static-PIE host build fails verification", () => {
    const crate = path.join(tmp.dir, "pie");
    assert.equal(runCli(["new", crate, "--yes"]).code, 0);
    const ok = runCli(["build", crate]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Verified pie: ELF64 little-endian x86_64 EXEC, entry 0x[0-9a-f]+, target host — freestanding/);
    // Linked as a static-PIE, the program has relocations and no start files to apply them: it crashes at start.
    const config = path.join(crate, ".cargo", "config.toml");
    writeFileSync(config, readFileSync(config, "utf8").replace('"-C", "relocation-model=static",', "").replace('link-arg=-static"', 'link-arg=-static-pie"'));
    const bad = runCli(["build", crate]);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /error\[verify_file_type\]: this is a static-PIE/);
    assert.match(bad.stdout, /not freestanding/);
    // run refuses it, saying why; with --no-verify it runs it and reports the crash as 128 + SIGSEGV.
    const refused = runCli(["run", crate]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /error\[verify_file_type\]/);
    assert.match(refused.stderr, /^error: pie is not freestanding, so it was not run \(`--no-verify` runs it anyway\)\.$/m);
    assert.equal(refused.stdout, "", "nothing ran");
    const crash = runCli(["run", crate, "--no-verify"]);
    assert.equal(crash.code, 139);
    assert.match(crash.stderr, /was killed by SIGSEGV/);
  });
});

describe("linker warnings are shown", () => {
  const tmp = tempDir();
  after(tmp.cleanup);
  test("build adds -W linker-messages when the crate does not set it, so a missing _start is seen", () => {
    const crate = path.join(tmp.dir, "nostart");
    assert.equal(runCli(["new", crate, "--yes"]).code, 0);
    const rt = path.join(crate, "src", "rt.rs");
    writeFileSync(rt, readFileSync(rt, "utf8").replace(/_start(?=[:,"])/g, "_strt"));
    const config = path.join(crate, ".cargo", "config.toml");
    const withoutLint = readFileSync(config, "utf8").replace(/\s*"-W", "linker-messages",/, "");
    assert.doesNotMatch(withoutLint, /linker-messages/);
    writeFileSync(config, withoutLint);
    const r = runCli(["build", crate]);
    assert.match(r.stderr, /cannot find entry symbol _start/);
    assert.equal(r.code, 1, "the entry point is 0: verify fails the build");
    assert.match(r.stdout, /error\[verify_entry_point\]/);
  });
});

describe("build --format json and sarif", () => {
  const tmp = tempDir();
  after(tmp.cleanup);
  test("a clean build: the artifacts with their verdicts, no diagnostics, exit 0; stdout is only the report", () => {
    const crate = path.join(tmp.dir, "reported");
    assert.equal(runCli(["new", crate, "--yes"]).code, 0);
    const r = runCli(["build", crate, "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { command: string; success: boolean; diagnostics: unknown[]; artifacts: { kind: string; verdict: string }[] };
    assert.equal(report.command, "build");
    assert.equal(report.success, true);
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.artifacts.length, 1);
    assert.match(report.artifacts[0]!.verdict, /— freestanding$/);
  });

  test("a failing build: the explained compiler errors are in the report, exit 1", () => {
    const crate = path.join(tmp.dir, "reported");
    const main = path.join(crate, "src", "main.rs");
    // println! from std in a no_std crate: the classic first error.
    writeFileSync(main, readFileSync(main, "utf8").replace("#[macro_use]\nmod console;", "mod console;"));
    const r = runCli(["build", crate, "--format", "json"]);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as { success: boolean; diagnostics: { code: string }[]; explained: { errors: number; explained: number } };
    assert.equal(report.success, false);
    assert.ok(report.diagnostics.some((d) => d.code === "explain_std_macro"), JSON.stringify(report.diagnostics.map((d) => d.code)));
    assert.ok(report.explained.errors > 0);
    const sarifText = runCli(["build", crate, "--format", "sarif"]).stdout;
    assertValidSarif(sarifText);
    const sarif = JSON.parse(sarifText) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, "2.1.0");
    assert.ok(sarif.runs[0]!.results.some((x) => x.ruleId === "explain_std_macro"));
  });
});
