/**
 * `size --html FILE`: one self-contained page (no network: data, styles and scripts inline) with the memory map of
 * each region to scale, a zoomable treemap of flash and RAM (laid out by d3-hierarchy, inlined), and a searchable
 * table of the largest symbols. The data is the same as `size --format json`'s.
 */
import { promises as fsp } from "node:fs";
import path from "node:path";
import { FreestandError } from "../errors.js";
import { PACKAGE_ROOT } from "../version.js";
import type { SizeReport } from "./size.js";
import type { SizeTreeNode } from "./size-tree.js";
import { crateOfPath } from "./crates.js";
import type { SizeDiff } from "./size-diff.js";

/** d3-hierarchy's UMD build, found in our node_modules or a hoisted one above it. */
async function d3Hierarchy(): Promise<string> {
  for (let dir = PACKAGE_ROOT; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "node_modules", "d3-hierarchy", "dist", "d3-hierarchy.min.js");
    const text = await fsp.readFile(file, "utf8").catch(() => undefined);
    if (text) return text;
    if (path.dirname(dir) === dir) throw new FreestandError("d3-hierarchy (a dependency of freestand) is not installed; reinstall freestand.");
  }
}

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

export interface SizePage {
  report: SizeReport;
  flash: SizeTreeNode;
  ram: SizeTreeNode;
  /** The program's name, for the title. */
  name: string;
  /** The stack region (link.x's `_stack_bottom`.. `_stack_top`), when the ELF says where it is. */
  stack?: { address: number; size: number };
  /** `size --diff … --html`: what changed since the old build (size-diff.ts), shown above the rest. */
  diff?: SizeDiff & { old: string };
}

export async function sizeHtml(page: SizePage): Promise<string> {
  const symbols = page.report.symbols.map((s) => {
    const crate = crateOfPath(s.name);
    // A turbofish (`::<f64>`) is the function's, not a path segment.
    const path = s.name.replace(/::<.*>$/, "");
    return { name: s.name, bytes: s.size, kind: s.kind, crate, module: path.startsWith("<") ? "" : path.split("::").slice(crate.split("::").length, -1).join("::") };
  });
  // The stack is a section on most targets; on Cortex-M it is the top of RAM, drawn from link.x's symbols.
  const sections = page.report.sections.filter((s) => s.allocated);
  const stack = page.stack && !sections.some((s) => /stack/.test(s.name)) ? [{ name: "stack", size: page.stack.size, address: page.stack.address, allocated: true }] : [];
  const data = { file: page.name, sections: [...sections, ...stack], regions: page.report.regions, flash: page.flash, ram: page.ram, symbols, diff: page.diff ?? null };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(page.name)} — where flash and RAM go</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(page.name)}</h1>
${page.diff ? `<section><h2>Changes since ${escapeHtml(page.diff.old)}</h2><table id="changes"><thead><tr><th>Change</th><th>Old</th><th>New</th><th>What</th></tr></thead><tbody></tbody></table></section>` : ""}
<section><h2>Memory map</h2><div id="memory"></div></section>
<section><h2>Flash</h2><nav class="crumbs" id="flash-crumbs"></nav><div class="treemap" id="flash-map"></div></section>
<section><h2>RAM</h2><nav class="crumbs" id="ram-crumbs"></nav><div class="treemap" id="ram-map"></div></section>
<section><h2>Largest symbols</h2><input id="search" type="search" placeholder="Filter by name, crate or module">
<table id="symbols"><thead><tr><th>Bytes</th><th>Kind</th><th>Crate</th><th>Module</th><th>Symbol</th></tr></thead><tbody></tbody></table></section>
<script id="data" type="application/json">${scriptJson(data)}</script>
<script>${await d3Hierarchy()}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
.region { margin: .6em 0 1.2em; } .region-name { font-weight: 600; }
.bar { position: relative; height: 34px; background: repeating-linear-gradient(45deg, #f4f4f4, #f4f4f4 6px, #e9e9e9 6px, #e9e9e9 12px); border: 1px solid #999; }
.section { position: absolute; top: 0; bottom: 0; background: #4a7ebb; color: #fff; font-size: 11px; overflow: hidden; white-space: nowrap; border-right: 1px solid #fff; box-sizing: border-box; padding: 2px; }
.section.stack { background: #c2703d; } .section.heap { background: #6a9f58; }
.limits { display: flex; justify-content: space-between; font-size: 11px; color: #555; }
.treemap { position: relative; width: 100%; height: 420px; border: 1px solid #999; }
.node { position: absolute; box-sizing: border-box; border: 1px solid #fff; overflow: hidden; font-size: 11px; padding: 1px 3px; color: #fff; }
.node.depth-1 { background: #35608f; cursor: zoom-in; } .node.leaf { background: #5b8fc7; } .node.uncovered { background: #999; } .node.stack { background: #c2703d; }
.crumbs { margin: .3em 0; } .crumbs a { cursor: pointer; color: #35608f; text-decoration: underline; margin-right: .4em; }
table { border-collapse: collapse; margin-top: .5em; } td, th { padding: 2px 8px; text-align: left; border-bottom: 1px solid #ddd; }
td:first-child { text-align: right; font-variant-numeric: tabular-nums; }
#search { width: 28em; padding: 3px; }
`;

// The page's own script: runs from file:// with no network; reads the data above, lays out with d3-hierarchy.
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById("data").textContent);
  function human(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + " MiB" : n >= 1024 ? (n / 1024).toFixed(1) + " KiB" : n + " B"; }
  function hex(n) { return "0x" + n.toString(16).padStart(8, "0"); }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }

  // Memory map: each region to scale, its sections at their addresses, free space striped.
  var memory = document.getElementById("memory");
  data.regions.forEach(function (r) {
    var box = el("div", "region"); box.dataset.region = r.name;
    box.appendChild(el("div", "region-name", r.name + " (" + r.kind + "): " + human(r.used) + " of " + human(r.length) + " used"));
    var bar = el("div", "bar");
    data.sections.forEach(function (s) {
      if (s.size === 0 || s.address < r.origin || s.address + s.size > r.origin + r.length) return;
      var d = el("div", "section" + (/stack/.test(s.name) ? " stack" : /heap/.test(s.name) ? " heap" : ""), s.name);
      d.dataset.section = s.name;
      d.style.left = (100 * (s.address - r.origin) / r.length) + "%";
      d.style.width = Math.max(0.15, 100 * s.size / r.length) + "%";
      d.title = s.name + " " + hex(s.address) + " " + human(s.size);
      bar.appendChild(d);
    });
    box.appendChild(bar);
    var limits = el("div", "limits");
    limits.appendChild(el("span", "", hex(r.origin)));
    limits.appendChild(el("span", "", hex(r.origin + r.length) + " (limit)"));
    box.appendChild(limits);
    memory.appendChild(box);
  });
  if (data.regions.length === 0) memory.textContent = "No memory map for this target: sections " + data.sections.map(function (s) { return s.name + " " + human(s.size); }).join(", ") + ".";

  // Treemaps: click in a crate (or, zoomed in, a module) to zoom into it; the path above goes back.
  function treemap(id, tree) {
    var map = document.getElementById(id + "-map"), crumbs = document.getElementById(id + "-crumbs");
    var trail = [tree];
    function draw() {
      var node = trail[trail.length - 1];
      map.textContent = ""; crumbs.textContent = "";
      trail.forEach(function (t, i) {
        var a = el("a", "", t.name + " (" + human(t.bytes) + ")");
        a.onclick = function () { trail = trail.slice(0, i + 1); draw(); };
        crumbs.appendChild(a);
      });
      var root = d3.hierarchy(node, function (d) { return d.children && d.children.length ? d.children : null; })
        .sum(function (d) { return d.children && d.children.length ? 0 : d.bytes; })
        .sort(function (a, b) { return b.value - a.value; });
      d3.treemap().size([map.clientWidth, map.clientHeight]).paddingTop(function (d) { return d.depth === 1 && d.children ? 14 : 0; }).paddingInner(1).round(true)(root);
      root.descendants().forEach(function (d) {
        if (d.depth === 0 || d.depth > 2) return;
        var leaf = !d.children || d.depth === 2;
        var div = el("div", "node depth-" + d.depth + (leaf ? " leaf" : "") + (d.data.name.indexOf("(no symbol") === 0 ? " uncovered" : d.data.name === "(stack)" ? " stack" : ""),
          d.data.name + (d.data.count ? " ×" + d.data.count : "") + " " + human(d.value));
        div.style.left = d.x0 + "px"; div.style.top = d.y0 + "px";
        div.style.width = Math.max(0, d.x1 - d.x0) + "px"; div.style.height = Math.max(0, d.y1 - d.y0) + "px";
        div.dataset.name = d.data.name; div.dataset.bytes = String(d.value);
        div.title = d.data.name + (d.data.count ? " (" + d.data.count + " instantiations)" : "") + ": " + d.value + " bytes";
        // A click anywhere in a crate (its own box or one of its parts) zooms into that crate.
        var into = d.depth === 1 ? d : d.parent;
        if (into.data.children && into.data.children.length) div.onclick = function (e) { e.stopPropagation(); trail.push(into.data); draw(); };
        map.appendChild(div);
      });
    }
    draw();
  }
  treemap("flash", data.flash);
  treemap("ram", data.ram);

  // What changed (size --diff): the totals, the crates, then the symbols, largest change first.
  if (data.diff) {
    var changes = document.querySelector("#changes tbody");
    [["total", [data.diff.flash, data.diff.ram]], ["crate", data.diff.crates], ["symbol", data.diff.symbols]].forEach(function (group) {
      group[1].forEach(function (c) {
        var tr = el("tr"); tr.className = group[0]; tr.dataset.name = c.name; tr.dataset.delta = String(c.delta);
        var pct = c.old ? " (" + (c.delta > 0 ? "+" : "") + (100 * c.delta / c.old).toFixed(1) + "%)" : c.delta > 0 ? " (new)" : "";
        [(c.delta > 0 ? "+" : "") + c.delta + " B" + pct, String(c.old), String(c.new), group[0] + ": " + c.name].forEach(function (v) { tr.appendChild(el("td", "", v)); });
        changes.appendChild(tr);
      });
    });
  }

  // The largest symbols, filtered as you type.
  var body = document.querySelector("#symbols tbody");
  data.symbols.forEach(function (s) {
    var tr = el("tr");
    [String(s.bytes), s.kind, s.crate, s.module, s.name].forEach(function (v) { tr.appendChild(el("td", "", v)); });
    tr.dataset.search = (s.name + " " + s.crate + " " + s.module).toLowerCase();
    body.appendChild(tr);
  });
  document.getElementById("search").addEventListener("input", function (e) {
    var q = e.target.value.toLowerCase();
    body.querySelectorAll("tr").forEach(function (tr) { tr.style.display = tr.dataset.search.indexOf(q) >= 0 ? "" : "none"; });
  });
})();
`;
