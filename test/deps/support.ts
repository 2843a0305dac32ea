import fs from "node:fs";
import path from "node:path";
import os from "node:os";

/** Debian's librust-*-dev packages put crate sources here; cargo reads it as a directory source, offline. */
export const DEBIAN_REGISTRY = "/usr/share/cargo/registry";

/** Why tests on real crates cannot run here, or undefined when they can. */
export function registryMissing(crates: readonly string[]): string | undefined {
  if (!fs.existsSync(DEBIAN_REGISTRY)) return `${DEBIAN_REGISTRY} is missing (scripts/env/60-deps.sh installs Debian's librust-*-dev packages)`;
  const have = fs.readdirSync(DEBIAN_REGISTRY);
  const missing = crates.filter((c) => !have.some((d) => d.startsWith(`${c}-`) && /^\d/.test(d.slice(c.length + 1))));
  return missing.length ? `Debian crate sources missing for ${missing.join(", ")} (run scripts/ensure-env.sh)` : undefined;
}

export const CARGO_CONFIG = `[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "${DEBIAN_REGISTRY}"

[net]
offline = true
`;

/**
 * Writes a `#![no_std]` library crate whose `[dependencies]` (and any other tables) are `manifestTail`, with a
 * cargo config that resolves crates from the Debian registry offline. Returns the crate directory.
 */
export function writeCrate(parent: string, name: string, manifestTail: string, lib = "#![no_std]\n"): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  fs.mkdirSync(path.join(dir, ".cargo"), { recursive: true });
  fs.writeFileSync(path.join(dir, "Cargo.toml"), `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n${manifestTail}`);
  fs.writeFileSync(path.join(dir, ".cargo", "config.toml"), CARGO_CONFIG);
  fs.writeFileSync(path.join(dir, "src", "lib.rs"), lib);
  return dir;
}

export function scratch(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
