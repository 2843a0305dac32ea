// Prints the import circles between the folders of src/ (runtime imports only: `import type` and type
// positions such as `import("…").T` are erased by the compiler and tie nothing together at run time).
// Files directly in src/ (errors.ts, version.ts, index.ts) count one each. Exit 1 when there is a circle.
//   node scripts/import-cycles.mjs [DIR]     (default: this package's src/)
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "src"));
const files = [];
const walk = (d) => {
  for (const e of readdirSync(d)) {
    const p = path.join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) files.push(p);
  }
};
walk(root);
const unit = (f) => path.relative(root, f).split(path.sep)[0];

/** unit → unit → the file-level imports behind that edge. */
const edges = new Map();
for (const f of files) {
  const src = readFileSync(f, "utf8");
  const add = (spec) => {
    if (!spec.startsWith(".")) return;
    const a = unit(f);
    const b = unit(path.resolve(path.dirname(f), spec.replace(/\.js$/, ".ts")));
    if (a === b) return;
    if (!edges.has(a)) edges.set(a, new Map());
    const to = edges.get(a);
    if (!to.has(b)) to.set(b, []);
    to.get(b).push(`${path.relative(root, f)} → ${spec}`);
  };
  // Static imports and re-exports, unless type-only.
  for (const m of src.matchAll(/^(import|export)\s+(type\s+)?[^;]*?\sfrom\s+"([^"]+)"/gms)) if (!m[2]) add(m[3]);
  for (const m of src.matchAll(/^import\s+"([^"]+)"/gm)) add(m[1]);
  // Dynamic imports, not `import("…").Type` in a type position.
  for (const m of src.matchAll(/\bimport\(\s*"([^"]+)"\s*\)(?!\.)/g)) add(m[1]);
}

// Circles: strongly connected components with more than one unit (Tarjan).
let index = 0;
const stack = [];
const state = new Map();
const circles = [];
const visit = (v) => {
  state.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!state.has(w)) {
      visit(w);
      state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
    } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
  }
  if (state.get(v).low === state.get(v).index) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      state.get(w).onStack = false;
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) circles.push(scc.sort());
  }
};
for (const v of new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])) if (!state.has(v)) visit(v);

for (const c of circles) {
  console.log(`circle: ${c.join(", ")}`);
  for (const a of c) for (const [b, via] of edges.get(a) ?? []) if (c.includes(b)) for (const x of via) console.log(`  ${a} -> ${b}: ${x}`);
}
if (circles.length === 0) console.log(`no import circles between the ${new Set(files.map(unit)).size} parts of src/`);
process.exit(circles.length ? 1 : 0);
