/**
 * Array helpers that stay safe on input-sized arrays: spreading an array into a call (`Math.max(...xs)`,
 * `out.push(...xs)`) passes every element as an argument and overflows the stack somewhere past 100,000 of them.
 */

/** The largest of `values`, at least `floor`. */
export function maxOf(values: Iterable<number>, floor = 0): number {
  let m = floor;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** Appends every item to `target` (what `target.push(...items)` does, for any number of items). */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
