import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { ROOT, runCli, tempDir } from "../support/cli.js";
import { findTarget } from "../../src/targets/catalog.js";
import { notReadyReason } from "../targets/support.js";

/** Debian's Chromium (scripts/env/90-size.sh installs it), driven headless by playwright-core. */
const CHROMIUM = "/usr/bin/chromium";
/** Where the screenshot is kept for CI to show. */
const ARTIFACTS = path.join(ROOT, "test-artifacts");

interface Tree {
  name: string;
  bytes: number;
  children?: Tree[];
}

test("`size --html`: the page renders offline in Chromium, its treemap sums to the symbol totals, every section is on the map, a click zooms into a crate", async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip("Debian's chromium is not installed (scripts/env/90-size.sh installs it)");
  const target = findTarget("thumbv7m-none-eabi")!;
  const skip = notReadyReason(target);
  if (skip) return t.skip(skip);
  const tmp = tempDir("freestand-size-html-");
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  try {
    const crate = path.join(tmp.dir, "app");
    assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none", "--alloc"]).code, 0);
    const html = path.join(tmp.dir, "size.html");
    const r = runCli(["size", crate, "--release", "--html", html, "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { flash: number; ram: number; flashTree: Tree; ramTree: Tree; sections: { name: string; size: number; allocated: boolean }[] };
    assert.ok(statSync(html).size < 1024 * 1024, "self-contained and under 1 MB");
    // (The template's .data is empty: flash is its code and constants, RAM its data, bss, heap and stack.)
    assert.equal(json.flashTree.bytes, json.flash, "the flash tree accounts for every byte of flash");
    assert.equal(json.ramTree.bytes, json.ram, "the RAM tree accounts for every byte of RAM, the stack included");

    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    page.on("pageerror", (e) => void errors.push(String(e)));
    page.on("request", (q) => void requests.push(q.url()));
    await page.goto(pathToFileURL(html).href);

    const leafSum = (map: string) => page.$$eval(`#${map} .node.leaf`, (els) => els.reduce((n, e) => n + Number((e as unknown as { dataset: { bytes: string } }).dataset.bytes), 0));
    assert.equal(await leafSum("flash-map"), json.flash);
    assert.equal(await leafSum("ram-map"), json.ram);
    for (const s of json.sections.filter((x) => x.allocated && x.size > 0)) {
      assert.equal(await page.locator(`#memory [data-section="${s.name}"]`).count(), 1, `${s.name} is on the memory map`);
    }
    // Zoom into the largest crate that has parts: the path shows it and the boxes are its own.
    const crate0 = json.flashTree.children!.find((c) => c.children?.length)!;
    await page.locator(`#flash-map .node.depth-1[data-name="${crate0.name}"]`).first().click({ position: { x: 4, y: 4 } });
    assert.deepEqual(await page.$$eval("#flash-crumbs a", (as) => as.map((a) => a.textContent!.replace(/ \(.*\)$/, ""))), ["flash", crate0.name]);
    assert.equal(await leafSum("flash-map"), crate0.bytes);
    // The table filters as one types.
    await page.fill("#search", "core::fmt");
    const shown = await page.$$eval("#symbols tbody tr", (rows) => rows.filter((r) => (r as unknown as { style: { display: string } }).style.display !== "none").map((r) => r.textContent!));
    assert.ok(shown.length > 0 && shown.every((row) => row.includes("core::fmt")), "only matching rows stay");

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "size-html.png"), fullPage: true });
    assert.deepEqual(errors, [], "no console error");
    assert.deepEqual(requests.filter((u) => !u.startsWith("file:")), [], "nothing leaves the file");
  } finally {
    await browser.close();
    tmp.cleanup();
  }
});

test("`size --diff OLD --html`: the page shows the same changes as the JSON, the added function first among the symbols", async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip("Debian's chromium is not installed (scripts/env/90-size.sh installs it)");
  const target = findTarget("thumbv7m-none-eabi")!;
  const skip = notReadyReason(target);
  if (skip) return t.skip(skip);
  const tmp = tempDir("freestand-size-html-diff-");
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  try {
    const crate = path.join(tmp.dir, "app");
    assert.equal(runCli(["new", crate, "--target", target.id, "--yes", "--vcs", "none"]).code, 0);
    assert.equal(runCli(["build", crate, "--release", "-q"]).code, 0);
    const old = path.join(tmp.dir, "old.elf");
    copyFileSync(path.join(crate, "target", target.triple, "release", "app"), old);
    const main = path.join(crate, "src", "main.rs");
    writeFileSync(main, readFileSync(main, "utf8").replace("    let answer = 6 * 7;\n", "    let answer = 6 * 7;\n    println!(\"{}\", extra(7));\n") + '\n#[inline(never)]\nfn extra(x: u32) -> u32 {\n    core::hint::black_box(x).rotate_left(5) ^ 0x9e37_79b9\n}\n');
    const html = path.join(tmp.dir, "diff.html");
    const r = runCli(["size", crate, "--release", "--diff", old, "--html", html, "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const diff = (JSON.parse(r.stdout) as { diff: { flash: { delta: number }; symbols: { name: string; delta: number }[] } }).diff;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => void errors.push(String(e)));
    await page.goto(pathToFileURL(html).href);
    const rows = await page.$$eval("#changes tbody tr", (trs) => trs.map((tr) => ({ kind: tr.className, name: (tr as unknown as { dataset: { name: string; delta: string } }).dataset.name, delta: Number((tr as unknown as { dataset: { delta: string } }).dataset.delta) })));
    assert.deepEqual(rows.find((x) => x.kind === "total"), { kind: "total", name: "flash", delta: diff.flash.delta });
    assert.deepEqual(rows.filter((x) => x.kind === "symbol").map((x) => [x.name, x.delta]), diff.symbols.map((s) => [s.name, s.delta]));
    assert.equal(rows.find((x) => x.kind === "symbol")?.name, diff.symbols[0]!.name);
    assert.ok(diff.symbols.some((s) => s.name === "app::extra"), "the added function is among the changes");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    tmp.cleanup();
  }
});
