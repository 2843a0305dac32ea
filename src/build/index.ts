import { promises as fsp } from "node:fs";
import path from "node:path";
import { stream } from "../util/process.js";
import { FreestandError } from "../errors.js";
import { parseCargoMessage, type CargoMessage, type CompilerArtifactMessage, type CompilerMessage } from "./cargo-messages.js";
import { loadProject, unreadCrateConfig, type Project } from "./project.js";
import { profileName, selectionArgs, type CargoSelection } from "./selection.js";
import { loadCargoConfig, configuredTarget, effectiveRustflags } from "../cargo/config.js";
import { cargoInvocation } from "../toolchain/invocation.js";
import { findRustc } from "../toolchain/rustc.js";
import { verifyElf, type VerifyResult } from "../elf/verify/index.js";
import { sizeReport } from "../elf/size.js";
import { flashByCrate, type CrateShare } from "../elf/crates.js";
import { withElf } from "../elf/reader.js";
import { machineFor } from "../targets/boards.js";
import type { TargetInfo } from "../targets/types.js";
import { readTextFile } from "../util/fs.js";
import { withoutComments } from "../syntax/queries.js";
import { relativeInside } from "../util/paths.js";
import { pushAll } from "../util/arrays.js";
import type { CargoInvocation } from "../toolchain/types.js";
import { LineSplitter } from "../util/lines.js";

export { findManifest, loadProject, selectPackages, chooseExecutable, type Project, type Executable } from "./project.js";
export { profileName, profileDirName, splitFeatures, selectionArgs, type CargoSelection } from "./selection.js";

export interface BuildOptions extends CargoSelection {
  /** The crate directory: an alias of `cwd` (cargo runs there). */
  dir?: string;
  /** The project when the caller has already loaded it (run chooses its binary before building). */
  project?: Project;
  /** Colour in cargo's rendered diagnostics and status lines. */
  color?: boolean;
  /** `short`: cargo's one-line diagnostics. */
  messageFormat?: "human" | "short";
  /**
   * Before cargo starts: how the toolchain was chosen (a cached sysroot, another compiler: worth saying once),
   * and what this invocation in particular should know (a crate config cargo will not read from here).
   */
  onNotes?: (toolchain: string[], situational: string[]) => void | Promise<void>;
  /** cargo's stderr, line by line: status lines ("Compiling x") and cargo's own warnings. */
  onCargoLine?: (line: string) => void;
  /** A compiler diagnostic as it arrives, with rustc's rendering; return `"stop"` to end the build there. */
  onDiagnostic?: (message: CompilerMessage) => void | "stop";
  /** Every JSON message cargo printed, unchanged (what `--message-format json` shows). */
  onMessage?: (line: string) => void;
  /** A build script's or other non-JSON stdout line. */
  onOutputLine?: (line: string) => void;
  /** Milliseconds before cargo is killed (default: none). */
  timeout?: number;
  /** Prove every produced binary freestanding with `verifyElf` (default: true). */
  verify?: boolean;
  /** Build the test binaries instead (`cargo test --no-run`): cfg(test), the `test` profile. */
  tests?: boolean;
}

/** Flash and RAM a binary takes, against the target's regions when the catalogue knows its memory map. */
export interface ArtifactMemory {
  flash: number;
  ram: number;
  flashTotal?: number;
  ramTotal?: number;
  /** The three largest shares of code and read-only data by crate (src/elf/crates.ts). */
  byCrate?: CrateShare[];
}

export interface Artifact {
  /** Package target name. */
  name: string;
  /** The package that built it. */
  package: string;
  kind: "bin" | "lib" | "other";
  /** For binaries: built as an example (`--example`) rather than a `[[bin]]`. */
  example?: boolean;
  /** A test binary (`cargo test --no-run`), with the source file its tests are in. */
  test?: { source: string };
  /** Absolute path of the produced file. */
  path: string;
  size: number;
  /** For binaries: built for a bare-metal target, or its crate root says `no_std`/`no_main` (a std tool is not). */
  freestanding?: boolean;
  /** For freestanding binaries: what `verify` found (absent when verification was turned off). */
  verification?: VerifyResult;
  /** For binaries: what it takes in flash and RAM. */
  memory?: ArtifactMemory;
}

export interface BuildResult {
  success: boolean;
  /** cargo's exit code. */
  exitCode: number | null;
  manifestPath: string;
  /** The triple built for (undefined: the host, with no --target). */
  target: string | undefined;
  /** The catalogue's facts for that target, when it knows it. */
  targetInfo?: TargetInfo;
  /** cargo's profile name: `dev`, `release` or a custom one. */
  profile: string;
  /** Artifacts of the workspace's own packages (not dependencies), in cargo's order. */
  artifacts: Artifact[];
  /** Every compiler diagnostic cargo reported, in order (for explanations). */
  diagnostics: CompilerMessage[];
  /** Notes about how the build was run (e.g. a cached sysroot was used). */
  notes: string[];
  /** The build was ended early because a diagnostic said every further error would repeat it. */
  stopped: boolean;
  project: Project;
}

/** The target cargo will build for, as cargo resolves it from where it runs (`--target`, env, `--config`, files). */
export async function buildTarget(sel: CargoSelection, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const cwd = path.resolve(sel.cwd ?? ".");
  return configuredTarget(await loadCargoConfig(cwd, env, sel.config), sel.target, cwd)?.value;
}

/** An artifact as cargo announced it, with the root file of its target (to tell freestanding binaries). */
type AnnouncedArtifact = Omit<Artifact, "size"> & { root: string };

/**
 * Runs `cargo build` with JSON messages and reports what it produced. Artifacts come from cargo's
 * `compiler-artifact` messages, never from guessing paths under target/. Three steps: prepare cargo's invocation,
 * run it (runCargo), then look at what it built (inspectArtifacts).
 */
export async function build(opts: BuildOptions = {}): Promise<BuildResult> {
  const sel: CargoSelection = { ...opts, cwd: path.resolve(opts.cwd ?? opts.dir ?? ".") };
  const cwd = sel.cwd!;
  const project = opts.project ?? (await loadProject(sel));
  const config = await loadCargoConfig(cwd, process.env, sel.config);
  const target = configuredTarget(config, sel.target, cwd)?.value;
  const triple = target ?? (await findRustc({ cwd })).host;
  // The linker's warnings ("cannot find entry symbol _start") are silent unless the linker_messages lint is on;
  // templates set it, so generated crates are not rebuilt when switching between cargo and freestand.
  const userFlags = effectiveRustflags(config, triple).flatMap((s) => s.flags);
  const hasLinkerMessages = userFlags.some((f) => /linker[-_]messages/.test(f));
  // A sysroot the crate names itself is the user's choice; otherwise a bare-metal target may need a cached one
  // (and the compiler it was built with); the host needs nothing.
  const sysrootGiven = userFlags.some((f) => f === "--sysroot" || f.startsWith("--sysroot="));
  const invocation = await cargoInvocation({ crateDir: cwd, triple, rustflags: hasLinkerMessages ? [] : ["-W", "linker-messages"], sysrootGiven });
  const situational = await unreadConfigNotes(cwd, project);
  await opts.onNotes?.(invocation.notes, situational);

  const rendered = opts.messageFormat === "short" ? "json-diagnostic-short" : opts.color ? "json-diagnostic-rendered-ansi" : "json";
  const args = [
    ...(opts.tests ? ["test", "--no-run"] : ["build"]),
    ...selectionArgs(sel, project.manifestPath),
    // Full JSON (not json-render-diagnostics): the codes and spans are needed to explain errors; the
    // rendered text inside each message is what gets shown, exactly as cargo would show it.
    `--message-format=${rendered}`,
    `--color=${opts.color ? "always" : "never"}`,
    ...invocation.args,
    ...(opts.cargoArgs ?? []),
  ];
  const run = await runCargo(invocation, args, cwd, ownPackages(project), opts);
  // Unknown triples are verified without target facts (no memory map, no machine check).
  // A board's crate is verified against the board's memory map.
  const targetInfo = machineFor(target ?? "host", project.selected);
  return {
    success: run.success,
    exitCode: run.exitCode,
    manifestPath: project.manifestPath,
    target,
    ...(targetInfo ? { targetInfo } : {}),
    profile: profileName(sel),
    artifacts: await inspectArtifacts(run.artifacts, run.success, targetInfo, opts.verify !== false),
    diagnostics: run.diagnostics,
    notes: invocation.notes,
    stopped: run.stopped,
    project,
  };
}

/** Runs cargo, passing its lines and messages to the callbacks as they come, and collects messages and artifacts. */
async function runCargo(
  invocation: CargoInvocation,
  args: string[],
  cwd: string,
  own: (a: CompilerArtifactMessage) => boolean,
  opts: BuildOptions,
): Promise<{ success: boolean; exitCode: number | null; stopped: boolean; diagnostics: CompilerMessage[]; artifacts: AnnouncedArtifact[] }> {
  const diagnostics: CompilerMessage[] = [];
  const artifacts: AnnouncedArtifact[] = [];
  let finished: boolean | undefined;
  const stop = new AbortController();
  const handle = (msg: CargoMessage): void => {
    if (stop.signal.aborted) return;
    if (msg.reason === "compiler-message") {
      const m = msg as CompilerMessage;
      diagnostics.push(m);
      if (opts.onDiagnostic?.(m) === "stop") stop.abort();
    } else if (msg.reason === "compiler-artifact") {
      const a = msg as CompilerArtifactMessage;
      if (own(a)) pushAll(artifacts, announced(a));
    } else if (msg.reason === "build-finished") {
      finished = (msg as { success: boolean }).success;
    }
  };
  const stdout = new LineSplitter((line) => {
    const msg = parseCargoMessage(line);
    if (!msg) {
      if (line.trim()) opts.onOutputLine?.(line);
      return;
    }
    opts.onMessage?.(line);
    handle(msg);
  });
  const stderr = new LineSplitter((line) => opts.onCargoLine?.(line));
  const result = await stream(invocation.cargo, args, {
    cwd,
    env: { ...process.env, ...invocation.env },
    timeout: opts.timeout,
    signal: stop.signal,
    onStdout: (c) => stdout.push(c),
    onStderr: (c) => {
      if (!stop.signal.aborted) stderr.push(c);
    },
  });
  stdout.end();
  if (!result.stopped) stderr.end();
  if (result.timedOut) throw new FreestandError(`cargo build did not finish within ${Math.round((opts.timeout ?? 0) / 1000)} s and was stopped.`);
  if (result.interrupted) throw new FreestandError("cargo build was interrupted.", 130);
  const success = !result.stopped && result.exitCode === 0 && finished !== false;
  return { success, exitCode: result.exitCode, stopped: result.stopped, diagnostics, artifacts };
}

/** The files of one `compiler-artifact` message: the executable, or a library's files (not its .rmeta). */
function announced(a: CompilerArtifactMessage): AnnouncedArtifact[] {
  const pkg = packageName(a);
  const example = a.target.kind.includes("example");
  const root = a.target.src_path;
  const test = a.profile.test ? { test: { source: root } } : {};
  if (a.executable) return [{ name: a.target.name, package: pkg, kind: "bin", ...(example ? { example } : {}), ...test, path: a.executable, root }];
  if (a.profile.test) return [];
  if (!a.target.kind.some((k) => k === "lib" || k === "rlib" || k === "staticlib" || k === "cdylib")) return [];
  return a.filenames.filter((f) => !f.endsWith(".rmeta")).map((f) => ({ name: a.target.name, package: pkg, kind: "lib" as const, path: f, root }));
}

/** Sizes, memory use and (for freestanding binaries of a successful build) verify's verdict of each artifact. */
async function inspectArtifacts(artifacts: readonly AnnouncedArtifact[], success: boolean, targetInfo: TargetInfo | undefined, verify: boolean): Promise<Artifact[]> {
  const done: Artifact[] = [];
  for (const { root, ...a } of artifacts) {
    const size = await fsp.stat(a.path).then((s) => s.size, () => 0);
    const isBin = success && a.kind === "bin";
    // A std program beside the firmware (a host tool of the workspace) is not meant to be freestanding.
    const freestanding = isBin && (targetInfo?.flavour === "qemu" || (await declaresFreestanding(root)));
    const verification = freestanding && verify ? await verifyElf(a.path, { target: targetInfo }) : undefined;
    const memory = isBin ? await memoryOf(a.path, targetInfo) : undefined;
    done.push({ ...a, size, ...(isBin ? { freestanding } : {}), ...(verification ? { verification } : {}), ...(memory ? { memory } : {}) });
  }
  return done;
}

/** A crate root that declares `#![no_std]` or `#![no_main]` (also under `cfg_attr`), comments aside. */
async function declaresFreestanding(root: string): Promise<boolean> {
  const text = await readTextFile(root).catch(() => "");
  const code = withoutComments(text);
  return /#!\[\s*(?:cfg_attr\s*\([^\]]*\b)?no_(?:std|main)\b/.test(code);
}

/**
 * A crate's or member's own `.cargo/config.toml` that cargo will not read from where it runs (`--manifest-path`
 * from elsewhere, a workspace built from its root): said before the build, with how to build so it is read.
 */
async function unreadConfigNotes(cwd: string, project: Project): Promise<string[]> {
  const manifests = project.selected.length > 0 ? project.selected.map((p) => ({ name: p.name, manifest: p.manifestPath })) : [{ name: undefined, manifest: project.manifestPath }];
  const out: string[] = [];
  for (const { name, manifest } of manifests) {
    const unread = await unreadCrateConfig(cwd, manifest);
    if (!unread) continue;
    const dir = path.relative(cwd, path.dirname(manifest)) || ".";
    out.push(`cargo runs in ${cwd} and reads its configuration from there, so ${path.relative(cwd, unread)} is not used${name ? ` for \`${name}\`` : ""}; build in its directory to use it (\`freestand build ${dir}\`)`);
  }
  return out;
}

async function memoryOf(file: string, target: TargetInfo | undefined): Promise<ArtifactMemory | undefined> {
  try {
    const r = await sizeReport(file, { target, top: 0 });
    const total = (kind: "flash" | "ram") => r.regions.filter((x) => x.kind === kind).reduce((s, x) => s + x.length, 0) || undefined;
    const flashTotal = total("flash");
    const ramTotal = total("ram");
    const byCrate = (await withElf(file, (elf) => flashByCrate(elf))).slice(0, 3);
    return { flash: r.flash, ram: r.ram, ...(flashTotal ? { flashTotal } : {}), ...(ramTotal ? { ramTotal } : {}), ...(byCrate.length ? { byCrate } : {}) };
  } catch {
    return undefined; // verify has already said what is wrong with the file.
  }
}

/** `name 0.1.0 (path+file:///…)` or `path+file:///…#name@0.1.0`: the package's name. */
function packageName(a: CompilerArtifactMessage): string {
  const id = a.package_id;
  const hash = /#([^@]+)@/.exec(id) ?? /#([^#@]+)$/.exec(id);
  if (hash && !/^\d/.test(hash[1]!)) return hash[1]!;
  const legacy = /^(\S+) \d/.exec(id);
  return legacy?.[1] ?? path.basename(path.dirname(a.manifest_path));
}

/** Whether an artifact belongs to the workspace's own packages (cargo's member list), not to a dependency. */
function ownPackages(project: Project): (a: CompilerArtifactMessage) => boolean {
  const members = new Set(project.graph?.members.map((m) => path.resolve(m)));
  if (members.size > 0) return (a) => members.has(path.resolve(a.manifest_path));
  const root = path.dirname(project.manifestPath);
  return (a) => relativeInside(root, a.manifest_path) !== undefined;
}
