/**
 * Reads `cargo tree -e normal,features --prefix depth -f '{p}|{f}'`: the feature graph cargo's own feature
 * resolver computes for one target, without dev-dependencies and build-dependencies. `cargo metadata` is not
 * enough for this: its resolve reports features unified over every dependency kind (the resolver-1 view).
 *
 * Nodes are packages (`pkg:name@version`) and features (`feat:name@version#feature`); an edge parent → child
 * means "the parent enables the child" (a package's dependency declaration enables a feature of the
 * dependency, a feature enables another feature, a feature belongs to its package).
 */

export interface TreePackage {
  key: string;
  name: string;
  version: string;
  /** Features cargo enables for this package on this target. */
  features: Set<string>;
  /** Path of a path dependency, when cargo prints one. */
  source?: string;
}

export interface FeatureGraph {
  /** Package keys of the roots (one per workspace member printed). */
  roots: string[];
  /** Packages compiled for the target: proc-macros and everything under them run on the host and are left out. */
  packages: Map<string, TreePackage>;
  /** Every node key → the node keys it enables. */
  edges: Map<string, Set<string>>;
}

interface RawLine {
  depth: number;
  kind: "package" | "feature";
  name: string;
  version?: string;
  feature?: string;
  features?: string[];
  extras: string[];
  deduped: boolean;
  children: RawLine[];
}

const FEATURE_LINE = /^(\S+) feature "(.*)"$/;
const PACKAGE_LINE = /^(\S+) v(\S+)((?: \([^)]*\))*)$/;

function parseLine(text: string): Omit<RawLine, "depth" | "children"> | undefined {
  let body = text;
  let deduped = false;
  if (body.endsWith(" (*)")) {
    deduped = true;
    body = body.slice(0, -4);
  }
  // Features the command line enables (the root's defaults) are marked so; the mark is not part of the name.
  if (body.endsWith(" (command-line)")) body = body.slice(0, -" (command-line)".length);
  const f = FEATURE_LINE.exec(body);
  if (f) return { kind: "feature", name: f[1]!, feature: f[2]!, extras: [], deduped };
  const bar = body.lastIndexOf("|");
  const head = bar >= 0 ? body.slice(0, bar) : body;
  const feats = bar >= 0 ? body.slice(bar + 1) : "";
  const p = PACKAGE_LINE.exec(head);
  if (!p) return undefined;
  const extras = [...p[3]!.matchAll(/ \(([^)]*)\)/g)].map((m) => m[1]!);
  return {
    kind: "package",
    name: p[1]!,
    version: p[2]!,
    features: feats ? feats.split(",").filter(Boolean) : [],
    extras,
    deduped,
  };
}

export function packageKey(name: string, version: string): string {
  return `pkg:${name}@${version}`;
}
export function featureKey(name: string, version: string, feature: string): string {
  return `feat:${name}@${version}#${feature}`;
}

/**
 * Parses the text cargo tree printed (see the module comment for the exact invocation). With `inverted`
 * (`cargo tree -i X`), a line's children are what enables it, so edges point from child to parent; such output
 * is merged into `into`, the graph of the plain run.
 */
export function parseCargoTree(text: string, opts: { inverted?: boolean; into?: FeatureGraph } = {}): FeatureGraph {
  const tops: RawLine[] = [];
  const stack: RawLine[] = [];
  for (const raw of text.split("\n")) {
    const m = /^(\d+)(.*)$/.exec(raw.trimEnd());
    if (!m) continue;
    const parsed = parseLine(m[2]!);
    if (!parsed) continue;
    const line: RawLine = { ...parsed, depth: Number(m[1]), children: [] };
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= line.depth) stack.pop();
    if (line.depth === 0 || stack.length === 0) tops.push(line);
    else stack[stack.length - 1]!.children.push(line);
    stack.push(line);
  }

  // A feature line names its package without a version; a full (not deduplicated) one has that package as a
  // child, which gives the version. Deduplicated occurrences take the version of the full one.
  const versionsOf = new Map<string, string>();
  const resolve = (l: RawLine): void => {
    if (l.kind === "feature" && !l.deduped) {
      const pkg = l.children.find((c) => c.kind === "package" && c.name === l.name);
      if (pkg?.version) {
        l.version = pkg.version;
        const k = `${l.name}#${l.feature}`;
        if (!versionsOf.has(k)) versionsOf.set(k, pkg.version);
      }
    }
    l.children.forEach(resolve);
  };
  tops.forEach(resolve);
  const anyVersion = new Map<string, string>();
  const collect = (l: RawLine): void => {
    if (l.kind === "package" && !anyVersion.has(l.name)) anyVersion.set(l.name, l.version!);
    l.children.forEach(collect);
  };
  tops.forEach(collect);

  const graph: FeatureGraph = opts.into ?? { roots: [], packages: new Map(), edges: new Map() };
  const keyOf = (l: RawLine): string | undefined => {
    if (l.kind === "package") return packageKey(l.name, l.version!);
    const v = l.version ?? versionsOf.get(`${l.name}#${l.feature}`) ?? anyVersion.get(l.name);
    return v === undefined ? undefined : featureKey(l.name, v, l.feature!);
  };
  const addEdge = (from: string, to: string): void => {
    let s = graph.edges.get(from);
    if (!s) graph.edges.set(from, (s = new Set()));
    s.add(to);
  };
  const walk = (l: RawLine, key: string): void => {
    if (l.kind === "package") {
      // Proc-macros run in the compiler on the host: neither they nor their dependencies reach the target.
      if (l.extras.includes("proc-macro")) return;
      if (!graph.packages.has(key)) {
        const source = l.extras.find((e) => e !== "proc-macro" && e !== "*");
        graph.packages.set(key, {
          key,
          name: l.name,
          version: l.version!,
          features: new Set(l.features),
          ...(source ? { source } : {}),
        });
      }
    }
    for (const c of l.children) {
      const ck = keyOf(c);
      if (!ck) continue;
      if (c.kind === "package" && c.extras.includes("proc-macro")) continue;
      addEdge(key, ck);
      walk(c, ck);
    }
  };
  // Inverted: a child enables its parent. A proc-macro parent is host code, so nothing that enables it is
  // followed: a path through it would mix the host's feature graph into the target's.
  const walkInverted = (l: RawLine, key: string): void => {
    const hostOnly = l.kind === "package" && l.extras.includes("proc-macro");
    for (const c of l.children) {
      const ck = keyOf(c);
      if (!ck) continue;
      if (!hostOnly) addEdge(ck, key);
      walkInverted(c, ck);
    }
  };
  for (const t of tops) {
    const k = keyOf(t);
    if (!k) continue;
    if (opts.inverted) {
      walkInverted(t, k);
      continue;
    }
    if (t.kind !== "package") continue;
    graph.roots.push(k);
    walk(t, k);
  }
  return graph;
}

/**
 * Shortest path of node keys from `from` to `to` (both included), or undefined. Breadth-first, children in
 * the order cargo printed them, so the chain shown is stable from run to run.
 */
export function shortestPath(
  graph: FeatureGraph,
  from: string | readonly string[],
  to: string | ReadonlySet<string>,
  skipEdge?: (from: string, to: string) => boolean,
): string[] | undefined {
  const sources = typeof from === "string" ? [from] : [...from];
  const isTarget = (n: string) => (typeof to === "string" ? n === to : to.has(n));
  for (const s of sources) if (isTarget(s)) return [s];
  const prev = new Map<string, string>();
  const queue = [...sources];
  const seen = new Set(sources);
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const c of graph.edges.get(n) ?? []) {
      if (seen.has(c) || skipEdge?.(n, c)) continue;
      seen.add(c);
      prev.set(c, n);
      if (isTarget(c)) {
        const path = [c];
        let cur = c;
        while (prev.has(cur)) {
          cur = prev.get(cur)!;
          path.push(cur);
        }
        return path.reverse();
      }
      queue.push(c);
    }
  }
  return undefined;
}

/** Splits a node key back into its parts. */
export function parseNodeKey(key: string): { kind: "package" | "feature"; name: string; version: string; feature?: string } {
  if (key.startsWith("pkg:")) {
    const body = key.slice(4);
    const at = body.lastIndexOf("@");
    return { kind: "package", name: body.slice(0, at), version: body.slice(at + 1) };
  }
  const body = key.slice(5);
  const hash = body.indexOf("#");
  const nv = body.slice(0, hash);
  const at = nv.lastIndexOf("@");
  return { kind: "feature", name: nv.slice(0, at), version: nv.slice(at + 1), feature: body.slice(hash + 1) };
}
