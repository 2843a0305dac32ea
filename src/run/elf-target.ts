import { promises as fsp } from "node:fs";
import { FreestandError } from "../errors.js";
import { withElf } from "../elf/reader.js";
import { EM_NUMBER, NT_XEN_PHYS32_ENTRY } from "../elf/constants.js";
import { TARGETS } from "../targets/catalog.js";
import type { TargetInfo } from "../targets/types.js";

/** True when the file starts with the ELF magic. */
export async function isElfFile(file: string): Promise<boolean> {
  const handle = await fsp.open(file, "r");
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.toString("latin1") === "\x7fELF";
  } finally {
    await handle.close();
  }
}

const EF_ARM_ABI_FLOAT_HARD = 0x400;

/**
 * Chooses the catalogue target an ELF was built for, from its machine, class and markers: a PVH note means
 * x86_64-unknown-none (booted by QEMU) rather than a host program; the hard-float flag tells thumbv7em-eabihf
 * from thumbv7m. When the file leaves a choice open, the user is asked for --target.
 */
export async function targetForElf(file: string): Promise<TargetInfo> {
  return withElf(file, (elf) => {
    const h = elf.header;
    const machine = (Object.entries(EM_NUMBER).find(([, n]) => n === h.machine)?.[0]) as TargetInfo["elf"]["machine"] | undefined;
    let candidates = TARGETS.filter((t) => t.elf.machine === machine && t.elf.class === h.class && t.elf.endian === h.endian);
    if (machine === "x86_64" && candidates.length > 1) {
      const pvh = elf.notes().some((n) => n.type === NT_XEN_PHYS32_ENTRY && n.name === "Xen");
      candidates = candidates.filter((t) => (pvh ? t.flavour === "qemu" : t.flavour === "host"));
    }
    if (machine === "arm" && candidates.length > 1) {
      const hard = (h.flags & EF_ARM_ABI_FLOAT_HARD) !== 0;
      candidates = candidates.filter((t) => t.triple.endsWith("eabihf") === hard);
    }
    if (candidates.length === 1) return candidates[0]!;
    const what = `${machine ?? `machine ${h.machine}`} ELF${h.class}`;
    if (candidates.length === 0) throw new FreestandError(`${file} is a ${what} file, which no known target runs; see \`freestand targets\`.`);
    throw new FreestandError(`${file} could be for ${candidates.map((t) => t.id).join(" or ")}; say which with --target.`);
  });
}
