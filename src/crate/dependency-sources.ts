import path from "node:path";
import { promises as fsp } from "node:fs";
import { readUtf8File } from "../util/fs.js";
import { cargoHome, type CargoConfig } from "../cargo/config.js";
import { parseToml, valueAt } from "../cargo/toml.js";

/**
 * Where cargo would read a registry dependency's source offline: the version Cargo.lock pins, unpacked in the
 * registry cache (`$CARGO_HOME/registry/src/<index>/<name>-<version>`) or in a directory source that the
 * configuration puts in place of crates.io (vendored crates, a distribution's registry). Nothing is guessed: a
 * crate that is not locked, or whose source is not on this machine, is not found.
 */
export class DependencySources {
  private constructor(
    private readonly locked: Map<string, string[]>,
    private readonly dirs: string[],
  ) {}

  static async load(workspaceRoot: string, config: CargoConfig): Promise<DependencySources> {
    const locked = new Map<string, string[]>();
    const lockText = await readUtf8File(path.join(workspaceRoot, "Cargo.lock")).catch(() => undefined);
    if (lockText !== undefined) {
      try {
        const lock = parseToml(path.join(workspaceRoot, "Cargo.lock"), lockText);
        for (const p of Array.isArray(lock.value.package) ? lock.value.package : []) {
          const { name, version, source } = p as { name?: unknown; version?: unknown; source?: unknown };
          if (typeof name !== "string" || typeof version !== "string" || typeof source !== "string") continue;
          locked.set(name, [...(locked.get(name) ?? []), version]);
        }
      } catch {
        // A lock file we cannot read locks nothing.
      }
    }
    const dirs: string[] = [];
    const registry = path.join(cargoHome(config.env), "registry", "src");
    for (const index of await fsp.readdir(registry).catch(() => [] as string[])) dirs.push(path.join(registry, index));
    for (const doc of config.files) {
      const sources = valueAt(doc.value, ["source"]);
      if (!sources || typeof sources !== "object") continue;
      for (const s of Object.values(sources as Record<string, unknown>)) {
        const d = valueAt(s, ["directory"]);
        if (typeof d === "string") dirs.push(path.resolve(path.dirname(path.dirname(doc.path)), d));
      }
    }
    return new DependencySources(locked, dirs);
  }

  /** The source directory of a registry dependency, or undefined when it is not locked or not on this machine. */
  async locate(name: string): Promise<string | undefined> {
    for (const version of this.locked.get(name) ?? []) {
      for (const d of this.dirs) {
        for (const candidate of [path.join(d, `${name}-${version}`), path.join(d, name)]) {
          const manifest = await readUtf8File(path.join(candidate, "Cargo.toml")).catch(() => undefined);
          if (manifest === undefined) continue;
          try {
            const v = valueAt(parseToml(path.join(candidate, "Cargo.toml"), manifest).value, ["package", "version"]);
            if (v === version) return candidate;
          } catch {
            continue;
          }
        }
      }
    }
    return undefined;
  }
}
