import { FreestandError } from "../errors.js";
import { capture } from "../util/process.js";
import { findTarget, listTargets } from "../targets/catalog.js";
import { closestName } from "../targets/suggest.js";
import type { TargetInfo } from "../targets/types.js";
import { findRustc } from "./rustc.js";
import { cfgValue, probeTargetCfg } from "./target-cfg.js";
import { rustcTargetList } from "./target-list.js";
import { targetReadiness } from "./readiness.js";
import type { TargetReadiness } from "./types.js";

/**
 * What a user inspects with `rustc --print target-spec-json` on nightly, for any triple the compiler knows, on
 * any channel: `rustc --print cfg` (stable prints it) and the catalogue always; the spec's own fields where the
 * compiler prints its JSON (nightly, or stable under RUSTC_BOOTSTRAP=1, which is only used to print).
 */
export interface TargetDetails {
  triple: string;
  /** The catalogue's record, when freestand has templates for it. */
  catalogue?: TargetInfo;
  description?: string;
  tier?: number;
  arch?: string;
  os?: string;
  env?: string;
  abi?: string;
  vendor?: string;
  endian?: string;
  pointerWidth?: string;
  /** Whether the standard library exists for the target (the spec's metadata), or what cfg tells of it. */
  std: "yes" | "no" | "unknown";
  stdBecause: string;
  panicStrategy?: string;
  /** `target_has_atomic`: the widths with atomic load/store ("8", "16", "32", "64", "ptr"). */
  atomics: string[];
  maxAtomicWidth?: number;
  /** Hard or soft float (the spec's `llvm-floatabi`, an `hf` triple, or the RISC-V ABI name). */
  floatAbi?: string;
  linkerFlavor?: string;
  linker?: string;
  relocationModel?: string;
  features?: string;
  cpu?: string;
  /** How the JSON spec was read: `nightly`, `RUSTC_BOOTSTRAP` (stable, printing only), or not at all. */
  specRead: "nightly" | "RUSTC_BOOTSTRAP" | "unavailable";
  readiness: TargetReadiness;
}

interface SpecJson {
  arch?: string;
  os?: string;
  env?: string;
  abi?: string;
  vendor?: string;
  "target-endian"?: string;
  "target-pointer-width"?: string | number;
  "panic-strategy"?: string;
  "max-atomic-width"?: number;
  "llvm-floatabi"?: string;
  "llvm-abiname"?: string;
  "linker-flavor"?: string;
  linker?: string;
  "relocation-model"?: string;
  features?: string;
  cpu?: string;
  metadata?: { description?: string | null; std?: boolean | null; tier?: number | null };
}

export async function targetDetails(idOrTriple: string, opts: { cwd?: string; env?: NodeJS.ProcessEnv; sysrootRoot?: string } = {}): Promise<TargetDetails> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const catalogue = findTarget(idOrTriple);
  const triple = catalogue?.triple ?? idOrTriple;
  const rustc = await findRustc({ cwd, env });
  const known = await rustcTargetList({ cwd, env });
  if (!catalogue && !known.includes(triple)) {
    const near = closestName(triple, [...listTargets().map((t) => t.id), ...known]);
    throw new FreestandError(`${rustc.path} does not know the target \`${triple}\`${near ? `; did you mean \`${near}\`?` : "."} \`rustc --print target-list\` lists them all.`);
  }
  const cfgResult = await probeTargetCfg({ rustc: rustc.path, target: triple, cwd, env });
  const cfg = cfgResult.ok ? cfgResult.cfg : undefined;
  const nightly = rustc.channel === "nightly" || rustc.channel === "dev";
  const specOut = await capture(rustc.path, ["-Z", "unstable-options", "--print", "target-spec-json", "--target", triple], {
    cwd,
    env: nightly ? env : { ...env, RUSTC_BOOTSTRAP: "1" },
    timeout: 30_000,
  }).catch(() => undefined);
  let spec: SpecJson | undefined;
  try {
    if (specOut?.exitCode === 0) spec = JSON.parse(specOut.stdout) as SpecJson;
  } catch {
    spec = undefined;
  }
  const os = spec?.os ?? cfgValue(cfg, "target_os") ?? "none";
  const stdFromSpec = spec?.metadata?.std;
  const [std, stdBecause]: [TargetDetails["std"], string] =
    typeof stdFromSpec === "boolean"
      ? [stdFromSpec ? "yes" : "no", stdFromSpec ? "the target spec says std is supported" : "the target spec says there is no std: core and alloc only"]
      : os === "none"
        ? ["no", '`target_os = "none"`: no operating system, so no std (core and alloc only)']
        : ["unknown", `\`target_os = "${os}"\`: std may exist; rustc's JSON spec would say`];
  const abi = spec?.abi ?? cfgValue(cfg, "target_abi");
  const abiName = spec?.["llvm-abiname"];
  const riscvFloat = abiName ? (/d$/.test(abiName) ? "double-float" : /f$/.test(abiName) ? "single-float" : /q$/.test(abiName) ? "quad-float" : "soft-float") : undefined;
  const floatAbi = spec?.["llvm-floatabi"] ?? (abiName ? `${riscvFloat} (${abiName})` : abi?.endsWith("hf") ? "hard" : triple.endsWith("eabi") ? "soft" : undefined);
  const atomics = [...(cfg?.pairs.get("target_has_atomic") ?? [])].sort((a, b) => (a === "ptr" ? 1 : b === "ptr" ? -1 : Number(a) - Number(b)));
  const description = spec?.metadata?.description ?? catalogue?.description;
  return {
    triple,
    ...(catalogue ? { catalogue } : {}),
    ...(description ? { description } : {}),
    ...(typeof spec?.metadata?.tier === "number" ? { tier: spec.metadata.tier } : {}),
    arch: spec?.arch ?? cfgValue(cfg, "target_arch"),
    os,
    env: spec?.env ?? cfgValue(cfg, "target_env"),
    ...(abi ? { abi } : {}),
    vendor: spec?.vendor ?? cfgValue(cfg, "target_vendor"),
    endian: spec?.["target-endian"] ?? cfgValue(cfg, "target_endian") ?? "little",
    pointerWidth: String(spec?.["target-pointer-width"] ?? cfgValue(cfg, "target_pointer_width") ?? ""),
    std,
    stdBecause,
    panicStrategy: spec?.["panic-strategy"] ?? cfgValue(cfg, "panic"),
    atomics,
    ...(typeof spec?.["max-atomic-width"] === "number" ? { maxAtomicWidth: spec["max-atomic-width"] } : {}),
    ...(floatAbi ? { floatAbi } : {}),
    ...(spec?.["linker-flavor"] ? { linkerFlavor: spec["linker-flavor"] } : {}),
    ...(spec?.linker ? { linker: spec.linker } : {}),
    ...(spec?.["relocation-model"] ? { relocationModel: spec["relocation-model"] } : {}),
    ...(spec?.features ? { features: spec.features } : {}),
    ...(spec?.cpu ? { cpu: spec.cpu } : {}),
    specRead: spec ? (nightly ? "nightly" : "RUSTC_BOOTSTRAP") : "unavailable",
    readiness: await targetReadiness(triple, { crateDir: cwd, env, ...(opts.sysrootRoot ? { sysrootRoot: opts.sysrootRoot } : {}) }),
  };
}
