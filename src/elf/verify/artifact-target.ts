import path from "node:path";
import { findTarget } from "../../targets/catalog.js";
import type { TargetInfo } from "../../targets/types.js";

/**
 * The target a cargo artifact was built for, read from where cargo put it: `target/<triple>/<profile>/<name>`
 * (profile `debug`, `release` or a custom one). Undefined for `target/<profile>/<name>` (a host build with no
 * --target, which says nothing) and for triples the catalogue does not know.
 */
export function targetFromArtifactPath(file: string): TargetInfo | undefined {
  const parts = path.resolve(file).split(path.sep);
  // …/target/<triple>/<profile>/<file>  (examples: …/<profile>/examples/<file>)
  for (let i = parts.length - 3; i >= 1; i--) {
    if (parts[i - 1] === "target" && /^[a-z0-9_]+(-[a-z0-9_.]+){1,3}$/.test(parts[i]!)) return findTarget(parts[i]!);
  }
  return undefined;
}
