import { AddressNotingDecoder, NONE, signExtend } from "./bits.js";
import type { Effect, Instruction } from "./types.js";

/**
 * LoongArch64: `addi.d $sp, $sp, -N`, `sub.d $sp, $sp, $t0` after `lu12i.w`/`ori` for large frames, `bl`/`b`,
 * `jirl` (a return through $ra, a call or tail call through a register or after `pcaddu18i`), and `csrwr` to EENTRY
 * (the exception entry). Constants are kept until the register is written.
 */
const RA = 1;
const SP = 3;
const CSR_EENTRY = 0xc;

export class LoongArchDecoder extends AddressNotingDecoder {
  readonly returnAddressBytes = 0;
  readonly pushesCallArguments = false;
  private readonly constants = new Map<number, bigint>();
  /** $sp was just loaded from pcalau12i/lu12i.w (`la.local $sp, _stack_top` is that, then addi.d). */
  private spAbsolute = false;
  private wasAbsolute = false;

  start(): void {
    this.constants.clear();
    this.spAbsolute = false;
  }

  protected decodeOne(bytes: Buffer, at: number, pc: bigint): Instruction | undefined {
    if (at + 4 > bytes.length) return undefined;
    const w = bytes.readUInt32LE(at);
    const op6 = w >>> 26;
    this.wasAbsolute = this.spAbsolute;
    this.spAbsolute = false;
    return { length: 4, effect: this.instruction(w, pc), conditional: (op6 >= 0x10 && op6 <= 0x12) || (op6 >= 0x16 && op6 <= 0x1b) };
  }

  private set(reg: number, value: bigint | undefined): void {
    if (reg === 0) return;
    if (value === undefined) this.constants.delete(reg);
    else this.constants.set(reg, BigInt.asUintN(64, value));
  }

  private value(reg: number): bigint | undefined {
    return reg === 0 ? 0n : this.constants.get(reg);
  }

  // Long on purpose: one case per LoongArch encoding that matters.
  private instruction(w: number, pc: bigint): Effect {
    const rd = w & 0x1f;
    const rj = (w >> 5) & 0x1f;
    const rk = (w >> 10) & 0x1f;
    const si12 = BigInt(signExtend((w >> 10) & 0xfff, 12));
    const si20 = signExtend((w >> 5) & 0xfffff, 20);
    const op10 = w >>> 22;
    const op7 = w >>> 25;
    const op6 = w >>> 26;
    const op17 = w >>> 15;
    if (op10 === 0x00b || op10 === 0x00a) {
      if (rd === SP && rj === SP && this.wasAbsolute) return this.load(SP, 0n);
      if (rd === SP && rj === SP) return { kind: "sp", delta: Number(si12) };
      const base = this.value(rj);
      if (rd === SP) return base === undefined ? NONE : { kind: "spSet" };
      this.set(rd, base === undefined ? undefined : op10 === 0x00a ? BigInt.asIntN(32, base + si12) : base + si12);
      // `la.local`: pcalau12i then addi.d makes an address; pcaddu18i then jirl is a call, which takes none.
      if (base !== undefined && rj !== 0) this.materialized = BigInt.asUintN(64, base + si12);
      return NONE;
    }
    if (op10 === 0x00e) {
      const base = this.value(rj);
      this.set(rd, base === undefined ? undefined : base | BigInt((w >> 10) & 0xfff));
      return NONE;
    }
    if (op7 === 0x0a) return this.load(rd, BigInt(si20 << 12));
    if (op7 === 0x0e) return this.load(rd, pc + (BigInt(si20) << 12n));
    if (op7 === 0x0d) return this.load(rd, (pc & ~0xfffn) + (BigInt(si20) << 12n));
    if (op7 === 0x0f) return this.load(rd, pc + (BigInt(si20) << 18n));
    if (op7 === 0x0b || op10 === 0x00c) {
      const old = this.value(rd);
      if (old === undefined) this.set(rd, undefined);
      else if (op7 === 0x0b) this.set(rd, (old & 0xffffffffn) | (BigInt.asUintN(20, BigInt(si20)) << 32n) | (si20 < 0 ? 0xfff00000_00000000n : 0n));
      else this.set(rd, (old & 0xfffffffffffffn) | (BigInt((w >> 10) & 0xfff) << 52n));
      return NONE;
    }
    if ((op17 === 0x23 || op17 === 0x21) && rd === SP && rj === SP) {
      const v = this.value(rk);
      return v === undefined ? { kind: "spDynamic" } : { kind: "sp", delta: (op17 === 0x23 ? -1 : 1) * Number(BigInt.asIntN(64, v)) };
    }
    const offs26 = BigInt(signExtend(((w & 0x3ff) << 16) | ((w >> 10) & 0xffff), 26) * 4);
    if (op6 === 0x15) return { kind: "call", target: pc + offs26 };
    if (op6 === 0x14) return { kind: "jump", target: pc + offs26 };
    if (op6 === 0x13) {
      const offs = BigInt(signExtend((w >> 10) & 0xffff, 16) * 4);
      if (rd === 0 && rj === RA && offs === 0n) return { kind: "return" };
      const base = this.value(rj);
      const target = base === undefined ? undefined : BigInt.asUintN(64, base + offs);
      this.set(rd, undefined);
      return rd === 0 ? { kind: "jump", target } : { kind: "call", target };
    }
    if (op6 >= 0x16 && op6 <= 0x1b) return { kind: "jump", target: pc + BigInt(signExtend((w >> 10) & 0xffff, 16) * 4) };
    if (op6 === 0x10 || op6 === 0x11) return { kind: "jump", target: pc + BigInt(signExtend(((w & 0x1f) << 16) | ((w >> 10) & 0xffff), 21) * 4) };
    if (w >>> 24 === 0x04 && rj === 1 && ((w >> 10) & 0x3fff) === CSR_EENTRY) {
      const base = this.value(rd);
      return base === undefined ? NONE : { kind: "vectorBase", address: base };
    }
    // Stores and branches name no destination in bits 4..0 the way the rest do; forgetting is safe either way.
    this.set(rd, undefined);
    return NONE;
  }

  private load(rd: number, value: bigint): Effect {
    if (rd === SP) {
      this.spAbsolute = true;
      return { kind: "spSet" };
    }
    this.set(rd, value);
    return NONE;
  }
}
