import path from "node:path";
import { capture } from "../util/process.js";
import { cargoInvocation } from "../toolchain/invocation.js";

/** A compiler error that says a crate needed std: `can't find crate for std` (E0463) or a second std lang item (E0152). */
export interface CompilerStdError {
  name: string;
  version: string;
  code?: string;
  message: string;
}

export interface CompilerConfirmation {
  target: string;
  /** Did `cargo check` succeed? */
  success: boolean;
  /** Crates whose compilation failed because std was wanted, as cargo reported them. */
  stdErrors: CompilerStdError[];
  /** Other compiler errors (first lines), which say nothing about std. */
  otherErrors: string[];
  notes: string[];
}

/** `registry+https://…#serde@1.0.152`, `path+file:///x#a@0.1.0`, `path+file:///x/name#0.1.0` or the older `serde 1.0.152 (registry+…)`. */
export function parsePackageId(id: string, fallbackName?: string): { name: string; version: string } | undefined {
  const old = /^(\S+) (\S+) \(/.exec(id);
  if (old) return { name: old[1]!, version: old[2]! };
  const hash = id.lastIndexOf("#");
  if (hash < 0) return undefined;
  const frag = id.slice(hash + 1);
  const at = frag.lastIndexOf("@");
  if (at >= 0) return { name: frag.slice(0, at), version: frag.slice(at + 1) };
  const base = path.basename(id.slice(0, hash).replace(/^[a-z]+\+/, ""));
  return { name: fallbackName ?? base, version: frag };
}

function isStdError(msg: { code?: { code?: string } | null; message?: string }): boolean {
  const code = msg.code?.code;
  const text = msg.message ?? "";
  if (code === "E0463" && /\bcrate for `std`/.test(text)) return true;
  if (code === "E0152" && /duplicate lang item/.test(text)) return true;
  return /can't find crate for `std`/.test(text);
}

/**
 * Runs `cargo check --target T --keep-going --message-format=json` with the `core` freestand finds for the target
 * (a prebuilt one or a sysroot built by `freestand sysroot`) and collects the errors that mean "this crate wanted
 * std". Throws (FreestandError) when the target has no `core`.
 */
export async function confirmWithCompiler(opts: { manifestPath: string; target: string; timeout?: number; targetDir?: string }): Promise<CompilerConfirmation> {
  const crateDir = path.dirname(path.resolve(opts.manifestPath));
  const inv = await cargoInvocation({ crateDir, triple: opts.target });
  const args = ["check", ...inv.args, "--manifest-path", path.resolve(opts.manifestPath), "--target", opts.target, "--keep-going", "--message-format=json"];
  if (opts.targetDir) args.push("--target-dir", opts.targetDir);
  const r = await capture(inv.cargo, args, { cwd: crateDir, env: { ...process.env, ...inv.env }, timeout: opts.timeout ?? 600_000 });
  const stdErrors: CompilerStdError[] = [];
  const otherErrors: { name: string; version: string; text: string }[] = [];
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let m: { reason?: string; package_id?: string; target?: { name?: string }; message?: { level?: string; message?: string; code?: { code?: string } | null } };
    try {
      m = JSON.parse(line);
    } catch {
      continue;
    }
    if (m.reason !== "compiler-message" || m.message?.level !== "error" || !m.package_id) continue;
    const pkg = parsePackageId(m.package_id, m.target?.name);
    if (!pkg) continue;
    if (isStdError(m.message)) {
      if (!stdErrors.some((e) => e.name === pkg.name && e.version === pkg.version)) {
        stdErrors.push({ ...pkg, ...(m.message.code?.code ? { code: m.message.code.code } : {}), message: m.message.message ?? "" });
      }
    } else if (!/^aborting due to/.test(m.message.message ?? "")) {
      otherErrors.push({ ...pkg, text: `${pkg.name}: ${m.message.message ?? ""}` });
    }
  }
  // A crate without std fails in many places (unresolved `std::` imports, a missing prelude); those follow from
  // its std error and are not reported on their own.
  const consequences = (e: { name: string; version: string }) => stdErrors.some((s) => s.name === e.name && s.version === e.version);
  return { target: opts.target, success: r.exitCode === 0, stdErrors, otherErrors: otherErrors.filter((e) => !consequences(e)).map((e) => e.text), notes: inv.notes };
}
