import { AddressNotingDecoder, NONE, signExtend } from "./bits.js";
import type { Effect, Instruction, ReadMemory } from "./types.js";

/**
 * Arm's two instruction sets as they appear in freestanding Rust: Thumb (Thumb-1 on Cortex-M0, Thumb-2 on the
 * other Cortex-M and -R) and A32 (Cortex-A in Arm state). It knows the stack's instructions (push/pop, their
 * single-register and VFP forms, `sub`/`add` sp by an immediate or by a register loaded with a constant), calls and
 * branches, and keeps the constants that `ldr rN, =imm`, `movs`, `movw`/`movt` put in registers for a few
 * instructions, which is how LLVM writes large frames and calls through a literal.
 */
const SP = 13;
const LR = 14;
const PC = 15;
/** How many instructions a register constant is trusted for: LLVM uses it right away. */
const CONSTANT_LIFETIME = 6;

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

/** ThumbExpandImm for the plain and rotated immediates of Thumb-2 data-processing instructions. */
function thumbExpandImm(imm12: number): number {
  const imm8 = imm12 & 0xff;
  if (imm12 >> 10 === 0) {
    switch ((imm12 >> 8) & 3) {
      case 0:
        return imm8;
      case 1:
        return (imm8 << 16) | imm8;
      case 2:
        return (imm8 << 24) | (imm8 << 8);
      default:
        return ((imm8 << 24) | (imm8 << 16) | (imm8 << 8) | imm8) >>> 0;
    }
  }
  const unrotated = 0x80 | (imm12 & 0x7f);
  const rot = imm12 >> 7;
  return ((unrotated >>> rot) | (unrotated << (32 - rot))) >>> 0;
}

function armExpandImm(imm12: number): number {
  const rot = (imm12 >> 8) * 2;
  const imm8 = imm12 & 0xff;
  return rot === 0 ? imm8 : ((imm8 >>> rot) | (imm8 << (32 - rot))) >>> 0;
}

export class ArmDecoder extends AddressNotingDecoder {
  readonly returnAddressBytes = 0;
  readonly pushesCallArguments = false;
  private thumb = true;
  private itLeft = 0;
  private step = 0;
  private readonly constants = new Map<number, { value: number; step: number }>();

  constructor(
    private readonly read: ReadMemory,
    private readonly little: boolean,
  ) {
    super();
  }

  start(mode?: string): void {
    this.thumb = mode !== "a";
    this.itLeft = 0;
    this.constants.clear();
  }

  protected decodeOne(bytes: Buffer, at: number, pc: bigint): Instruction | undefined {
    this.step++;
    if (this.thumb) {
      if (at + 2 > bytes.length) return undefined;
      const hw1 = this.half(bytes, at);
      const conditional = this.itLeft > 0;
      if (conditional) this.itLeft--;
      if (hw1 >> 11 >= 0x1d) {
        if (at + 4 > bytes.length) return undefined;
        return { length: 4, effect: this.thumb32(hw1, this.half(bytes, at + 2), pc), conditional };
      }
      const it = this.thumb16(hw1, pc);
      return { length: 2, effect: it.effect, conditional: conditional || it.conditional };
    }
    if (at + 4 > bytes.length) return undefined;
    const w = this.little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
    const cond = w >>> 28;
    return { length: 4, effect: this.arm(w, pc), conditional: cond !== 0xe && cond !== 0xf };
  }

  private half(bytes: Buffer, at: number): number {
    return this.little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at);
  }

  private word(address: bigint): number | undefined {
    const b = this.read(address, 4);
    return b ? (this.little ? b.readUInt32LE(0) : b.readUInt32BE(0)) : undefined;
  }

  private setConstant(reg: number, value: number | undefined): void {
    if (value === undefined) this.constants.delete(reg);
    else {
      this.constants.set(reg, { value: value >>> 0, step: this.step });
      this.materialized = BigInt(value >>> 0);
    }
  }

  private constant(reg: number): number | undefined {
    const c = this.constants.get(reg);
    return c && this.step - c.step <= CONSTANT_LIFETIME ? c.value : undefined;
  }

  /** sp += the register's value (a negative constant allocates), or an unknown amount. */
  private spByRegister(reg: number, sign: 1 | -1): Effect {
    const c = this.constant(reg);
    return c === undefined ? { kind: "spDynamic" } : { kind: "sp", delta: sign * (c | 0) };
  }

  /** A branch through a register: a return through lr, a known constant, or unknown. */
  private branchTo(reg: number, link: boolean): Effect {
    if (!link && reg === LR) return { kind: "return" };
    const c = this.constant(reg);
    const target = c === undefined ? undefined : BigInt(c & ~1);
    return link ? { kind: "call", target } : { kind: "jump", target };
  }

  // Long on purpose: one case per 16-bit Thumb encoding that matters, in the Architecture Reference Manual's order.
  private thumb16(hw: number, pc: bigint): { effect: Effect; conditional?: boolean } {
    if ((hw & 0xfe00) === 0xb400) return { effect: { kind: "sp", delta: -4 * (popcount(hw & 0xff) + ((hw >> 8) & 1)) } };
    if ((hw & 0xfe00) === 0xbc00) {
      const n = popcount(hw & 0xff) + ((hw >> 8) & 1);
      // pop {…, pc} both frees and returns: the walker sees the return, the frame is gone with it.
      return { effect: hw & 0x100 ? { kind: "return" } : { kind: "sp", delta: 4 * n } };
    }
    if ((hw & 0xff80) === 0xb080) return { effect: { kind: "sp", delta: -((hw & 0x7f) << 2) } };
    if ((hw & 0xff80) === 0xb000) return { effect: { kind: "sp", delta: (hw & 0x7f) << 2 } };
    if ((hw & 0xff00) === 0x4400) {
      const rdn = ((hw >> 4) & 8) | (hw & 7);
      const rm = (hw >> 3) & 0xf;
      if (rdn === SP) return { effect: this.spByRegister(rm, 1) };
      if (rdn === PC) return { effect: { kind: "jump" } };
      this.setConstant(rdn, undefined);
      return { effect: NONE };
    }
    if ((hw & 0xff00) === 0x4600) {
      const rd = ((hw >> 4) & 8) | (hw & 7);
      const rm = (hw >> 3) & 0xf;
      if (rd === SP) return { effect: this.constant(rm) === undefined ? NONE : { kind: "spSet" } };
      if (rd === PC) return { effect: this.branchTo(rm, false) };
      this.setConstant(rd, this.constant(rm));
      return { effect: NONE };
    }
    if ((hw & 0xff80) === 0x4700) return { effect: this.branchTo((hw >> 3) & 0xf, false) };
    if ((hw & 0xff80) === 0x4780) return { effect: this.branchTo((hw >> 3) & 0xf, true) };
    if ((hw & 0xf800) === 0x4800) {
      this.setConstant((hw >> 8) & 7, this.word(((pc + 4n) & ~3n) + BigInt((hw & 0xff) << 2)));
      return { effect: NONE };
    }
    if ((hw & 0xf800) === 0x2000) {
      this.setConstant((hw >> 8) & 7, hw & 0xff);
      return { effect: NONE };
    }
    if ((hw & 0xf800) === 0xe000) return { effect: { kind: "jump", target: pc + 4n + BigInt(signExtend(hw & 0x7ff, 11) << 1) } };
    if ((hw & 0xf000) === 0xd000 && (hw & 0x0e00) !== 0x0e00) {
      return { effect: { kind: "jump", target: pc + 4n + BigInt(signExtend(hw & 0xff, 8) << 1) }, conditional: true };
    }
    if ((hw & 0xf500) === 0xb100) return { effect: { kind: "jump", target: pc + 4n + BigInt((((hw >> 9) & 1) << 6) | (((hw >> 3) & 0x1f) << 1)) }, conditional: true };
    if ((hw & 0xff00) === 0xbf00 && (hw & 0xf) !== 0) {
      const mask = hw & 0xf;
      this.itLeft = 4 - Math.log2(mask & -mask);
      return { effect: NONE };
    }
    // Any other instruction writing a low register (bits 2..0 in most Thumb-1 forms) ends what was known of it.
    this.setConstant(hw & 7, undefined);
    return { effect: NONE };
  }

  // Long on purpose: one case per 32-bit Thumb-2 encoding that matters.
  private thumb32(hw1: number, hw2: number, pc: bigint): Effect {
    if ((hw1 & 0xf800) === 0xf000 && (hw2 & 0x8000) === 0x8000) {
      const s = (hw1 >> 10) & 1;
      const j1 = (hw2 >> 13) & 1;
      const j2 = (hw2 >> 11) & 1;
      const op = hw2 & 0xd000;
      if (op === 0xd000 || op === 0x9000 || op === 0xc000) {
        const i1 = ~(j1 ^ s) & 1;
        const i2 = ~(j2 ^ s) & 1;
        const offset = signExtend((s << 24) | (i1 << 23) | (i2 << 22) | ((hw1 & 0x3ff) << 12) | ((hw2 & 0x7ff) << 1), 25);
        if (op === 0x9000) return { kind: "jump", target: pc + 4n + BigInt(offset) };
        if (op === 0xd000) return { kind: "call", target: pc + 4n + BigInt(offset) };
        return { kind: "call", target: ((pc + 4n) & ~3n) + BigInt(offset) };
      }
      if (op === 0x8000 && ((hw1 >> 6) & 0xe) !== 0xe) {
        const offset = signExtend((s << 20) | (j2 << 19) | (j1 << 18) | ((hw1 & 0x3f) << 12) | ((hw2 & 0x7ff) << 1), 21);
        return { kind: "jump", target: pc + 4n + BigInt(offset) };
      }
    }
    if (hw1 === 0xe92d) return { kind: "sp", delta: -4 * popcount(hw2 & 0x5fff) };
    if (hw1 === 0xe8bd) return hw2 & 0x8000 ? { kind: "return" } : { kind: "sp", delta: 4 * popcount(hw2 & 0x5fff) };
    if (hw1 === 0xf84d && (hw2 & 0x0f00) === 0x0d00) return { kind: "sp", delta: -(hw2 & 0xff) };
    if (hw1 === 0xf85d && (hw2 & 0x0f00) === 0x0b00) return hw2 >> 12 === PC ? { kind: "return" } : { kind: "sp", delta: hw2 & 0xff };
    if ((hw1 & 0xffbf) === 0xed2d) return { kind: "sp", delta: -4 * (hw2 & 0xff) };
    if ((hw1 & 0xffbf) === 0xecbd) return { kind: "sp", delta: 4 * (hw2 & 0xff) };
    const imm12 = (((hw1 >> 10) & 1) << 11) | (((hw2 >> 12) & 7) << 8) | (hw2 & 0xff);
    const rd = (hw2 >> 8) & 0xf;
    if (rd === SP && (hw2 & 0x8000) === 0) {
      if ((hw1 & 0xfbef) === 0xf1ad) return { kind: "sp", delta: -thumbExpandImm(imm12) };
      if ((hw1 & 0xfbff) === 0xf2ad) return { kind: "sp", delta: -imm12 };
      if ((hw1 & 0xfbef) === 0xf10d) return { kind: "sp", delta: thumbExpandImm(imm12) };
      if ((hw1 & 0xfbff) === 0xf20d) return { kind: "sp", delta: imm12 };
      if (hw1 === 0xebad) return this.spByRegister(hw2 & 0xf, -1);
      if (hw1 === 0xeb0d) return this.spByRegister(hw2 & 0xf, 1);
    }
    if ((hw1 & 0xfbf0) === 0xf240 && (hw2 & 0x8000) === 0) {
      this.setConstant(rd, ((hw1 & 0xf) << 12) | imm12);
      return NONE;
    }
    if ((hw1 & 0xfbf0) === 0xf2c0 && (hw2 & 0x8000) === 0) {
      const low = this.constant(rd);
      this.setConstant(rd, low === undefined ? undefined : (low & 0xffff) | ((((hw1 & 0xf) << 12) | imm12) << 16));
      return NONE;
    }
    if ((hw1 & 0xff7f) === 0xf85f) {
      const offset = hw2 & 0xfff;
      const base = (pc + 4n) & ~3n;
      const rt = hw2 >> 12;
      if (rt === PC) return { kind: "jump" };
      this.setConstant(rt, this.word(hw1 & 0x80 ? base + BigInt(offset) : base - BigInt(offset)));
      return NONE;
    }
    // tbb/tbh: a jump table (its offsets follow as data).
    if ((hw1 & 0xfff0) === 0xe8d0 && (hw2 & 0xffe0) === 0xf000) return { kind: "jump" };
    // msr msp/psp: boot code setting a stack.
    if ((hw1 & 0xfff0) === 0xf380 && (hw2 & 0xff00) === 0x8800 && ((hw2 & 0xff) === 8 || (hw2 & 0xff) === 9)) return { kind: "spSet" };
    if ((hw1 & 0xfe00) === 0xea00 || (hw1 & 0xfa00) === 0xf000 || (hw1 & 0xfa00) === 0xf200) this.setConstant(rd, undefined);
    if ((hw1 & 0xfe00) === 0xf800) this.setConstant(hw2 >> 12, undefined);
    return NONE;
  }

  // Long on purpose: one case per A32 encoding that matters.
  private arm(w: number, pc: bigint): Effect {
    const rd = (w >> 12) & 0xf;
    if ((w & 0x0fff0000) === 0x092d0000) return { kind: "sp", delta: -4 * popcount(w & 0xffff) };
    if ((w & 0x0fff0fff) === 0x052d0004) return { kind: "sp", delta: -4 };
    if ((w & 0x0fff0000) === 0x08bd0000) return w & 0x8000 ? { kind: "return" } : { kind: "sp", delta: 4 * popcount(w & 0xffff) };
    if ((w & 0x0fff0fff) === 0x049d0004) return rd === PC ? { kind: "return" } : { kind: "sp", delta: 4 };
    if ((w & 0x0ffff000) === 0x024dd000) return { kind: "sp", delta: -armExpandImm(w & 0xfff) };
    if ((w & 0x0ffff000) === 0x028dd000) return { kind: "sp", delta: armExpandImm(w & 0xfff) };
    if ((w & 0x0ffffff0) === 0x004dd000) return this.spByRegister(w & 0xf, -1);
    if ((w & 0x0ffffff0) === 0x008dd000) return this.spByRegister(w & 0xf, 1);
    if ((w & 0x0fbf0e00) === 0x0d2d0a00) return { kind: "sp", delta: -4 * (w & 0xff) };
    if ((w & 0x0fbf0e00) === 0x0cbd0a00) return { kind: "sp", delta: 4 * (w & 0xff) };
    if ((w & 0xfe000000) === 0xfa000000) return { kind: "call", target: pc + 8n + BigInt((signExtend(w & 0xffffff, 24) << 2) | (((w >> 24) & 1) << 1)) };
    if ((w & 0x0f000000) === 0x0b000000) return { kind: "call", target: pc + 8n + BigInt(signExtend(w & 0xffffff, 24) << 2) };
    if ((w & 0x0f000000) === 0x0a000000) return { kind: "jump", target: pc + 8n + BigInt(signExtend(w & 0xffffff, 24) << 2) };
    if ((w & 0x0ffffff0) === 0x012fff10) return this.branchTo(w & 0xf, false);
    if ((w & 0x0ffffff0) === 0x012fff30) return this.branchTo(w & 0xf, true);
    if ((w & 0x0fffffff) === 0x01a0f00e) return { kind: "return" };
    if ((w & 0x0ff00000) === 0x03000000) {
      this.setConstant(rd, ((w >> 4) & 0xf000) | (w & 0xfff));
      return NONE;
    }
    if ((w & 0x0ff00000) === 0x03400000) {
      const low = this.constant(rd);
      this.setConstant(rd, low === undefined ? undefined : (low & 0xffff) | ((((w >> 4) & 0xf000) | (w & 0xfff)) << 16));
      return NONE;
    }
    if ((w & 0x0f7f0000) === 0x051f0000) {
      if (rd === SP) return { kind: "spSet" };
      if (rd === PC) return { kind: "jump" };
      const offset = BigInt(w & 0xfff);
      this.setConstant(rd, this.word(w & 0x00800000 ? pc + 8n + offset : pc + 8n - offset));
      return NONE;
    }
    // mcr p15, 0, rt, c12, c0, 0: VBAR, the exception vector table of ARMv7-A.
    if ((w & 0x0fff0fff) === 0x0e0c0f10) {
      const base = this.constant(rd);
      return base === undefined ? NONE : { kind: "vectorBase", address: BigInt(base) };
    }
    if ((w & 0x0ffffff0) === 0x01a0d000) return this.constant(w & 0xf) === undefined ? NONE : { kind: "spSet" };
    // ldr pc and data processing into pc (`add pc, pc, r0, lsl #2`): jump tables or jumps we cannot follow.
    // (Not in the unconditional space, cond 0xf: `isb`, `pld`; not the hints and msr of 0x0320f000, nor multiplies.)
    const cond = w >>> 28;
    if (cond !== 0xf && rd === PC && (w & 0x0c000000) === 0x04000000 && (w & 0x00100000) !== 0) return { kind: "jump" };
    if (cond !== 0xf && rd === PC && (w & 0x0c000000) === 0 && (w & 0x01900000) !== 0x01000000 && (w & 0x02000090) !== 0x00000090) return { kind: "jump" };
    if ((w & 0x0c000000) === 0x00000000 || (w & 0x0c100000) === 0x04100000) this.setConstant(rd, undefined);
    return NONE;
  }
}
