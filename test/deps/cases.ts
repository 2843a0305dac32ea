/**
 * The matrix of fixture crates on real Debian crates: which dependencies the rule flags for x86_64-unknown-none,
 * with which chain and fix (matrix.test.ts), and that the compiler agrees (confirm.test.ts).
 */

/** The Debian crates the cases depend on. */
export const CRATES = ["serde", "serde_json", "memchr", "hashbrown", "log", "libm", "spin", "bitflags", "itoa", "byteorder", "smallvec", "rand", "lazy_static", "erased-serde"];

export interface Case {
  name: string;
  deps: string;
  /** Dependency key → the chains reported through it (sorted). Empty object: nothing flagged. */
  flagged: Record<string, string[]>;
  /** Dependency key → features kept by the fix, or "none" when no fix is offered. */
  fix?: Record<string, string[] | "none">;
  /** Dependency key → a text the explanation of a missing fix contains. */
  blocker?: Record<string, string>;
}

export const CASES: Case[] = [
  { name: "serde_default", deps: `[dependencies]\nserde = "1"\n`, flagged: { serde: ["serde_default → serde (default features) → std"] }, fix: { serde: [] } },
  { name: "serde_off", deps: `[dependencies]\nserde = { version = "1", default-features = false }\n`, flagged: {} },
  { name: "serde_alloc", deps: `[dependencies]\nserde = { version = "1", default-features = false, features = ["alloc"] }\n`, flagged: {} },
  {
    name: "serde_std_asked",
    deps: `[dependencies]\nserde = { version = "1", default-features = false, features = ["std"] }\n`,
    flagged: { serde: ['serde_std_asked → serde (feature "std") → std'] },
    fix: { serde: "none" },
    blocker: { serde: 'the feature "std" requested here' },
  },
  { name: "memchr_default", deps: `[dependencies]\nmemchr = "2"\n`, flagged: { memchr: ["memchr_default → memchr (default features) → std"] }, fix: { memchr: [] } },
  { name: "memchr_off", deps: `[dependencies]\nmemchr = { version = "2", default-features = false }\n`, flagged: {} },
  // hashbrown is #![no_std]; its `extern crate std` is behind cfg(test).
  { name: "hashbrown_default", deps: `[dependencies]\nhashbrown = "0.12"\n`, flagged: {} },
  // log's default features are empty: no_std unless "std" is asked for.
  { name: "log_default", deps: `[dependencies]\nlog = "0.4"\n`, flagged: {} },
  { name: "log_std", deps: `[dependencies]\nlog = { version = "0.4", features = ["std"] }\n`, flagged: { log: ['log_std → log (feature "std") → std'] }, fix: { log: "none" } },
  { name: "libm_default", deps: `[dependencies]\nlibm = "0.2"\n`, flagged: {} },
  { name: "spin_default", deps: `[dependencies]\nspin = "0.9"\n`, flagged: {} },
  // bitflags 1.3: #![cfg_attr(not(test), no_std)] — test is false for a dependency.
  { name: "bitflags_default", deps: `[dependencies]\nbitflags = "1"\n`, flagged: {} },
  { name: "itoa_default", deps: `[dependencies]\nitoa = "1"\n`, flagged: {} },
  { name: "byteorder_default", deps: `[dependencies]\nbyteorder = "1"\n`, flagged: { byteorder: ["byteorder_default → byteorder (default features) → std"] }, fix: { byteorder: [] } },
  // smallvec is #![no_std] with `#[cfg(any(test, feature = "write"))] extern crate std;`.
  { name: "smallvec_default", deps: `[dependencies]\nsmallvec = "1"\n`, flagged: {} },
  { name: "smallvec_write", deps: `[dependencies]\nsmallvec = { version = "1", features = ["write"] }\n`, flagged: { smallvec: ['smallvec_write → smallvec (feature "write") → std'] }, fix: { smallvec: "none" } },
  {
    name: "serde_json_default",
    deps: `[dependencies]\nserde_json = "1"\n`,
    flagged: { serde_json: ['serde_json_default → serde_json (default features) → serde (feature "std") → std', "serde_json_default → serde_json (default features) → std"] },
    fix: { serde_json: [] },
  },
  { name: "serde_json_alloc", deps: `[dependencies]\nserde_json = { version = "1", default-features = false, features = ["alloc"] }\n`, flagged: {} },
  {
    // std comes from the crate's own feature: default-features = false on serde_json would not help.
    name: "own_feature",
    deps: `[features]\ndefault = ["jstd"]\njstd = ["serde_json/std"]\n\n[dependencies]\nserde_json = { version = "1", default-features = false, features = ["alloc"] }\n`,
    flagged: { serde_json: ['own_feature (feature "jstd") → serde_json (feature "std") → serde (feature "std") → std', 'own_feature (feature "jstd") → serde_json (feature "std") → std'] },
    fix: { serde_json: "none" },
    blocker: { serde_json: "of own_feature enables it" },
  },
  {
    // rand's defaults are std + std_rng; std_rng (rand_chacha) is no_std without std, so the fix keeps it.
    // getrandom is #![no_std] with `#[cfg(feature = "std")] extern crate std;`, turned on through rand_core.
    name: "rand_default",
    deps: `[dependencies]\nrand = "0.8"\n`,
    flagged: {
      rand: [
        "rand_default → rand (default features) → rand_chacha (feature \"std\") → std",
        "rand_default → rand (default features) → rand_core (feature \"std\") → getrandom (feature \"std\") → std",
        "rand_default → rand (default features) → rand_core (feature \"std\") → std",
        "rand_default → rand (default features) → std",
      ],
    },
    fix: { rand: ["std_rng"] },
  },
  {
    // lazy_static has no default features; its `extern crate std` goes away with the feature spin_no_std.
    name: "lazy_static_default",
    deps: `[dependencies]\nlazy_static = "1"\n`,
    flagged: { lazy_static: ["lazy_static_default → lazy_static → std"] },
    fix: { lazy_static: "none" },
    blocker: { lazy_static: 'lazy_static links std unless its feature "spin_no_std" is enabled' },
  },
  {
    // serde's std also comes through erased-serde's defaults: turning serde's off alone would not do.
    name: "two_routes",
    deps: `[dependencies]\nserde = "1"\nerased-serde = "0.3"\n`,
    flagged: {
      serde: ["two_routes → serde (default features) → std"],
      "erased-serde": ["two_routes → erased-serde (default features) → std"],
    },
    fix: { serde: "none", "erased-serde": [] },
    blocker: { serde: "erased-serde enables it too" },
  },
  { name: "rand_fixed", deps: `[dependencies]\nrand = { version = "0.8", default-features = false, features = ["std_rng"] }\n`, flagged: {} },
  {
    // A build-dependency runs on the host: with resolver 2 its default features do not reach the target.
    name: "build_dep_exempt",
    deps: `[dependencies]\nmemchr = { version = "2", default-features = false }\n\n[build-dependencies]\nmemchr = "2"\n`,
    flagged: {},
  },
  {
    // serde_derive is a proc-macro: it and its dependencies (proc-macro2, syn, quote) are exempt.
    name: "serde_derive_exempt",
    deps: `[dependencies]\nserde = { version = "1", default-features = false, features = ["derive"] }\n`,
    flagged: {},
  },
];

