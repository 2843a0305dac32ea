import path from "node:path";
import { capture, type CaptureResult } from "../util/process.js";
import { FreestandError } from "../errors.js";
import { parseMetadata, type Metadata } from "./cargo-metadata.js";

export interface CargoGraphOptions {
  /** Absolute path of the package's Cargo.toml. */
  manifestPath: string;
  target: string;
  cargo?: string;
  /** Milliseconds per cargo call. */
  timeout?: number;
}

export interface CargoGraph {
  metadata: Metadata;
  /** Whether cargo ran with `--offline` (it is tried first; the network is used only when that fails). */
  offline: boolean;
}

function cargoBin(opts: CargoGraphOptions): string {
  return opts.cargo ?? process.env.CARGO ?? "cargo";
}

function metadataArgs(opts: CargoGraphOptions, offline: boolean): string[] {
  return ["metadata", "--format-version", "1", "--filter-platform", opts.target, "--manifest-path", opts.manifestPath, ...(offline ? ["--offline"] : [])];
}

function failure(what: string, r: CaptureResult): FreestandError {
  const lines = r.stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^(Locking|Adding|Updating|Downloaded|Downloading|Blocking)\b/.test(l));
  const detail = lines.find((l) => l.startsWith("error")) ?? lines[0] ?? `exit ${r.exitCode ?? "signal"}`;
  return new FreestandError(`\`cargo ${what}\` failed, so the dependency graph is unknown: ${detail.replace(/^error:\s*/, "")}`);
}

/**
 * Runs `cargo metadata --filter-platform <target>`: the packages with their manifests and the resolve, from which
 * `feature-resolver.ts` computes the target's features. Offline first (the usual case: the lock file exists and
 * the sources are in the registry cache or vendored); online only if that fails.
 */
export async function loadCargoGraph(opts: CargoGraphOptions): Promise<CargoGraph> {
  const cargo = cargoBin(opts);
  const timeout = opts.timeout ?? 120_000;
  const cwd = path.dirname(opts.manifestPath);
  const run = (offline: boolean) => capture(cargo, metadataArgs(opts, offline), { cwd, timeout });
  let offline = true;
  let meta = await run(true);
  if (meta.exitCode !== 0) {
    offline = false;
    meta = await run(false);
  }
  if (meta.exitCode !== 0) throw failure("metadata", meta);
  let metadata: Metadata;
  try {
    metadata = parseMetadata(meta.stdout);
  } catch {
    throw new FreestandError("`cargo metadata` printed something that is not its JSON format.");
  }
  return { metadata, offline };
}
