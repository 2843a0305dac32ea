import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderPlan, templatePlan } from "../../src/scaffold/index.js";
import { hasCommand, sh, tempDir } from "../support/cli.js";
import type { TargetInfo } from "../../src/targets/types.js";
import { QEMU_TARGETS } from "./support.js";
import { requireTarget } from "../../src/targets/catalog.js";
import { BOARDS } from "../../src/targets/boards.js";
import { parseToml } from "../../src/cargo/toml.js";

// The catalogue is data that `run`, `verify`, `size` and the rules read; the templates are what `new` writes.
// These tests hold the two to the same facts.

async function render(t: TargetInfo, alloc: boolean): Promise<Map<string, string>> {
  return renderPlan(templatePlan(t, "bin", alloc, { name: "demo", edition: "2024" }));
}

/** `256K`, `4M`, `0x2000` in a linker script → bytes. */
function linkerNumber(text: string): number {
  const m = /^(0x[0-9a-f]+|\d+)([KM]?)$/i.exec(text.trim());
  assert.ok(m, `a linker-script number: ${text}`);
  return Number(m[1]) * (m[2] === "K" ? 1024 : m[2] === "M" ? 1024 * 1024 : 1);
}

/** The quoted strings of a TOML array value `key = [ ... ]` (comments between items allowed). */
function tomlStringArray(toml: string, key: string): string[] {
  const m = new RegExp(`^${key} = \\[([\\s\\S]*?)\\]`, "m").exec(toml);
  assert.ok(m, `${key} is set`);
  const body = m[1]!.split("\n").map((l) => l.replace(/#.*$/, "")).join("\n");
  return [...body.matchAll(/"([^"]*)"/g)].map((x) => x[1]!);
}

// The boards too: each is a record of its own, with its own memory map, runner and console layer.
for (const t of [...QEMU_TARGETS, ...BOARDS]) {
  describe(`catalogue and template agree: ${t.id}`, () => {
    test("the linker script's MEMORY is the catalogue's memory map", async () => {
      const script = (await render(t, false)).get("link.x")!;
      assert.ok(script, "link.x is generated");
      const regions = [...script.matchAll(/^\s*(\w+)\s*:\s*ORIGIN\s*=\s*(\w+),\s*LENGTH\s*=\s*(\w+)/gm)].map((m) => ({
        name: m[1],
        origin: linkerNumber(m[2]!),
        length: linkerNumber(m[3]!),
      }));
      assert.deepEqual(regions, t.memory.map((r) => ({ name: r.name, origin: r.origin, length: r.length })));
      assert.match(script, new RegExp(`^ENTRY\\(${t.entrySymbol}\\)$`, "m"));
      assert.equal(linkerNumber(/^_stack_size = (\w+);/m.exec(script)![1]!), t.stackSize);
    });

    test("--alloc reserves the catalogue's heap size; without it there is no heap at all", async () => {
      const withHeap = await render(t, true);
      assert.equal(linkerNumber(/^_heap_size = (\w+);/m.exec(withHeap.get("link.x")!)![1]!), t.heapSize);
      assert.ok(withHeap.has("src/heap.rs"));
      assert.match(withHeap.get("src/main.rs")!, /^extern crate alloc;$/m);
      const plain = await render(t, false);
      assert.ok(!plain.has("src/heap.rs"), "no heap.rs without --alloc");
      assert.doesNotMatch(plain.get("link.x")!, /__heap|_heap_size/);
      assert.doesNotMatch(plain.get("src/main.rs")!, /alloc|\{\{/);
    });

    test(".cargo/config.toml: the target, the catalogue's rustflags and runner", async () => {
      const config = (await render(t, false)).get(".cargo/config.toml")!;
      assert.match(config, new RegExp(`^target = "${t.triple}"$`, "m"));
      assert.match(config, new RegExp(`^\\[target\\.${t.triple.replace(/\./g, "\\.")}\\]$`, "m"));
      assert.deepEqual(tomlStringArray(config, "rustflags"), t.rustflags);
      // isa-debug-exit's QEMU runs inside a shell that decodes its status, a console-marker machine's inside one
      // that reads the code from its output (cargo passes the ELF as $0).
      const runnerLine = /^runner = (.*)$/m.exec(config)![1]!;
      if (t.qemu?.lossyConsole) {
        // A console that drops bytes: QEMU's output goes through cat, the script keeps QEMU's status.
        const [sh, dashC, script] = JSON.parse(runnerLine) as string[];
        assert.deepEqual([sh, dashC], ["sh", "-c"]);
        assert.ok(script!.includes(`{ { ${t.runner} "$0"; echo $? >&3; } | cat >&4; }`), script);
      } else if (t.exit.kind === "isa-debug-exit" || t.exit.kind === "console-marker") {
        const [sh, dashC, script] = JSON.parse(runnerLine) as string[];
        assert.deepEqual([sh, dashC], ["sh", "-c"]);
        assert.ok(script!.startsWith(`${t.runner} "$0"${t.exit.kind === "isa-debug-exit" ? "; " : " | awk "}`), script);
      } else assert.equal(JSON.parse(runnerLine), t.runner);
      // `cargo run` and `freestand run` boot the same machine.
      const runner = t.runner!.split(" ");
      assert.equal(runner[0], t.qemu!.binary);
      const machine = (args: string[]) => args[args.indexOf("-M") + 1];
      assert.equal(machine(runner), machine(t.qemu!.args));
      assert.equal(runner.at(-1), "-kernel");
    });

    test("the generated crate is rustfmt-clean, with and without --alloc", async (ctx) => {
      if (!hasCommand("cargo-fmt")) return ctx.skip("cargo-fmt is not installed (rustup component add rustfmt)");
      const tmp = tempDir("freestand-fmt-");
      try {
        for (const alloc of [false, true]) {
          const dir = path.join(tmp.dir, alloc ? "with-heap" : "plain");
          for (const [rel, text] of await render(t, alloc)) {
            mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
            writeFileSync(path.join(dir, rel), text);
          }
          const r = sh("cargo", ["fmt", "--check"], { cwd: dir });
          assert.equal(r.code, 0, `${alloc ? "--alloc: " : ""}${r.stdout}${r.stderr}`);
        }
      } finally {
        tmp.cleanup();
      }
    });

    test("the boot code defines the catalogue's entry symbol", async () => {
      const boot = (await render(t, false)).get("src/boot.rs")!;
      assert.match(boot, new RegExp(`"\\.global ${t.entrySymbol}",`));
      assert.match(boot, new RegExp(`"${t.entrySymbol}:",`));
      if (t.hasFpu) assert.match(boot, /FPU|FPEN/, "a target with an FPU turns it on at boot");
    });
  });
}

test("the host binary's .cargo/config.toml is the catalogue's too: its required rustflags, then the extra ones, no runner", async () => {
  const host = requireTarget("host");
  const config = (await render(host, false)).get(".cargo/config.toml")!;
  assert.match(config, new RegExp(`^target = "${host.triple}"$`, "m"));
  assert.deepEqual(tomlStringArray(config, "rustflags"), [...host.rustflags, ...(host.configNotes?.extraRustflags ?? [])]);
  assert.doesNotMatch(config, /^runner/m);
  // Every flag says why it is there.
  const lines = config.split("\n");
  for (const [i, line] of lines.entries()) if (/^ {2}"/.test(line)) assert.match(lines[i - 1]!, /^ {2}# /, line);
});

describe("editor settings: rust-analyzer checks each generated crate for its own target", () => {
  const cases: { what: string; target: TargetInfo; kind: "bin" | "lib"; triple: string }[] = [
    ...QEMU_TARGETS.map((t) => ({ what: `${t.id} binary`, target: t, kind: "bin" as const, triple: t.triple })),
    { what: "host binary", target: requireTarget("host"), kind: "bin", triple: requireTarget("host").triple },
    { what: "thumbv7m-none-eabi library", target: requireTarget("thumbv7m-none-eabi"), kind: "lib", triple: "thumbv7m-none-eabi" },
  ];
  for (const c of cases) {
    test(c.what, async () => {
      const files = await renderPlan(templatePlan(c.target, c.kind, false, { name: "demo", edition: "2024" }, { triple: c.triple }));
      // VS Code's settings are JSON with comments.
      const vscode = JSON.parse(files.get(".vscode/settings.json")!.replace(/^\s*\/\/.*$/gm, "")) as Record<string, unknown>;
      assert.deepEqual(vscode, { "rust-analyzer.cargo.target": c.triple, "rust-analyzer.check.allTargets": false });
      const ra = parseToml("rust-analyzer.toml", files.get("rust-analyzer.toml")!).value as { cargo: { target: string }; check: { allTargets: boolean } };
      assert.deepEqual(ra, { cargo: { target: c.triple }, check: { allTargets: false } });
    });
  }
});
