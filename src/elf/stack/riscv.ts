import { AddressNotingDecoder, NONE, signExtend } from "./bits.js";
import type { Effect, Instruction } from "./types.js";

/**
 * RISC-V, RV32 and RV64 with the compressed instructions: `addi sp, sp, -N` and its compressed forms, `sub sp, sp,
 * t0` after `lui`/`addi` for large frames, `jal`/`auipc`+`jalr` calls and tail calls, `c.jalr`/`c.jr` through a
 * register, and `csrw mtvec`/`stvec` (the trap vector). Register constants from `lui`, `auipc`, `addi` and `c.li` are
 * kept until the register is written again.
 */
const RA = 1;
const SP = 2;
const T0 = 5;
const CSR_MTVEC = 0x305;
const CSR_STVEC = 0x105;

export class RiscvDecoder extends AddressNotingDecoder {
  readonly returnAddressBytes = 0;
  readonly pushesCallArguments = false;
  private readonly constants = new Map<number, bigint>();
  /** sp was just loaded from `lui`/`auipc` (`la sp, _stack_top` is auipc then addi). */
  private spAbsolute = false;

  constructor(private readonly xlen: 32 | 64) {
    super();
  }

  start(): void {
    this.constants.clear();
    this.spAbsolute = false;
  }

  protected decodeOne(bytes: Buffer, at: number, pc: bigint): Instruction | undefined {
    if (at + 2 > bytes.length) return undefined;
    const low = bytes.readUInt16LE(at);
    const wasAbsolute = this.spAbsolute;
    this.spAbsolute = false;
    if ((low & 3) !== 3) return this.compressed(low, pc, wasAbsolute);
    if (at + 4 > bytes.length) return undefined;
    return this.full(bytes.readUInt32LE(at), pc, wasAbsolute);
  }

  private wrap(value: bigint): bigint {
    return this.xlen === 32 ? BigInt.asUintN(32, value) : BigInt.asUintN(64, value);
  }

  private set(reg: number, value: bigint | undefined): void {
    if (reg === 0) return;
    if (value === undefined) this.constants.delete(reg);
    else this.constants.set(reg, this.wrap(value));
  }

  private value(reg: number): bigint | undefined {
    return reg === 0 ? 0n : this.constants.get(reg);
  }

  /** jalr/c.jr/c.jalr: a return, a call or jump to a known address, or one through a register. */
  private jumpThrough(rs: number, offset: number, link: boolean, pc: bigint): Effect {
    if (!link && rs === RA && offset === 0) return { kind: "return" };
    const base = this.value(rs);
    const target = base === undefined ? undefined : this.wrap(base + BigInt(offset)) & ~1n;
    void pc;
    return link ? { kind: "call", target } : { kind: "jump", target };
  }

  private spAdd(rd: number, rs: number, amount: bigint | undefined, wasAbsolute: boolean): Effect | undefined {
    if (rd !== SP) return undefined;
    if (rs !== SP) return this.value(rs) === undefined ? NONE : { kind: "spSet" };
    if (wasAbsolute) {
      this.spAbsolute = true;
      return { kind: "spSet" };
    }
    return amount === undefined ? { kind: "spDynamic" } : { kind: "sp", delta: Number(BigInt.asIntN(32, amount)) };
  }

  // Long on purpose: one case per RVC encoding that matters (quadrant, funct3), as in the ISA manual's table.
  private compressed(h: number, pc: bigint, wasAbsolute: boolean): Instruction {
    const quadrant = h & 3;
    const funct3 = h >> 13;
    const rd = (h >> 7) & 0x1f;
    const rs2 = (h >> 2) & 0x1f;
    const imm6 = signExtend((((h >> 12) & 1) << 5) | rs2, 6);
    let effect: Effect = NONE;
    if (quadrant === 1) {
      if (funct3 === 0) {
        effect = this.spAdd(rd, rd, BigInt(imm6), wasAbsolute) ?? NONE;
        if (rd !== SP) this.set(rd, this.value(rd) === undefined ? undefined : this.value(rd)! + BigInt(imm6));
      } else if (funct3 === 3 && rd === SP) {
        const imm = signExtend((((h >> 12) & 1) << 9) | (((h >> 6) & 1) << 4) | (((h >> 5) & 1) << 6) | (((h >> 3) & 3) << 7) | (((h >> 2) & 1) << 5), 10);
        effect = { kind: "sp", delta: imm };
      } else if (funct3 === 3) this.set(rd, BigInt(imm6 << 12));
      else if (funct3 === 2) this.set(rd, BigInt(imm6));
      else if (funct3 === 1 && this.xlen === 32) effect = { kind: "call", target: pc + BigInt(this.cjOffset(h)) };
      else if (funct3 === 1) this.set(rd, undefined);
      else if (funct3 === 5) effect = { kind: "jump", target: pc + BigInt(this.cjOffset(h)) };
      else if (funct3 >= 6) {
        const off = signExtend((((h >> 12) & 1) << 8) | (((h >> 10) & 3) << 3) | (((h >> 5) & 3) << 6) | (((h >> 3) & 3) << 1) | (((h >> 2) & 1) << 5), 9);
        return { length: 2, effect: { kind: "jump", target: pc + BigInt(off) }, conditional: true };
      } else if (funct3 === 4) this.set(8 + ((h >> 7) & 7), undefined);
    } else if (quadrant === 2 && funct3 === 4) {
      const big = (h >> 12) & 1;
      if (rs2 === 0 && rd !== 0) effect = this.jumpThrough(rd, 0, big === 1, pc);
      else if (big === 0) {
        effect = this.spAdd(rd, rs2, undefined, false) ?? NONE;
        if (rd !== SP) this.set(rd, this.value(rs2));
      } else if (rd !== 0) {
        effect = this.spAdd(rd, SP, this.value(rs2), wasAbsolute) ?? NONE;
        if (rd !== SP) this.set(rd, undefined);
      }
    } else if (quadrant === 2 && (funct3 === 0 || funct3 === 2 || funct3 === 3)) this.set(rd, undefined);
    else if (quadrant === 0 && funct3 < 4) this.set(8 + ((h >> 2) & 7), undefined);
    return { length: 2, effect };
  }

  private cjOffset(h: number): number {
    const bit = (n: number) => (h >> n) & 1;
    return signExtend((bit(12) << 11) | (bit(11) << 4) | (((h >> 9) & 3) << 8) | (bit(8) << 10) | (bit(7) << 6) | (bit(6) << 7) | (((h >> 3) & 7) << 1) | (bit(2) << 5), 12);
  }

  // Long on purpose: one case per base-ISA opcode that matters.
  private full(w: number, pc: bigint, wasAbsolute: boolean): Instruction {
    const opcode = w & 0x7f;
    const rd = (w >> 7) & 0x1f;
    const rs1 = (w >> 15) & 0x1f;
    const rs2 = (w >> 20) & 0x1f;
    const funct3 = (w >> 12) & 7;
    const immI = w >> 20;
    let effect: Effect = NONE;
    switch (opcode) {
      case 0x13:
        if (funct3 === 0) {
          effect = this.spAdd(rd, rs1, BigInt(immI), wasAbsolute) ?? NONE;
          const base = this.value(rs1);
          if (rd !== SP) this.set(rd, base === undefined ? undefined : base + BigInt(immI));
          // `la`: auipc (or lui) then addi makes an address; auipc then jalr is a call, which takes none.
          if (rd !== SP && base !== undefined && rs1 !== 0) this.materialized = this.wrap(base + BigInt(immI));
        } else this.set(rd, undefined);
        break;
      case 0x1b: {
        const base = this.value(rs1);
        this.set(rd, funct3 === 0 && base !== undefined ? BigInt.asIntN(32, base + BigInt(immI)) : undefined);
        break;
      }
      case 0x37:
      case 0x17: {
        const value = BigInt(w & 0xfffff000 | 0) + (opcode === 0x17 ? pc : 0n);
        if (rd === SP) {
          this.spAbsolute = true;
          effect = { kind: "spSet" };
        } else this.set(rd, value);
        break;
      }
      case 0x33:
        if (rd === SP && rs1 === SP && (w >>> 25 === 0x20 || w >>> 25 === 0) && funct3 === 0) {
          const v = this.value(rs2);
          effect = this.spAdd(SP, SP, v === undefined ? undefined : w >>> 25 === 0x20 ? -v : v, false) ?? NONE;
        } else this.set(rd, undefined);
        break;
      case 0x6f: {
        const bit = (n: number) => (w >>> n) & 1;
        const off = signExtend((bit(31) << 20) | (((w >> 12) & 0xff) << 12) | (bit(20) << 11) | (((w >> 21) & 0x3ff) << 1), 21);
        const target = pc + BigInt(off);
        effect = rd === RA || rd === T0 ? { kind: "call", target } : rd === 0 ? { kind: "jump", target } : NONE;
        this.set(rd, undefined);
        break;
      }
      case 0x67:
        effect = this.jumpThrough(rs1, immI, rd !== 0, pc);
        this.set(rd, undefined);
        break;
      case 0x63: {
        const bit = (n: number) => (w >>> n) & 1;
        const off = signExtend((bit(31) << 12) | (bit(7) << 11) | (((w >> 25) & 0x3f) << 5) | (((w >> 8) & 0xf) << 1), 13);
        return { length: 4, effect: { kind: "jump", target: pc + BigInt(off) }, conditional: true };
      }
      case 0x73: {
        const csr = w >>> 20;
        const base = this.value(rs1);
        if (funct3 === 1 && (csr === CSR_MTVEC || csr === CSR_STVEC) && base !== undefined) effect = { kind: "vectorBase", address: base & ~3n };
        this.set(rd, undefined);
        break;
      }
      case 0x23:
      case 0x27:
        break;
      default:
        this.set(rd, undefined);
    }
    return { length: 4, effect };
  }
}
