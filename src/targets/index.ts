/** `freestand/targets`: the catalogue of targets freestand creates, builds and runs programs for. */
export type { TargetInfo, MemoryRegion, QemuSpec, ExitMechanism, ElfMachine } from "./types.js";
export { TARGETS, listTargets, findTarget, requireTarget } from "./catalog.js";
