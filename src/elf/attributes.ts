import type { ElfFile } from "./reader.js";

/**
 * Build attributes: the `.ARM.attributes` and `.riscv.attributes` sections the compiler writes into every object
 * and the linker merges into the executable. They name the architecture the code was compiled for (ARMv7E-M,
 * `rv32i2p1_m2p0_a2p1_c2p0`), which the ELF header alone does not: the file says which target built it, wherever
 * it was copied to.
 *
 * Format (ARM IHI 0045, RISC-V psABI): `A`, then vendor subsections [u32 length][vendor NUL][tag 1 = file]
 * [u32 length][tag value]…; a tag is ULEB128, its value a ULEB128 or a NUL-terminated string by the vendor's rule.
 */

export interface BuildAttributes {
  vendor: string;
  /** Tag number → value (the file-scope tags only). */
  tags: Map<number, number | string>;
}

function uleb(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let i = at;
  for (; i < buf.length; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [value, i + 1];
    if (shift > 49) break;
  }
  throw new Error("truncated ULEB128");
}

function cstring(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new Error("unterminated string");
  return [buf.toString("latin1", at, end), end + 1];
}

/** ARM: Tag_CPU_raw_name (4), Tag_CPU_name (5), Tag_compatibility's name, Tag_also_compatible_with (65), Tag_conformance (67), and odd tags from 32 are strings. */
function armIsString(tag: number): boolean {
  return tag === 4 || tag === 5 || tag === 65 || tag === 67 || (tag >= 32 && tag % 2 === 1);
}

/** RISC-V: odd tags are strings (Tag_RISCV_arch = 5), even ones numbers. */
function riscvIsString(tag: number): boolean {
  return tag % 2 === 1;
}

/** The file-scope attributes of the first vendor subsection named `vendor`, or undefined when absent or unreadable. */
export function readBuildAttributes(elf: ElfFile, section: ".ARM.attributes" | ".riscv.attributes"): BuildAttributes | undefined {
  const sec = elf.section(section);
  if (!sec || sec.size === 0n) return undefined;
  const vendorWanted = section === ".ARM.attributes" ? "aeabi" : "riscv";
  const isString = section === ".ARM.attributes" ? armIsString : riscvIsString;
  const little = elf.header.endian === "little";
  try {
    const buf = elf.sectionData(sec);
    if (buf[0] !== 0x41) return undefined; // 'A': the only format version there is.
    const u32 = (at: number) => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
    let at = 1;
    while (at + 4 <= buf.length) {
      const length = u32(at);
      if (length < 5 || at + length > buf.length) return undefined;
      const end = at + length;
      const [vendor, afterVendor] = cstring(buf, at + 4);
      if (vendor === vendorWanted) {
        let p = afterVendor;
        while (p < end) {
          const [scope, afterScope] = uleb(buf, p);
          const scopeLength = u32(afterScope);
          const scopeEnd = p + scopeLength;
          if (scopeLength < 5 || scopeEnd > end) return undefined;
          if (scope === 1) {
            const tags = new Map<number, number | string>();
            let q = afterScope + 4;
            while (q < scopeEnd) {
              const [tag, afterTag] = uleb(buf, q);
              if (tag === 32 && section === ".ARM.attributes") {
                // Tag_compatibility: a flag, then a vendor name.
                const [flag, afterFlag] = uleb(buf, afterTag);
                const [, afterName] = cstring(buf, afterFlag);
                tags.set(tag, flag);
                q = afterName;
              } else if (isString(tag)) {
                const [s, next] = cstring(buf, afterTag);
                tags.set(tag, s);
                q = next;
              } else {
                const [v, next] = uleb(buf, afterTag);
                tags.set(tag, v);
                q = next;
              }
            }
            return { vendor, tags };
          }
          p = scopeEnd;
        }
      }
      at = end;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Tag_CPU_arch values (ARM IHI 0045): the architectures the Arm targets freestand knows are built for. */
export const ARM_CPU_ARCH: Record<number, string> = {
  10: "ARMv7",
  11: "ARMv6-M",
  12: "ARMv6S-M",
  13: "ARMv7E-M",
  14: "ARMv8-A",
  15: "ARMv8-R",
  16: "ARMv8-M.baseline",
  17: "ARMv8-M.mainline",
  21: "ARMv8.1-M.mainline",
};

/** The Arm architecture and profile (`A`, `R`, `M`) the code was built for, from Tag_CPU_arch (6) and Tag_CPU_arch_profile (7). */
export function armArchitecture(attrs: BuildAttributes | undefined): { arch: string; profile?: string } | undefined {
  const arch = attrs?.tags.get(6);
  if (typeof arch !== "number") return undefined;
  const profile = attrs!.tags.get(7);
  return { arch: ARM_CPU_ARCH[arch] ?? `Tag_CPU_arch ${arch}`, ...(typeof profile === "number" && profile > 0 ? { profile: String.fromCharCode(profile) } : {}) };
}

/** The RISC-V ISA string (`rv32i2p1_m2p0_a2p1_c2p0`) from Tag_RISCV_arch (5). */
export function riscvArchString(attrs: BuildAttributes | undefined): string | undefined {
  const v = attrs?.tags.get(5);
  return typeof v === "string" ? v : undefined;
}
