/**
 * The feature graph of one package built for one target: nodes are packages (`pkg:name@version`) and features
 * (`feat:name@version#feature`); an edge parent → child means "the parent enables the child" (a dependency
 * declaration enables features of the dependency, a feature enables other features or optional dependencies, a
 * feature belongs to its package). `feature-resolver.ts` computes it from `cargo metadata`.
 */

export interface TreePackage {
  key: string;
  name: string;
  version: string;
  /** Features cargo enables for this package on this target. */
  features: Set<string>;
}

export interface FeatureGraph {
  /** Package key of the checked package. */
  roots: string[];
  /** Packages compiled for the target: proc-macros and everything under them run on the host and are left out. */
  packages: Map<string, TreePackage>;
  /** Every node key → the node keys it enables. */
  edges: Map<string, Set<string>>;
}

export function packageKey(name: string, version: string): string {
  return `pkg:${name}@${version}`;
}
export function featureKey(name: string, version: string, feature: string): string {
  return `feat:${name}@${version}#${feature}`;
}

/**
 * Shortest path of node keys from `from` to `to` (both included), or undefined. Breadth-first, children in
 * the order the resolver added them (cargo tree's order), so the chain shown is stable from run to run.
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
  for (let qi = 0; qi < queue.length; qi++) {
    const n = queue[qi]!;
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
