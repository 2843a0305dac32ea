import { promises as fsp } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseTOML, getStaticTOMLValue } from "toml-eslint-parser";
import { FreestandError } from "../errors.js";

/**
 * The target cargo will build for, read the way cargo reads it: `--target`, then CARGO_BUILD_TARGET, then
 * `build.target` in the `.cargo/config.toml` files from the crate directory upward, then $CARGO_HOME.
 * Undefined means the host.
 */
export async function configuredTarget(crateDir: string, explicit?: string): Promise<string | undefined> {
  if (explicit) return explicit;
  if (process.env.CARGO_BUILD_TARGET) return process.env.CARGO_BUILD_TARGET;
  const files: string[] = [];
  for (let d = path.resolve(crateDir); ; d = path.dirname(d)) {
    files.push(path.join(d, ".cargo", "config.toml"), path.join(d, ".cargo", "config"));
    if (path.dirname(d) === d) break;
  }
  const cargoHome = process.env.CARGO_HOME ?? path.join(os.homedir(), ".cargo");
  files.push(path.join(cargoHome, "config.toml"), path.join(cargoHome, "config"));
  for (const file of files) {
    let text: string;
    try {
      text = await fsp.readFile(file, "utf8");
    } catch {
      continue;
    }
    let value: unknown;
    try {
      value = getStaticTOMLValue(parseTOML(text));
    } catch (err) {
      throw new FreestandError(`${file} is not valid TOML: ${(err as Error).message.split("\n")[0]}`);
    }
    const target = (value as { build?: { target?: unknown } }).build?.target;
    if (typeof target === "string") {
      // A relative path to a target-spec .json is relative to the config file's parent directory.
      return target.endsWith(".json") ? path.resolve(path.dirname(path.dirname(file)), target) : target;
    }
    if (Array.isArray(target) && typeof target[0] === "string") return target[0];
  }
  return undefined;
}
