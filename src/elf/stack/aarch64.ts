import { AddressNotingDecoder, NONE, signExtend } from "./bits.js";
import type { Effect, Instruction, ReadMemory } from "./types.js";

/**
 * AArch64 (A64): `stp x29, x30, [sp, #-N]!` and the other pre-indexed stores and post-indexed loads on sp, `sub sp,
 * sp, #N` (with its `lsl #12` form for large frames) and by a register loaded with `mov`/`movk`, `bl`/`b`, `blr`/`br`
 * through a register, `ret`, and `msr vbar_elN` (the exception vector table). Constants from `movz`/`movk`/`movn`,
 * `adrp`+`add`, `adr` and literal loads are kept until the register is written.
 */
const SP = 31;
const LR = 30;

/** Pre-indexed pair stores and post-indexed pair loads on sp: (mask, pattern, bytes per register); the offset's sign says which. */
const PAIRS: readonly [number, number, number][] = [
  [0xffc00000, 0xa9800000, 8],
  [0xffc00000, 0x29800000, 4],
  [0xffc00000, 0x2d800000, 4],
  [0xffc00000, 0x6d800000, 8],
  [0xffc00000, 0xad800000, 16],
  [0xffc00000, 0xa8c00000, 8],
  [0xffc00000, 0x28c00000, 4],
  [0xffc00000, 0x2cc00000, 4],
  [0xffc00000, 0x6cc00000, 8],
  [0xffc00000, 0xacc00000, 16],
];
/** Pre-indexed single stores (str x/w/d/q, [sp, #-N]!) and post-indexed loads (ldr …, [sp], #N), under mask 0xffe00c00. */
const SINGLE_PRE = [0xf8000c00, 0xb8000c00, 0xfc000c00, 0x3c800c00];
const SINGLE_POST = [0xf8400400, 0xb8400400, 0xfc400400, 0x3cc00400];

export class Aarch64Decoder extends AddressNotingDecoder {
  readonly returnAddressBytes = 0;
  readonly pushesCallArguments = false;
  private readonly constants = new Map<number, bigint>();

  constructor(private readonly read: ReadMemory) {
    super();
  }

  start(): void {
    this.constants.clear();
  }

  protected decodeOne(bytes: Buffer, at: number, pc: bigint): Instruction | undefined {
    if (at + 4 > bytes.length) return undefined;
    const w = bytes.readUInt32LE(at);
    const effect = this.instruction(w, pc);
    const conditional = (w & 0xff000010) === 0x54000000 || (w & 0x7e000000) === 0x34000000 || (w & 0x7e000000) === 0x36000000;
    return { length: 4, effect, conditional };
  }

  private set(reg: number, value: bigint | undefined): void {
    if (value === undefined || reg === SP) this.constants.delete(reg);
    else this.constants.set(reg, BigInt.asUintN(64, value));
  }

  // Long on purpose: one case per A64 encoding that matters, as in the Architecture Reference Manual's index.
  private instruction(w: number, pc: bigint): Effect {
    const rd = w & 0x1f;
    const rn = (w >> 5) & 0x1f;
    for (const [mask, pattern, scale] of PAIRS) {
      if ((w & mask) >>> 0 === pattern && rn === SP) return { kind: "sp", delta: signExtend((w >> 15) & 0x7f, 7) * scale };
    }
    if (rn === SP && (SINGLE_PRE.includes((w & 0xffe00c00) >>> 0) || SINGLE_POST.includes((w & 0xffe00c00) >>> 0))) {
      return { kind: "sp", delta: signExtend((w >> 12) & 0x1ff, 9) };
    }
    const top = (w & 0xff800000) >>> 0;
    if (top === 0xd1000000 || top === 0x91000000) {
      const imm = (w >> 10) & 0xfff;
      const amount = (w >> 22) & 1 ? imm << 12 : imm;
      const sign = top === 0xd1000000 ? -1 : 1;
      if (rd === SP && rn === SP) return { kind: "sp", delta: sign * amount };
      const base = this.constants.get(rn);
      if (rd === SP) return base === undefined ? NONE : { kind: "spSet" };
      this.set(rd, base === undefined ? undefined : base + BigInt(sign * amount));
      // adrp then add makes an address.
      if (base !== undefined) this.materialized = BigInt.asUintN(64, base + BigInt(sign * amount));
      return NONE;
    }
    if ((w & 0xffe00000) >>> 0 === 0xcb200000 && rd === SP && rn === SP) {
      const v = this.constants.get((w >> 16) & 0x1f);
      return v === undefined ? { kind: "spDynamic" } : { kind: "sp", delta: -Number(v) };
    }
    if ((w & 0x1f800000) >>> 0 === 0x12800000) {
      const sf = w >>> 31;
      const opc = (w >> 29) & 3;
      const shift = BigInt(((w >> 21) & 3) * 16);
      const imm = BigInt((w >> 5) & 0xffff) << shift;
      const width = sf ? 64 : 32;
      if (opc === 2) this.set(rd, imm);
      else if (opc === 0) this.set(rd, BigInt.asUintN(width, ~imm));
      else if (opc === 3) {
        const old = this.constants.get(rd);
        this.set(rd, old === undefined ? undefined : (old & ~(0xffffn << shift)) | imm);
      } else this.set(rd, undefined);
      return NONE;
    }
    if ((w & 0x1f000000) === 0x10000000) {
      const imm = signExtend((((w >> 5) & 0x7ffff) << 2) | ((w >> 29) & 3), 21);
      const address = w >>> 31 ? (pc & ~0xfffn) + (BigInt(imm) << 12n) : pc + BigInt(imm);
      this.set(rd, address);
      if (!(w >>> 31)) this.materialized = address;
      return NONE;
    }
    if ((w & 0xff000000) >>> 0 === 0x58000000) {
      const b = this.read(pc + BigInt(signExtend((w >> 5) & 0x7ffff, 19) * 4), 8);
      this.set(rd, b ? b.readBigUInt64LE(0) : undefined);
      if (b) this.materialized = b.readBigUInt64LE(0);
      return NONE;
    }
    if ((w & 0xfc000000) >>> 0 === 0x94000000) return { kind: "call", target: pc + BigInt(signExtend(w & 0x3ffffff, 26) * 4) };
    if ((w & 0xfc000000) >>> 0 === 0x14000000) return { kind: "jump", target: pc + BigInt(signExtend(w & 0x3ffffff, 26) * 4) };
    if ((w & 0xff000010) >>> 0 === 0x54000000 || (w & 0x7e000000) === 0x34000000) return { kind: "jump", target: pc + BigInt(signExtend((w >> 5) & 0x7ffff, 19) * 4) };
    if ((w & 0x7e000000) === 0x36000000) return { kind: "jump", target: pc + BigInt(signExtend((w >> 5) & 0x3fff, 14) * 4) };
    if ((w & 0xfffffc1f) >>> 0 === 0xd63f0000) return { kind: "call", target: this.constants.get(rn) };
    if ((w & 0xfffffc1f) >>> 0 === 0xd61f0000) return rn === LR ? { kind: "return" } : { kind: "jump", target: this.constants.get(rn) };
    if ((w & 0xfffffc1f) >>> 0 === 0xd65f0000 || w >>> 0 === 0xd69f03e0) return { kind: "return" };
    if ((w & 0xfff8ffe0) >>> 0 === 0xd518c000) {
      const base = this.constants.get(rd);
      return base === undefined ? NONE : { kind: "vectorBase", address: base };
    }
    // Loads, data processing and moves write the register in bits 4..0 (stores do not, but forgetting is safe).
    this.set(rd, undefined);
    return NONE;
  }
}
