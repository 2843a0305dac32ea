import type { CargoPackage } from "./packages.js";

/** The features a build asks for, cargo's `--features`, `--all-features`, `--no-default-features`. */
export interface FeatureRequest {
  features?: readonly string[];
  allFeatures?: boolean;
  noDefaultFeatures?: boolean;
}

/**
 * The features cargo enables for a package: `default` (unless turned off) and the requested ones, closed under
 * the `[features]` table (`std = ["alloc"]` enables `alloc`; `serde/std` enables the optional dependency `serde`,
 * which is a feature of its own unless the table uses `dep:` somewhere), plus `also` — what other packages of the
 * build ask of it (cargo unifies features across the packages it builds together).
 */
export function enabledFeatures(pkg: Pick<CargoPackage, "features" | "dependencies">, request: FeatureRequest = {}, also: Iterable<string> = []): Set<string> {
  const table = pkg.features;
  const usesDepSyntax = Object.values(table).some((items) => items.some((i) => i.startsWith("dep:")));
  const optional = new Set(pkg.dependencies.filter((d) => d.optional).map((d) => d.rename ?? d.name));
  const isFeature = (name: string) => name in table || (!usesDepSyntax && optional.has(name));
  const out = new Set<string>();
  const queue: string[] = [];
  const want = (name: string) => {
    if (!out.has(name) && isFeature(name)) {
      out.add(name);
      queue.push(name);
    }
  };
  if (request.allFeatures) for (const f of [...Object.keys(table), ...(usesDepSyntax ? [] : optional)]) want(f);
  if (!request.noDefaultFeatures) want("default");
  for (const f of request.features ?? []) for (const part of f.split(/[\s,]+/)) if (part && !part.includes("/")) want(part);
  for (const f of also) want(f);
  while (queue.length > 0) {
    const f = queue.pop()!;
    for (const item of table[f] ?? []) {
      if (item.startsWith("dep:")) continue;
      const slash = item.indexOf("/");
      if (slash < 0) want(item);
      else if (item[slash - 1] !== "?") want(item.slice(0, slash));
    }
  }
  return out;
}
