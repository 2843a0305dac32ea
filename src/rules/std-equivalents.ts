/**
 * Where the parts of `std` live without it: a curated table from `std` paths to the crate (`core` or `alloc`)
 * that re-exports the same item, or `null` when nothing freestanding has it (files, threads, the clock, hash maps).
 * Keys are path prefixes after `std::`; the longest matching prefix wins.
 */
const TABLE: Record<string, "core" | "alloc" | null> = {
  any: "core", array: "core", ascii: "core", cell: "core", char: "core", clone: "core", cmp: "core", convert: "core",
  default: "core", f32: "core", f64: "core", fmt: "core", future: "core", hash: "core", hint: "core", iter: "core",
  marker: "core", mem: "core", num: "core", ops: "core", option: "core", panic: "core", pin: "core", primitive: "core",
  ptr: "core", result: "core", slice: "core", str: "core", task: "core", arch: "core", intrinsics: "core", prelude: "core",
  i8: "core", i16: "core", i32: "core", i64: "core", i128: "core", isize: "core", u8: "core", u16: "core", u32: "core",
  u64: "core", u128: "core", usize: "core", error: "core", net: null, "sync::atomic": "core", "time::Duration": "core",
  "ffi::CStr": "core", "ffi::c_char": "core", "ffi::c_int": "core", "ffi::c_void": "core", "ffi::CString": "alloc",
  "alloc::Layout": "core", "alloc::GlobalAlloc": "core", "alloc::LayoutError": "core", alloc: "alloc",
  borrow: "core", "borrow::Cow": "alloc", "borrow::ToOwned": "alloc", boxed: "alloc", collections: "alloc",
  "collections::HashMap": null, "collections::HashSet": null, "collections::hash_map": null, "collections::hash_set": null,
  "fmt::format": "alloc", rc: "alloc", string: "alloc", vec: "alloc", "sync::Arc": "alloc", "sync::Weak": "alloc",
  format: "alloc", "hash::DefaultHasher": null, "hash::RandomState": null, "panic::catch_unwind": null,
  io: null, fs: null, thread: null, process: null, env: null, os: null, path: null, time: null, sync: null, backtrace: null,
};

/** The crate that has what `std::<rest>` names, or null / undefined (unknown). */
export function stdEquivalent(rest: readonly string[]): "core" | "alloc" | null | undefined {
  for (let n = rest.length; n > 0; n--) {
    const key = rest.slice(0, n).join("::");
    if (key in TABLE) return TABLE[key]!;
  }
  return undefined;
}

/** Splits the items of a use list `{a, b::c, d::{e, f}}` into their first-level paths. */
export function useListItems(list: string): string[][] {
  const inner = list.trim().replace(/^\{/, "").replace(/\}$/, "");
  const items: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of inner) {
    if (ch === "{") depth++;
    if (ch === "}") depth--;
    if (ch === "," && depth === 0) {
      items.push(cur);
      cur = "";
    } else cur += ch;
  }
  items.push(cur);
  return items
    .map((i) => i.replace(/\s+as\s+\w+$/, "").trim())
    .filter(Boolean)
    .map((i) => i.split("::").map((s) => s.trim()).filter((s) => s && !s.startsWith("{") && s !== "*" && s !== "self"));
}
