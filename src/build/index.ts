import { promises as fsp } from "node:fs";
import path from "node:path";
import { stream } from "../util/process.js";
import { FreestandError } from "../errors.js";
import { LineSplitter, parseCargoMessage, type CargoMessage, type CompilerMessage } from "./cargo-messages.js";
import { findManifest } from "./locate.js";
import { loadCargoConfig, configuredTarget, effectiveRustflags } from "../crate/config.js";
import { cargoInvocation } from "../toolchain/invocation.js";
import { findRustc } from "../toolchain/rustc.js";
import { verifyElf, type VerifyResult } from "../elf/verify/index.js";
import { findTarget } from "../targets/catalog.js";

export interface BuildOptions {
  /** Crate directory (default: the current directory). */
  dir?: string;
  release?: boolean;
  /** Overrides the configured target. */
  target?: string;
  /** Build only this binary. */
  bin?: string;
  /** Colour in cargo's rendered diagnostics and status lines. */
  color?: boolean;
  /** Extra arguments passed to `cargo build`. */
  cargoArgs?: string[];
  /** cargo's stderr, line by line: status lines ("Compiling x") and cargo's own warnings. */
  onCargoLine?: (line: string) => void;
  /** A compiler diagnostic as it arrives, with rustc's rendering. */
  onDiagnostic?: (message: CompilerMessage) => void;
  /** A build script's or other non-JSON stdout line. */
  onOutputLine?: (line: string) => void;
  /** Milliseconds before cargo is killed (default: none). */
  timeout?: number;
  /** Prove every produced binary freestanding with `verifyElf` (default: true). */
  verify?: boolean;
}

export interface Artifact {
  /** Package target name. */
  name: string;
  kind: "bin" | "lib" | "other";
  /** Absolute path of the produced file. */
  path: string;
  size: number;
  /** For binaries: what `verify` found (absent when verification was turned off). */
  verification?: VerifyResult;
}

export interface BuildResult {
  success: boolean;
  /** cargo's exit code. */
  exitCode: number | null;
  manifestPath: string;
  /** The triple built for (undefined: the host, with no --target). */
  target: string | undefined;
  profile: "dev" | "release";
  /** Artifacts of the workspace's own packages (not dependencies), in cargo's order. */
  artifacts: Artifact[];
  /** Every compiler diagnostic cargo reported, in order (for explanations). */
  diagnostics: CompilerMessage[];
  /** Notes about how the build was run (e.g. a cached sysroot was used). */
  notes: string[];
}

/**
 * Runs `cargo build` with JSON messages and reports what it produced. Artifacts come from cargo's
 * `compiler-artifact` messages, never from guessing paths under target/.
 */
export async function build(opts: BuildOptions = {}): Promise<BuildResult> {
  const dir = path.resolve(opts.dir ?? ".");
  const manifestPath = await findManifest(dir);
  const crateDir = path.dirname(manifestPath);
  const config = await loadCargoConfig(crateDir);
  const target = configuredTarget(config, opts.target)?.value;
  const triple = target ?? (await findRustc({ cwd: crateDir })).host;
  // The linker's warnings ("cannot find entry symbol _start") are silent unless the linker_messages lint is on;
  // templates set it, so generated crates are not rebuilt when switching between cargo and freestand.
  const hasLinkerMessages = effectiveRustflags(config, triple).some((s) => s.flags.some((f) => /linker[-_]messages/.test(f)));
  // A bare-metal target may need a cached sysroot (and the compiler it was built with); the host needs nothing.
  const invocation = await cargoInvocation({ crateDir, triple, rustflags: hasLinkerMessages ? [] : ["-W", "linker-messages"] });

  const args = [
    "build",
    "--manifest-path",
    manifestPath,
    // Full JSON (not json-render-diagnostics): the codes and spans are needed to explain errors; the
    // rendered text inside each message is what gets shown, exactly as cargo would show it.
    `--message-format=${opts.color ? "json-diagnostic-rendered-ansi" : "json"}`,
    `--color=${opts.color ? "always" : "never"}`,
    ...(opts.release ? ["--release"] : []),
    ...(opts.target ? ["--target", opts.target] : []),
    ...(opts.bin ? ["--bin", opts.bin] : []),
    ...invocation.args,
    ...(opts.cargoArgs ?? []),
  ];

  const packages = new Set<string>();
  const diagnostics: CompilerMessage[] = [];
  const artifacts: { name: string; kind: Artifact["kind"]; path: string }[] = [];
  let finished: boolean | undefined;
  const stdout = new LineSplitter((line) => {
    const msg = parseCargoMessage(line);
    if (!msg) {
      if (line.trim()) opts.onOutputLine?.(line);
      return;
    }
    handle(msg);
  });
  const stderr = new LineSplitter((line) => opts.onCargoLine?.(line));

  function handle(msg: CargoMessage): void {
    if (msg.reason === "compiler-message") {
      const m = msg as CompilerMessage;
      diagnostics.push(m);
      opts.onDiagnostic?.(m);
    } else if (msg.reason === "compiler-artifact") {
      const a = msg as import("./cargo-messages.js").CompilerArtifactMessage;
      // Only the crate's own packages: dependencies live outside the manifest's directory tree or in a registry.
      if (!isOwnPackage(a.manifest_path, crateDir)) return;
      packages.add(a.package_id);
      if (a.executable) artifacts.push({ name: a.target.name, kind: "bin", path: a.executable });
      else if (a.target.kind.some((k) => k === "lib" || k === "rlib" || k === "staticlib" || k === "cdylib")) {
        for (const f of a.filenames) if (!f.endsWith(".rmeta")) artifacts.push({ name: a.target.name, kind: "lib", path: f });
      }
    } else if (msg.reason === "build-finished") {
      finished = (msg as { success: boolean }).success;
    }
  }

  const result = await stream(invocation.cargo, args, {
    cwd: crateDir,
    env: { ...process.env, ...invocation.env },
    timeout: opts.timeout,
    onStdout: (c) => stdout.push(c),
    onStderr: (c) => stderr.push(c),
  });
  stdout.end();
  stderr.end();
  if (result.timedOut) throw new FreestandError(`cargo build did not finish within ${Math.round((opts.timeout ?? 0) / 1000)} s and was stopped.`);
  if (result.interrupted) throw new FreestandError("cargo build was interrupted.", 130);

  const success = result.exitCode === 0 && finished !== false;
  // Unknown triples are verified without target facts (no memory map, no machine check).
  const targetInfo = findTarget(target ?? "host");
  const withSizes: Artifact[] = [];
  for (const a of artifacts) {
    const size = await fsp.stat(a.path).then((s) => s.size, () => 0);
    const verification = success && a.kind === "bin" && opts.verify !== false ? await verifyElf(a.path, { target: targetInfo }) : undefined;
    withSizes.push({ ...a, size, ...(verification ? { verification } : {}) });
  }
  return {
    success,
    exitCode: result.exitCode,
    manifestPath,
    target,
    profile: opts.release ? "release" : "dev",
    artifacts: withSizes,
    diagnostics,
    notes: invocation.notes,
  };
}

function isOwnPackage(manifestPath: string, crateDir: string): boolean {
  const rel = path.relative(crateDir, manifestPath);
  return !rel.startsWith("..") && !path.isAbsolute(rel);
}
