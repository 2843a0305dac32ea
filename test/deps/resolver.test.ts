/**
 * The feature resolver (computed from `cargo metadata` alone) against cargo's own: for every package compiled
 * for the target, the features `cargo tree -e normal --target T` prints are the features resolved here. Checked
 * on local crates that use each piece of feature syntax (dep:, x/feat, x?/feat, renamed dependencies, two
 * versions of one package, platform-specific, build-, dev- and proc-macro dependencies, resolver 1 and 2) and on
 * a tree of real crates from Debian's registry.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { loadCargoGraph } from "../../src/deps/cargo-run.js";
import { resolveFeatureGraph, resolverVersion, parseFeatureValue } from "../../src/deps/feature-resolver.js";
import { registryMissing, scratch, writeCrate } from "./support.js";

const work = scratch("freestand-deps-resolver-");
after(() => work.cleanup());

/** `cargo tree -e normal` for the target: name@version → features, leaving out proc-macros and what is under them. */
function cargoTreeFeatures(dir: string, target: string): Map<string, string[]> {
  const r = spawnSync("cargo", ["tree", "--offline", "--target", target, "-e", "normal", "--prefix", "depth", "--format", "{p}|{f}", "--color", "never"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, string[]>();
  let hostBelow = Infinity;
  for (const line of r.stdout.split("\n")) {
    const m = /^(\d+)(\S+) v(\S+)((?: \([^)]*\))*)\|(.*)$/.exec(line);
    if (!m) continue;
    const depth = Number(m[1]);
    if (depth <= hostBelow) hostBelow = Infinity;
    if (depth > hostBelow) continue;
    if (m[4]!.includes("(proc-macro)")) {
      hostBelow = depth;
      continue;
    }
    const feats = m[5]!.replace(/ \(\*\)$/, "").split(",").filter(Boolean).sort();
    const key = `${m[2]}@${m[3]}`;
    const seen = out.get(key);
    if (seen) assert.deepEqual(seen, feats, `cargo tree printed ${key} twice with different features`);
    out.set(key, feats);
  }
  return out;
}

async function ourFeatures(dir: string, target: string): Promise<Map<string, string[]>> {
  const manifestPath = path.join(dir, "Cargo.toml");
  const { metadata } = await loadCargoGraph({ manifestPath, target });
  const root = metadata.packages.find((p) => path.resolve(p.manifest_path) === manifestPath)!;
  const wsText = fs.readFileSync(path.join(metadata.workspace_root, "Cargo.toml"), "utf8");
  const graph = resolveFeatureGraph(metadata, { rootId: root.id, resolver: resolverVersion(wsText, root) });
  return new Map([...graph.packages.values()].map((p) => [`${p.name}@${p.version}`, [...p.features].sort()]));
}

function writePath(parent: string, dir: string, manifest: string, lib = "#![no_std]\n", extra: Record<string, string> = {}): string {
  const d = path.join(parent, dir);
  fs.mkdirSync(path.join(d, "src"), { recursive: true });
  fs.writeFileSync(path.join(d, "Cargo.toml"), manifest);
  fs.writeFileSync(path.join(d, "src", "lib.rs"), lib);
  for (const [f, t] of Object.entries(extra)) fs.writeFileSync(path.join(d, f), t);
  return d;
}

const pkg = (name: string, version = "0.1.0", edition = "2021") => `[package]\nname = "${name}"\nversion = "${version}"\nedition = "${edition}"\n\n`;
const LEAF_FEATURES = `[features]\ndefault = ["std"]\nstd = []\nalloc = []\nextra = []\n`;

/** Local crates that exercise the feature syntax; each root below depends on some of them. */
function writeLocalCrates(base: string): void {
  writePath(base, "leaf1", pkg("leaf") + LEAF_FEATURES);
  writePath(base, "leaf2", pkg("leaf", "0.2.0") + LEAF_FEATURES);
  writePath(base, "weakdep", pkg("weakdep") + LEAF_FEATURES);
  writePath(base, "unixonly", pkg("unixonly") + LEAF_FEATURES);
  writePath(base, "noneonly", pkg("noneonly") + LEAF_FEATURES);
  writePath(base, "implicit", pkg("implicit") + LEAF_FEATURES);
  writePath(base, "pm", pkg("pm") + `[lib]\nproc-macro = true\n\n[dependencies]\nleaf = { path = "../leaf1", features = ["extra"] }\n`, "");
  writePath(
    base,
    "mid",
    pkg("mid") +
      `[dependencies]
leaf = { path = "../leaf1", optional = true, default-features = false }
weakdep = { path = "../weakdep", optional = true, default-features = false }
implicit = { path = "../implicit", optional = true, default-features = false }
pm = { path = "../pm" }

[build-dependencies]
leaf = { path = "../leaf1" }

[dev-dependencies]
leaf = { path = "../leaf1", features = ["alloc"] }

[target.'cfg(unix)'.dependencies]
unixonly = { path = "../unixonly", default-features = false, features = ["alloc"] }

[target.'cfg(target_os = "none")'.dependencies]
noneonly = { path = "../noneonly" }

[features]
usesdep = ["dep:leaf"]
fw = ["leaf/alloc"]
weak = ["weakdep?/std"]
on = ["dep:weakdep"]
viaimplicit = ["implicit/extra"]
`,
    "#![no_std]\n",
    { "build.rs": "fn main() {}\n" },
  );
}

const ROOTS: [string, string][] = [
  ["r_plain", `[dependencies]\nmid = { path = "../mid" }\n`],
  ["r_weak_off", `[dependencies]\nmid = { path = "../mid", features = ["weak"] }\n`],
  ["r_weak_on", `[dependencies]\nmid = { path = "../mid", features = ["weak", "on"] }\n`],
  ["r_dep_feature", `[dependencies]\nmid = { path = "../mid", features = ["fw", "viaimplicit"] }\n`],
  ["r_usesdep", `[dependencies]\nmid = { path = "../mid", features = ["usesdep"] }\n`],
  [
    "r_two_versions",
    `[dependencies]\nleaf = { path = "../leaf1", default-features = false }\nleaf2 = { package = "leaf", path = "../leaf2", default-features = false, features = ["extra"] }\nmid = { path = "../mid", features = ["fw"] }\n\n[features]\ndefault = ["mine"]\nmine = ["leaf2/alloc"]\n`,
  ],
];

for (const target of ["x86_64-unknown-linux-gnu", "x86_64-unknown-none"]) {
  for (const [name, deps] of ROOTS) {
    for (const edition of ["2021", "2018"]) {
      test(`resolver agrees with cargo tree: ${name}, edition ${edition}, ${target}`, async () => {
        const base = path.join(work.dir, `local-${edition}`);
        if (!fs.existsSync(base)) writeLocalCrates(base);
        const dir = path.join(base, name);
        if (!fs.existsSync(dir)) writePath(base, name, pkg(name, "0.1.0", edition) + deps);
        const expected = cargoTreeFeatures(dir, target);
        const ours = await ourFeatures(dir, target);
        assert.deepEqual(Object.fromEntries([...ours].sort()), Object.fromEntries([...expected].sort()));
      });
    }
  }
}

test("the fixtures exercise what they claim (resolver 2, bare metal)", async () => {
  const base = path.join(work.dir, "local-2021");
  if (!fs.existsSync(base)) writeLocalCrates(base);
  for (const [name, deps] of ROOTS) if (!fs.existsSync(path.join(base, name))) writePath(base, name, pkg(name) + deps);
  const none = "x86_64-unknown-none";
  const weakOff = await ourFeatures(path.join(base, "r_weak_off"), none);
  assert.equal(weakOff.has("weakdep@0.1.0"), false, "x?/feat alone does not turn x on");
  const weakOn = await ourFeatures(path.join(base, "r_weak_on"), none);
  assert.deepEqual(weakOn.get("weakdep@0.1.0"), ["std"], "x?/feat applies once x is on");
  const plain = await ourFeatures(path.join(base, "r_plain"), none);
  assert.equal(plain.has("leaf@0.1.0"), false, "the build-, dev- and proc-macro dependencies' leaf stays on the host");
  assert.equal(plain.has("unixonly@0.1.0"), false);
  assert.deepEqual(plain.get("noneonly@0.1.0"), ["default", "std"]);
  const linux = await ourFeatures(path.join(base, "r_plain"), "x86_64-unknown-linux-gnu");
  assert.deepEqual(linux.get("unixonly@0.1.0"), ["alloc"]);
  const two = await ourFeatures(path.join(base, "r_two_versions"), none);
  assert.deepEqual(two.get("leaf@0.2.0"), ["alloc", "extra"]);
  assert.deepEqual(two.get("leaf@0.1.0"), ["alloc"]);
});

const DEBIAN = ["serde", "serde_json", "rand", "rayon", "regex", "toml", "bumpalo", "hashbrown", "indexmap"];
const debianMissing = registryMissing(DEBIAN);

for (const target of ["x86_64-unknown-linux-gnu", "x86_64-unknown-none", "thumbv7m-none-eabi"]) {
  test(`resolver agrees with cargo tree on real crates: ${target}`, { skip: debianMissing }, async () => {
    const dir = path.join(work.dir, "debian_tree");
    if (!fs.existsSync(dir)) {
      writeCrate(
        work.dir,
        "debian_tree",
        `[dependencies]\nserde = { version = "1", features = ["derive"] }\nserde_json = "1"\nrand = "0.8"\nrayon = "1"\nregex = { version = "1", default-features = false, features = ["std"] }\ntoml = "0.5"\nbumpalo = "3"\nhashbrown = "0.12"\nindexmap = "1"\n`,
      );
    }
    const expected = cargoTreeFeatures(dir, target);
    const ours = await ourFeatures(dir, target);
    assert.ok(ours.size > 20, `${ours.size} packages`);
    assert.deepEqual(Object.fromEntries([...ours].sort()), Object.fromEntries([...expected].sort()));
  });
}

test("feature values: plain, dep:, x/feat, x?/feat", () => {
  assert.deepEqual(parseFeatureValue("std"), { kind: "feature", feature: "std" });
  assert.deepEqual(parseFeatureValue("dep:serde"), { kind: "dep", dep: "serde" });
  assert.deepEqual(parseFeatureValue("serde/std"), { kind: "depFeature", dep: "serde", feature: "std", weak: false });
  assert.deepEqual(parseFeatureValue("serde?/std"), { kind: "depFeature", dep: "serde", feature: "std", weak: true });
});
