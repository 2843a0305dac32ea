import { FreestandError } from "../errors.js";
import { withElf } from "../elf/reader.js";
import { inferElfTarget, type ElfTargetInference } from "../elf/target-of.js";
import type { TargetInfo } from "../targets/types.js";
import { openRegular } from "../util/fs.js";

/** True when the file starts with the ELF magic. */
export async function isElfFile(file: string): Promise<boolean> {
  const { handle } = await openRegular(file);
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.toString("latin1") === "\x7fELF";
  } finally {
    await handle.close();
  }
}

/** What an ELF file says about its target (src/elf/target-of.ts); `configured`: the crate's configured triple. */
export async function inferTargetOfFile(file: string, configured?: string): Promise<ElfTargetInference> {
  return withElf(file, (elf) => inferElfTarget(elf, configured));
}

/**
 * The catalogue target to run an ELF on, from the file itself (and the crate's configured target where the file
 * leaves a choice). When no target, or several, fit, the user is asked for --target.
 */
export async function targetForElf(file: string, configured?: string): Promise<TargetInfo> {
  const r = await inferTargetOfFile(file, configured);
  if (r.target) return r.target;
  if (r.candidates.length === 0) throw new FreestandError(`${file} is a ${r.described} file, which no target freestand knows runs; see \`freestand targets\`.`);
  throw new FreestandError(`${file} could be for ${r.candidates.map((t) => t.id).join(" or ")}; say which with --target.`);
}
