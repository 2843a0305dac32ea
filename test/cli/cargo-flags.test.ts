/**
 * cargo's flags through the real CLI against a real crate (a `freestand new` host crate with features, a custom
 * profile and a second binary): each row shows the flag reached cargo by what cargo then did — where the
 * artifact went, what was compiled in, which error cargo gave. One crate serves every row; rows that change it
 * restore it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, sh, tempDir, type CliResult } from "../support/cli.js";

const tmp = tempDir("freestand-flags-");
after(tmp.cleanup);
const crate = path.join(tmp.dir, "flagged");
const HOST = "x86_64-unknown-linux-gnu";

before(() => {
  const r = runCli(["new", crate, "--yes", "--vcs", "none"]);
  assert.equal(r.code, 0, r.stderr);
  const manifest = path.join(crate, "Cargo.toml");
  writeFileSync(
    manifest,
    readFileSync(manifest, "utf8").replace(
      "[dependencies]\n",
      `[[bin]]
name = "second"
path = "src/second.rs"
test = false
doctest = false
bench = false

[features]
default = ["polite"]
polite = []
loud = []
trap = []

[dependencies]

[profile.small]
inherits = "release"
`,
    ),
  );
  const main = path.join(crate, "src", "main.rs");
  writeFileSync(
    main,
    readFileSync(main, "utf8")
      .replace("    console::exit(0)\n}", '    #[cfg(feature = "polite")]\n    println!("polite");\n    #[cfg(feature = "loud")]\n    println!("LOUD");\n    console::exit(0)\n}')
      // Only for `check -F trap`: std code behind a feature the default build leaves out.
      .replace("use core::panic::PanicInfo;", 'use core::panic::PanicInfo;\n#[cfg(feature = "trap")]\nuse std::vec::Vec;'),
  );
  // The second binary: the same program under another name (its own crate root with the same modules).
  writeFileSync(path.join(crate, "src", "second.rs"), readFileSync(main, "utf8").replace("mod console;\nmod rt;", '#[path = "console.rs"]\nmod console;\n#[path = "rt.rs"]\nmod rt;'));
  assert.equal(runCli(["build", crate]).code, 0, "the crate builds as made");
});

const artifact = (...parts: string[]) => path.join(crate, ...parts);
const ok = (r: CliResult, what: string) => assert.equal(r.code, 0, `${what}\n${r.stdout}${r.stderr}`);

interface Row {
  flags: string[];
  /** The command (default build); `run` rows check the program's output. */
  command?: "build" | "run" | "check" | "size" | "verify";
  /** Where the command runs (default: the crate). */
  cwd?: () => string;
  expect: (r: CliResult) => void;
  setup?: () => void;
  cleanup?: () => void;
}

const ROWS: Row[] = [
  { flags: ["-r"], expect: (r) => (ok(r, "-r"), assert.match(r.stdout, new RegExp(`target/${HOST}/release/flagged `))) },
  { flags: ["--release"], expect: (r) => (ok(r, "--release"), assert.match(r.stdout, /\/release\/flagged /)) },
  { flags: ["--profile", "small"], expect: (r) => (ok(r, "--profile"), assert.match(r.stdout, new RegExp(`target/${HOST}/small/flagged `))) },
  { flags: ["--profile", "small", "--release"], expect: (r) => (assert.equal(r.code, 2), assert.match(r.stderr, /conflicting usage of --profile=small and --release/)) },
  {
    flags: ["--target-dir", "elsewhere"],
    expect: (r) => {
      ok(r, "--target-dir");
      assert.ok(existsSync(artifact("elsewhere", HOST, "debug", "flagged")), "the artifact moved with --target-dir");
      assert.match(r.stdout, /Built binary elsewhere\//);
    },
    cleanup: () => rmSync(artifact("elsewhere"), { recursive: true, force: true }),
  },
  {
    flags: ["--config", 'build.target-dir="configured"'],
    expect: (r) => (ok(r, "--config"), assert.ok(existsSync(artifact("configured", HOST, "debug", "flagged")), "--config reached cargo")),
    cleanup: () => rmSync(artifact("configured"), { recursive: true, force: true }),
  },
  { command: "run", flags: ["--bin", "flagged"], expect: (r) => (ok(r, "run"), assert.match(r.stdout, /^polite$/m), assert.doesNotMatch(r.stdout, /LOUD/)) },
  { command: "run", flags: ["--bin", "flagged", "-F", "loud"], expect: (r) => (ok(r, "-F"), assert.match(r.stdout, /^polite\nLOUD$/m)) },
  { command: "run", flags: ["--bin", "flagged", "--features", "loud polite"], expect: (r) => (ok(r, "--features"), assert.match(r.stdout, /^polite\nLOUD$/m)) },
  { command: "run", flags: ["--bin", "flagged", "--no-default-features"], expect: (r) => (ok(r, "--no-default-features"), assert.doesNotMatch(r.stdout, /polite|LOUD/)) },
  { command: "run", flags: ["--bin", "flagged", "--all-features"], expect: (r) => (assert.equal(r.code, 1, "the trap feature's `std` path does not build"), assert.match(r.stderr, /std/), assert.match(r.stderr, /the build failed; nothing to run/)) },
  { command: "run", flags: ["--bin", "second"], expect: (r) => (ok(r, "--bin second"), assert.match(r.stdout, /^Hello from flagged/)) },
  { command: "run", flags: [], expect: (r) => (assert.equal(r.code, 2), assert.match(r.stderr, /could not determine which binary to run: use `--bin <name>`.*available binaries: flagged, second/), assert.doesNotMatch(r.stderr, /Compiling/, "refused before building")) },
  { command: "run", flags: ["--bin", "nope"], expect: (r) => (assert.equal(r.code, 2), assert.match(r.stderr, /no bin target named `nope`; available: flagged, second/)) },
  { flags: ["--bin", "nope"], expect: (r) => (assert.equal(r.code, 1), assert.match(r.stderr, /no bin target named `nope`/)) },
  { flags: ["--bin", "second"], expect: (r) => (ok(r, "--bin"), assert.match(r.stdout, /Built binary .*\/second /), assert.doesNotMatch(r.stdout, /\/flagged /)) },
  {
    flags: ["-q"],
    expect: (r) => {
      ok(r, "-q");
      assert.doesNotMatch(r.stderr, /Compiling|Finished/, "cargo was quiet");
      assert.equal(r.stdout, "", "freestand was quiet too");
    },
  },
  { flags: ["-vv"], expect: (r) => (ok(r, "-vv"), assert.match(r.stderr, /Fresh flagged|Running `/)) },
  { flags: ["--color", "always"], expect: (r) => (ok(r, "--color always"), assert.match(r.stderr, /\x1b\[/)) },
  { flags: ["--color", "never"], expect: (r) => (ok(r, "--color never"), assert.doesNotMatch(r.stderr + r.stdout, /\x1b\[/)) },
  {
    flags: ["--locked"],
    setup: () => rmSync(artifact("Cargo.lock"), { force: true }),
    expect: (r) => (assert.equal(r.code, 1), assert.match(r.stderr, /--locked/)),
  },
  {
    flags: ["--frozen"],
    setup: () => rmSync(artifact("Cargo.lock"), { force: true }),
    expect: (r) => (assert.equal(r.code, 1), assert.match(r.stderr, /--frozen/)),
  },
  { flags: ["--offline"], expect: (r) => ok(r, "--offline") },
  { flags: ["-j", "0"], expect: (r) => (assert.equal(r.code, 1), assert.match(r.stderr, /jobs may not be 0/)) },
  { flags: ["--message-format", "json"], expect: (r) => (ok(r, "json"), assert.ok(r.stdout.split("\n").some((l) => l.startsWith("{") && JSON.parse(l).reason === "compiler-artifact"), "cargo's JSON messages on stdout")) },
  {
    flags: ["--", "--timings"],
    expect: (r) => (ok(r, "-- --timings"), assert.ok(existsSync(artifact("target", "cargo-timings")), "the arguments after -- reached cargo")),
  },
  {
    flags: ["--manifest-path", "../Cargo.toml"],
    cwd: () => artifact("src"),
    expect: (r) => (ok(r, "--manifest-path from src/"), assert.match(r.stdout, /Built binary/)),
  },
  {
    // cargo reads its configuration where it runs: from outside the crate the crate's own config is not read
    // (cargo itself then fails to link the same way); freestand says why first.
    flags: ["--manifest-path", "flagged/Cargo.toml", "--bin", "flagged"],
    cwd: () => tmp.dir,
    expect: (r) => {
      assert.match(r.stderr, /^warning: cargo runs in .* and reads its configuration from there, so .*flagged\/\.cargo\/config\.toml is not used/m);
      const cargo = sh("cargo", ["build", "--manifest-path", "flagged/Cargo.toml", "--bin", "flagged"], { cwd: tmp.dir });
      assert.equal(r.code === 0, cargo.code === 0, "freestand and cargo agree on the outcome");
    },
  },
  { command: "check", flags: [], expect: (r) => ok(r, "check") },
  { command: "check", flags: ["-F", "trap"], expect: (r) => (assert.equal(r.code, 1), assert.match(r.stdout, /error\[std_path\]/)) },
  { command: "check", flags: ["--all-features"], expect: (r) => (assert.equal(r.code, 1), assert.match(r.stdout, /error\[std_path\]/)) },
  { command: "check", flags: [], cwd: () => artifact("src"), expect: (r) => ok(r, "check from src/ finds the crate upward") },
  { command: "check", flags: ["--manifest-path", "flagged/Cargo.toml", "-F", "trap"], cwd: () => tmp.dir, expect: (r) => (assert.equal(r.code, 1), assert.match(r.stdout, /error\[std_path\]/)) },
  { command: "size", flags: ["--bin", "second", "-r"], expect: (r) => (ok(r, "size"), assert.match(r.stdout, new RegExp(`target/${HOST}/release/second$`, "m"))) },
  { command: "size", flags: [], expect: (r) => (assert.equal(r.code, 2), assert.match(r.stderr, /could not determine which binary to size/)) },
  { command: "verify", flags: ["-r"], expect: (r) => (ok(r, "verify"), assert.match(r.stdout, /Verified flagged: .*freestanding/), assert.match(r.stdout, /Verified second: .*freestanding/)) },
  { command: "verify", flags: ["--bin", "second", "-v"], expect: (r) => (ok(r, "verify -v"), assert.match(r.stdout, /^ {2}ok {3}verify_entry_point: the entry point 0x[0-9a-f]+ is `_start`$/m)) },
];

describe("cargo's flags reach cargo", () => {
  for (const row of ROWS) {
    const command = row.command ?? "build";
    test(`freestand ${command} ${row.flags.join(" ")}${row.cwd ? " (elsewhere)" : ""}`, () => {
      row.setup?.();
      try {
        const args = command === "run" || command === "check" || command === "size" || command === "verify" || command === "build" ? [command, ...row.flags] : row.flags;
        row.expect(runCli(args, { cwd: row.cwd?.() ?? crate }));
      } finally {
        row.cleanup?.();
      }
    });
  }
});

test("a flag freestand does not know is refused in one sentence, exit 2, with cargo's own vocabulary suggested", () => {
  const r = runCli(["build", "--relase"], { cwd: crate });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--relase'/);
  assert.match(r.stderr, /Did you mean --release\?/);
});

test("the same flags are accepted by every command that builds", () => {
  mkdirSync(path.join(tmp.dir, "empty"), { recursive: true });
  for (const command of ["build", "run", "check", "size", "verify"]) {
    const r = runCli([command, "--help"]);
    ok(r, `${command} --help`);
    for (const flag of ["-F, --features <FEATURES>", "--all-features", "--no-default-features", "-p, --package <SPEC>", "--manifest-path <PATH>", "-r, --release", "--profile <PROFILE-NAME>", "--target <TRIPLE>", "-q, --quiet", "-v, --verbose", "--color <WHEN>", "--locked", "--offline", "--frozen", "--config <KEY=VALUE|PATH>"]) {
      assert.ok(r.stdout.includes(flag), `${command} --help lists ${flag}`);
    }
  }
});
