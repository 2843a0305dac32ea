import path from "node:path";
import { capture, type CaptureResult } from "../util/process.js";
import { FreestandError } from "../errors.js";
import { parseMetadata, type Metadata } from "./cargo-metadata.js";
import { cargoProblem } from "../util/tool-output.js";
import { offlineEnv } from "../crate/packages.js";

export interface CargoGraphOptions {
  /** Absolute path of the Cargo.toml cargo is asked about (any package of the workspace answers for all of it). */
  manifestPath: string;
  target: string;
  cargo?: string;
  /** Milliseconds per cargo call. */
  timeout?: number;
  env?: NodeJS.ProcessEnv;
  /** Runs shared between callers: one `cargo metadata` per workspace and target for the packages of one check. */
  cache?: Map<string, Promise<CargoGraph>>;
}

export interface CargoGraph {
  metadata: Metadata;
  /** Always true: `check` never waits on a network. */
  offline: boolean;
}

function cargoBin(opts: CargoGraphOptions): string {
  return opts.cargo ?? opts.env?.CARGO ?? process.env.CARGO ?? "cargo";
}

function failure(what: string, r: CaptureResult, timeout: number): FreestandError {
  if (r.exitCode === undefined && /Blocking waiting for file lock/.test(r.stderr)) {
    return new FreestandError(`\`cargo ${what}\` waited ${Math.round(timeout / 1000)} s for the package cache, which another cargo holds`);
  }
  const detail = cargoProblem(r.stderr) ?? (r.exitCode === undefined ? `it did not answer within ${Math.round(timeout / 1000)} s` : `exit ${r.exitCode}`);
  return new FreestandError(`\`cargo ${what} --offline\` could not resolve them: ${detail}`);
}

/**
 * Runs `cargo metadata --filter-platform <target> --offline`: the packages with their manifests and the resolve,
 * from which \`feature-resolver.ts\` computes the target's features. Offline only: the lock file and the
 * dependencies' sources must be on this machine (registry cache, vendored, a directory source); when they are
 * not, the error says so rather than waiting for a network. With `cache`, one run per workspace and target.
 */
export function loadCargoGraph(opts: CargoGraphOptions): Promise<CargoGraph> {
  const key = `${opts.manifestPath}\0${opts.target}\0${cargoBin(opts)}`;
  let p = opts.cache?.get(key);
  if (!p) {
    p = (async () => {
      const cwd = path.dirname(opts.manifestPath);
      const args = ["metadata", "--format-version", "1", "--filter-platform", opts.target, "--manifest-path", opts.manifestPath, "--offline"];
      const timeout = opts.timeout ?? 30_000;
      const meta = await capture(cargoBin(opts), args, { cwd, timeout, env: offlineEnv(opts.env ?? process.env) });
      if (meta.exitCode !== 0) throw failure("metadata", meta, timeout);
      try {
        return { metadata: parseMetadata(meta.stdout), offline: true };
      } catch {
        throw new FreestandError("`cargo metadata` printed something that is not its JSON format.");
      }
    })();
    opts.cache?.set(key, p);
  }
  return p;
}
