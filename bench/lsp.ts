/**
 * Language-server benchmark (issue 16): a real LSP client (vscode-languageserver-protocol over stdio) opens
 * memchr (Debian's sources, ~7,600 lines) in `freestand lsp` and types into src/memchr/mod.rs.
 *  - first diagnostics after opening the file (target: at most 300 ms);
 *  - diagnostics after each edit, median (target: at most 25 ms), beside `freestand check` of the same crate;
 *  - the server's memory over the edits (target: flat), from /proc/<pid>/status.
 * Run: npm run bench -- lsp   (more edits: node dist/bench/lsp.js --edits 10000)
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from "vscode-languageserver-protocol/node.js";
import { CARGO_CONFIG, DEBIAN_REGISTRY } from "../test/deps/support.js";
import { ratio, timeCommand } from "./support/measure.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The CLI as installed: the bundle package.json's bin runs (scripts/bundle.mjs). */
const CLI = path.join(ROOT, "dist", "bin", "freestand.js");
const EDITS = Number(process.argv[process.argv.indexOf("--edits") + 1]) || 2000;

function memchr(): string | undefined {
  if (!existsSync(DEBIAN_REGISTRY)) return undefined;
  const dirs = readdirSync(DEBIAN_REGISTRY).filter((d) => /^memchr-\d/.test(d)).sort();
  return dirs.length ? path.join(DEBIAN_REGISTRY, dirs[dirs.length - 1]!) : undefined;
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

async function main(): Promise<void> {
  const src = memchr();
  if (!src) return console.log(`skipped: no memchr sources under ${DEBIAN_REGISTRY} (scripts/env/30-check.sh installs librust-memchr-dev)`);
  const work = mkdtempSync(path.join(os.tmpdir(), "freestand-bench-lsp-"));
  try {
    const crate = path.join(work, "memchr");
    cpSync(src, crate, { recursive: true });
    rmSync(path.join(crate, ".cargo-checksum.json"), { force: true });
    mkdirSync(path.join(crate, ".cargo"), { recursive: true });
    writeFileSync(path.join(crate, ".cargo", "config.toml"), CARGO_CONFIG);
    const manifest = path.join(crate, "Cargo.toml");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/^\[(?:target\.[^\]]+\.)?dev-dependencies(?:\.[^\]]+)?\][^[]*/gm, ""));
    const file = path.join(crate, "src", "memchr", "mod.rs");
    const uri = pathToFileURL(file).href;
    const lines = Number(spawnSync("sh", ["-c", `find '${crate}/src' -name '*.rs' -print0 | xargs -0 cat | wc -l`], { encoding: "utf8" }).stdout.trim());

    const child = spawn(process.execPath, [CLI, "lsp"], { stdio: ["pipe", "pipe", "inherit"] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    let waiting: (() => void) | undefined;
    connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      if (p.uri === uri) waiting?.();
    });
    connection.listen();
    const next = () => new Promise<void>((resolve) => (waiting = resolve));
    await connection.sendRequest("initialize", { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} });
    await connection.sendNotification("initialized", {});

    const text = readFileSync(file, "utf8");
    let t0 = performance.now();
    let got = next();
    await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "rust", version: 1, text } });
    await got;
    const first = performance.now() - t0;

    const latencies: number[] = [];
    const memory: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      // Typing a comment at the end of the file, one character more each time (a new line every 80).
      const typed = `${text}\n// ${"x".repeat(i % 80)}${"\n//".repeat(Math.floor(i / 80) % 20)}`;
      got = next();
      t0 = performance.now();
      await connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: typed }] });
      await got;
      latencies.push(performance.now() - t0);
      if (i === 99 || (i + 1) % Math.max(1, Math.floor(EDITS / 4)) === 0) memory.push(rssKiB(child.pid!));
    }
    await connection.sendRequest("shutdown");
    await connection.sendNotification("exit");
    connection.dispose();

    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)]!;
    const p90 = latencies[Math.floor(latencies.length * 0.9)]!;
    const command = timeCommand(process.execPath, [CLI, "check", crate, "--format", "json"], { runs: 7 });
    console.log(`memchr: ${lines.toLocaleString("en")} lines, ${EDITS.toLocaleString("en")} edits of src/memchr/mod.rs`);
    console.log(`  first diagnostics after opening: ${first.toFixed(0)} ms (target <= 300 ms: ${first <= 300 ? "met" : "NOT met"})`);
    console.log(`  diagnostics after an edit: median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms (target median <= 25 ms: ${median <= 25 ? "met" : "NOT met"})`);
    console.log(`  freestand check of the same crate (a new process each time): ${command.median.toFixed(0)} ms — the server answers ${ratio(command.median, median)} faster`);
    console.log(`  server memory (RSS) after 100 edits, then each quarter: ${memory.map((k) => `${(k / 1024).toFixed(0)} MB`).join(", ")}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
