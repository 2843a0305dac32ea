import path from "node:path";

/**
 * `file` relative to `dir` when it lies inside it ("" when it is `dir` itself), else undefined. A name that only
 * begins with two dots (`..cache`) is inside; `..` as the first component is not.
 */
export function relativeInside(dir: string, file: string): string | undefined {
  const rel = path.relative(dir, file);
  if (path.isAbsolute(rel) || rel === ".." || rel.startsWith(`..${path.sep}`)) return undefined;
  return rel;
}
