import { FreestandError } from "../errors.js";
import type { TargetInfo } from "./types.js";

const HOST_TRIPLE = "x86_64-unknown-linux-gnu";

/**
 * Facts measured on Debian 12 x86_64 (DESIGN.md section 5). Add a target by adding a record here and a
 * template directory under templates/.
 */
export const TARGETS: readonly TargetInfo[] = [
  {
    id: "host",
    triple: HOST_TRIPLE,
    description: "static freestanding Linux executable (no libc), run directly by the kernel",
    flavour: "host",
    elf: { machine: "x86_64", class: 64, endian: "little" },
    entrySymbol: "_start",
    defaultPanicStrategy: "unwind",
    memory: [],
    stackSize: 0,
    exit: { kind: "syscall" },
    console: "write(2) syscall on fd 1, exit_group(2)",
    hasFpu: true,
    template: "host",
    // No C start files or libc, a static non-PIE executable: a static-PIE would need a loader to relocate it.
    rustflags: ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static"],
  },
];

export function listTargets(): readonly TargetInfo[] {
  return TARGETS;
}

/** Finds a target by id (`host`) or triple; the host triple maps to the host flavour. */
export function findTarget(idOrTriple: string): TargetInfo | undefined {
  return TARGETS.find((t) => t.id === idOrTriple) ?? TARGETS.find((t) => t.triple === idOrTriple);
}

export function requireTarget(idOrTriple: string): TargetInfo {
  const t = findTarget(idOrTriple);
  if (!t) {
    const known = TARGETS.map((x) => x.id).join(", ");
    throw new FreestandError(`unknown target \`${idOrTriple}\`; known targets: ${known}.`);
  }
  return t;
}
