import { readUtf8File } from "../util/fs.js";
import { describeError } from "../errors.js";
import type { TargetCfg } from "../toolchain/target-cfg.js";

/** The fields of a custom JSON target spec the rules read (rustc's own names, in the file's kebab-case). */
export interface TargetSpec {
  path: string;
  llvmTarget?: string;
  arch?: string;
  /** rustc's default when the key is absent is `none`. */
  os: string;
  env?: string;
  vendor?: string;
  panicStrategy: "abort" | "unwind";
  linkerFlavor?: string;
  linker?: string;
  pointerWidth?: number;
  endian?: string;
  /** Every argument in `pre-link-args` and `post-link-args`, of every flavour. */
  linkArgs: string[];
  /** `link-script`: a script the spec itself hands to the linker. */
  linkScript?: string;
}

export type TargetSpecResult = { ok: true; spec: TargetSpec } | { ok: false; problem: string };

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function linkArgsOf(v: unknown): string[] {
  if (!v || typeof v !== "object") return [];
  return Object.values(v as Record<string, unknown>).flatMap((a) => (Array.isArray(a) ? a.filter((x): x is string => typeof x === "string") : []));
}

export async function readTargetSpec(file: string): Promise<TargetSpecResult> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readUtf8File(file)) as Record<string, unknown>;
  } catch (err) {
    return { ok: false, problem: err instanceof SyntaxError ? `${file} is not valid JSON` : describeError(err).replace(/\.$/, "") };
  }
  if (!json || typeof json !== "object") return { ok: false, problem: `${file} is not a JSON object` };
  const width = json["target-pointer-width"];
  return {
    ok: true,
    spec: {
      path: file,
      llvmTarget: str(json["llvm-target"]),
      arch: str(json.arch),
      os: str(json.os) ?? "none",
      env: str(json.env),
      vendor: str(json.vendor),
      panicStrategy: json["panic-strategy"] === "abort" ? "abort" : "unwind",
      linkerFlavor: str(json["linker-flavor"]),
      linker: str(json.linker),
      pointerWidth: typeof width === "number" ? width : typeof width === "string" ? Number(width) : undefined,
      endian: str(json["target-endian"]),
      linkArgs: [...linkArgsOf(json["pre-link-args"]), ...linkArgsOf(json["post-link-args"])],
      linkScript: str(json["link-script"]),
    },
  };
}

/** The cfg a spec implies, for when the compiler cannot be asked: what rustc derives from these fields. */
export function cfgFromSpec(spec: TargetSpec): TargetCfg {
  const pairs = new Map<string, Set<string>>();
  const set = (k: string, v: string | undefined) => {
    if (v !== undefined) pairs.set(k, new Set([v]));
  };
  set("target_os", spec.os);
  set("target_arch", spec.arch);
  set("target_env", spec.env ?? "");
  set("target_vendor", spec.vendor ?? "unknown");
  set("target_pointer_width", spec.pointerWidth !== undefined ? String(spec.pointerWidth) : undefined);
  set("target_endian", spec.endian ?? "little");
  set("panic", spec.panicStrategy);
  return { names: new Set(), pairs };
}
