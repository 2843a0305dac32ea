/** `freestand/targets`: the catalogue of targets freestand creates, builds and runs programs for. */
export type { TargetInfo, BoardInfo, MemoryRegion, QemuSpec, ExitMechanism, ElfMachine } from "./types.js";
export { TARGETS, listTargets, findTarget, requireTarget } from "./catalog.js";
export { BOARDS, listBoards, findBoard, machineFor } from "./boards.js";
