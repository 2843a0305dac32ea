import { NONE } from "./bits.js";
import type { Decoder, Effect, Instruction, ReadMemory } from "./types.js";

/**
 * x86-64 (and the 32-bit protected-mode code a PVH or multiboot entry starts in): a length decoder for the
 * general-purpose, x87, SSE and VEX/EVEX encodings, and the effects that matter — push/pop, `sub rsp, N` (and
 * `add rsp, -N`, `lea rsp, [rsp - N]`, `and rsp, -16`), `sub rsp, rax` after `mov eax, N`, `call`/`jmp` (rel8 and
 * rel32, conditional ones too: LLVM makes conditional tail calls on x86), through a register or memory, and `ret`.
 * A far jump from 32-bit code enters long mode: what follows is decoded as 64-bit code.
 */
const RSP = 4;
/** How many instructions a `mov reg, imm` is trusted for. */
const CONSTANT_LIFETIME = 4;

/** One-byte opcodes that take a ModRM byte. */
const MODRM_1 = new Set<number>();
/** Two-byte (0F xx) opcodes that take none. */
const NO_MODRM_0F = new Set<number>([0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0e, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x77, 0xa0, 0xa1, 0xa2, 0xa8, 0xa9, 0xaa]);
/** Two-byte opcodes followed by an 8-bit immediate. */
const IMM8_0F = new Set<number>([0x0f, 0x70, 0x71, 0x72, 0x73, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6]);
{
  for (let op = 0; op < 0x40; op++) if ((op & 7) < 4) MODRM_1.add(op);
  for (const op of [0x62, 0x63, 0x69, 0x6b, 0xc0, 0xc1, 0xc4, 0xc5, 0xc6, 0xc7, 0xd0, 0xd1, 0xd2, 0xd3, 0xf6, 0xf7, 0xfe, 0xff]) MODRM_1.add(op);
  for (let op = 0x80; op <= 0x8f; op++) MODRM_1.add(op);
  for (let op = 0xd8; op <= 0xdf; op++) MODRM_1.add(op);
}

interface Prefixes {
  operand16: boolean;
  address32: boolean;
  rex: number;
  length: number;
}

export class X86Decoder implements Decoder {
  readonly returnAddressBytes = 8;
  readonly pushesCallArguments = true;
  private long = true;
  private step = 0;
  private readonly constants = new Map<number, { value: bigint; step: number }>();

  constructor(private readonly read: ReadMemory) {}

  start(mode?: string): void {
    this.long = mode !== "32";
    this.constants.clear();
  }

  decode(bytes: Buffer, at: number, pc: bigint): Instruction | undefined {
    this.step++;
    const p = this.prefixes(bytes, at);
    if (!p) return undefined;
    let i = at + p.length;
    if (i >= bytes.length) return undefined;
    const op = bytes[i++]!;
    if (op === 0x0f) return this.twoByte(bytes, at, i, p, pc);
    if (this.long && (op === 0xc4 || op === 0xc5 || op === 0x62)) return this.vex(bytes, at, i, op);
    if (!this.long && (op === 0xc4 || op === 0xc5 || op === 0x62) && i < bytes.length && bytes[i]! >> 6 === 3) return this.vex(bytes, at, i, op);
    let modrm: number | undefined;
    if (MODRM_1.has(op)) {
      const m = this.modrmLength(bytes, i, p);
      if (m === undefined) return undefined;
      modrm = bytes[i];
      i += m;
    }
    const imm = this.immediateLength(op, modrm, p);
    if (imm === undefined) return undefined;
    const end = i + imm;
    if (end > bytes.length) return undefined;
    const length = end - at;
    return { length, ...this.effect(bytes, op, modrm, i, imm, p, pc + BigInt(length)) };
  }

  private prefixes(bytes: Buffer, at: number): Prefixes | undefined {
    const p: Prefixes = { operand16: false, address32: false, rex: 0, length: 0 };
    for (let i = at; i < bytes.length && i < at + 15; i++) {
      const b = bytes[i]!;
      if (b === 0x66) p.operand16 = true;
      else if (b === 0x67) p.address32 = true;
      else if (b === 0xf0 || b === 0xf2 || b === 0xf3 || b === 0x2e || b === 0x36 || b === 0x3e || b === 0x26 || b === 0x64 || b === 0x65) {
        /* lock, rep, segment: no effect on length here */
      } else if (this.long && b >= 0x40 && b <= 0x4f) {
        p.rex = b;
        p.length = i + 1 - at;
        // REX must come last; another prefix after it voids it, which compilers never emit.
        return p;
      } else {
        p.length = i - at;
        return p;
      }
    }
    return undefined;
  }

  /** The ModRM byte, SIB and displacement: how many bytes they take. */
  private modrmLength(bytes: Buffer, at: number, p: Prefixes): number | undefined {
    if (at >= bytes.length) return undefined;
    const m = bytes[at]!;
    const mod = m >> 6;
    const rm = m & 7;
    if (mod === 3) return 1;
    if (!this.long && p.address32) return 1 + (mod === 1 ? 1 : mod === 2 || (mod === 0 && rm === 6) ? 2 : 0);
    let n = 1;
    if (rm === 4) {
      if (at + 1 >= bytes.length) return undefined;
      n++;
      if (mod === 0 && (bytes[at + 1]! & 7) === 5) n += 4;
    }
    if (mod === 1) n += 1;
    else if (mod === 2 || (mod === 0 && rm === 5)) n += 4;
    return n;
  }

  private immediateLength(op: number, modrm: number | undefined, p: Prefixes): number | undefined {
    const z = p.operand16 ? 2 : 4;
    const reg = modrm === undefined ? 0 : (modrm >> 3) & 7;
    if (op < 0x40 && (op & 7) === 4) return 1;
    if (op < 0x40 && (op & 7) === 5) return z;
    if (op >= 0x70 && op <= 0x7f) return 1;
    if (op >= 0xb0 && op <= 0xb7) return 1;
    if (op >= 0xb8 && op <= 0xbf) return p.rex & 8 ? 8 : z;
    if (op >= 0xe0 && op <= 0xe7) return 1;
    if (op >= 0xa0 && op <= 0xa3) return this.long ? (p.address32 ? 4 : 8) : 4;
    switch (op) {
      case 0x68:
      case 0x69:
      case 0x81:
      case 0xa9:
      case 0xc7:
      case 0xe8:
      case 0xe9:
        return z;
      case 0x6a:
      case 0x6b:
      case 0x80:
      case 0x82:
      case 0x83:
      case 0xa8:
      case 0xc0:
      case 0xc1:
      case 0xc6:
      case 0xcd:
      case 0xeb:
        return 1;
      case 0xc2:
      case 0xca:
        return 2;
      case 0xc8:
        return 3;
      case 0x9a:
      case 0xea:
        return this.long ? undefined : 6;
      case 0xf6:
        return reg < 2 ? 1 : 0;
      case 0xf7:
        return reg < 2 ? z : 0;
      default:
        return 0;
    }
  }

  private twoByte(bytes: Buffer, at: number, i: number, p: Prefixes, pc: bigint): Instruction | undefined {
    if (i >= bytes.length) return undefined;
    const op = bytes[i++]!;
    if (op >= 0x80 && op <= 0x8f) {
      if (i + 4 > bytes.length) return undefined;
      const end = i + 4;
      return { length: end - at, effect: { kind: "jump", target: pc + BigInt(end - at) + BigInt(bytes.readInt32LE(i)) }, conditional: true };
    }
    if (op === 0x38 || op === 0x3a) {
      i++;
      const m = this.modrmLength(bytes, i, p);
      if (m === undefined) return undefined;
      const end = i + m + (op === 0x3a ? 1 : 0);
      return end > bytes.length ? undefined : { length: end - at, effect: NONE };
    }
    let end = i;
    if (!NO_MODRM_0F.has(op) && !(op >= 0xc8 && op <= 0xcf)) {
      const m = this.modrmLength(bytes, i, p);
      if (m === undefined) return undefined;
      end += m;
    }
    if (IMM8_0F.has(op)) end++;
    return end > bytes.length ? undefined : { length: end - at, effect: NONE };
  }

  /** VEX (C4/C5) and EVEX (62): the map is in the prefix; ModRM always follows, an imm8 on map 3. */
  private vex(bytes: Buffer, at: number, i: number, op: number): Instruction | undefined {
    const prefixBytes = op === 0xc5 ? 1 : op === 0xc4 ? 2 : 3;
    if (i + prefixBytes >= bytes.length) return undefined;
    const map = op === 0xc5 ? 1 : bytes[i]! & (op === 0x62 ? 3 : 0x1f);
    i += prefixBytes + 1;
    const m = this.modrmLength(bytes, i, { operand16: false, address32: false, rex: 0, length: 0 });
    if (m === undefined) return undefined;
    const end = i + m + (map === 3 ? 1 : 0);
    return end > bytes.length ? undefined : { length: end - at, effect: NONE };
  }

  private setConstant(reg: number, value: bigint | undefined): void {
    if (value === undefined) this.constants.delete(reg);
    else this.constants.set(reg, { value, step: this.step });
  }

  private constant(reg: number): bigint | undefined {
    const c = this.constants.get(reg);
    return c && this.step - c.step <= CONSTANT_LIFETIME ? c.value : undefined;
  }

  // Long on purpose: one case per one-byte opcode that touches the stack or control flow.
  private effect(bytes: Buffer, op: number, modrm: number | undefined, immAt: number, immLength: number, p: Prefixes, next: bigint): { effect: Effect; conditional?: boolean; address?: bigint } {
    const slot = this.long ? 8 : 4;
    const wide = this.long ? (p.rex & 8) !== 0 : !p.operand16;
    const imm = (): number => (immLength === 1 ? bytes.readInt8(immAt) : immLength === 2 ? bytes.readInt16LE(immAt) : bytes.readInt32LE(immAt));
    const reg = modrm === undefined ? -1 : ((modrm >> 3) & 7) | (p.rex & 4 ? 8 : 0);
    const rm = modrm === undefined ? -1 : (modrm & 7) | (p.rex & 1 ? 8 : 0);
    const direct = modrm !== undefined && modrm >> 6 === 3;
    if (op >= 0x50 && op <= 0x57) return { effect: { kind: "sp", delta: -slot } };
    if (op >= 0x58 && op <= 0x5f) return { effect: { kind: "sp", delta: slot } };
    if (op >= 0x70 && op <= 0x7f) return { effect: { kind: "jump", target: next + BigInt(imm()) }, conditional: true };
    if (op >= 0xe0 && op <= 0xe3) return { effect: { kind: "jump", target: next + BigInt(imm()) }, conditional: true };
    if (op >= 0xb8 && op <= 0xbf) {
      const r = (op & 7) | (p.rex & 1 ? 8 : 0);
      if (r === RSP) return { effect: { kind: "spSet" } };
      const value = immLength === 8 ? bytes.readBigUInt64LE(immAt) : immLength === 4 ? BigInt(bytes.readUInt32LE(immAt)) : BigInt(bytes.readUInt16LE(immAt));
      this.setConstant(r, value);
      return { effect: NONE, address: value };
    }
    switch (op) {
      case 0x68:
        return { effect: { kind: "sp", delta: -slot }, address: BigInt.asUintN(this.long ? 64 : 32, BigInt(imm())) };
      case 0x6a:
      case 0x9c:
        return { effect: { kind: "sp", delta: -slot } };
      case 0x9d:
        return { effect: { kind: "sp", delta: slot } };
      case 0x8f:
        return { effect: reg === 0 ? { kind: "sp", delta: slot } : NONE };
      case 0x81:
      case 0x83:
        if (direct && rm === RSP && wide) {
          if (reg === 5) return { effect: { kind: "sp", delta: -imm() } };
          if (reg === 0) return { effect: { kind: "sp", delta: imm() } };
          // and rsp, -16: realigning can take up to 15 bytes more.
          if (reg === 4 && imm() < 0) return { effect: { kind: "sp", delta: imm() + 1 } };
        }
        return { effect: NONE };
      case 0x29:
      case 0x01:
        if (direct && rm === RSP && wide) return { effect: this.byRegister(reg, op === 0x29 ? -1 : 1) };
        return { effect: NONE };
      case 0x2b:
      case 0x03:
        if (direct && reg === RSP && wide) return { effect: this.byRegister(rm, op === 0x2b ? -1 : 1) };
        return { effect: NONE };
      case 0x8d:
        // lea reg, [rip + disp32]: an address in the program.
        if (this.long && modrm !== undefined && modrm >> 6 === 0 && (modrm & 7) === 5) return { effect: NONE, address: next + BigInt(bytes.readInt32LE(immAt - 4)) };
        if (reg === RSP && modrm !== undefined && (modrm & 7) === 4 && modrm >> 6 !== 3 && bytes[immAt - (modrm >> 6 === 1 ? 2 : 5)] === 0x24) {
          const disp = modrm >> 6 === 1 ? bytes.readInt8(immAt - 1) : modrm >> 6 === 2 ? bytes.readInt32LE(immAt - 4) : 0;
          return { effect: { kind: "sp", delta: disp } };
        }
        return { effect: NONE };
      case 0x89:
        return { effect: direct && rm === RSP && this.constant(reg) !== undefined ? { kind: "spSet" } : NONE };
      case 0xc7:
        if (direct && rm === RSP) return { effect: { kind: "spSet" } };
        if (direct && reg === 0) this.setConstant(rm, BigInt(imm()));
        // `mov qword ptr [rdx + 8], imm32`: how a static build stores a formatter's address into fmt::Arguments.
        return { effect: NONE, ...(immLength === 4 ? { address: BigInt.asUintN(this.long ? 64 : 32, BigInt(imm())) } : {}) };
      case 0xe8:
        return { effect: { kind: "call", target: BigInt.asUintN(this.long ? 64 : 32, next + BigInt(imm())) } };
      case 0xe9:
      case 0xeb:
        return { effect: { kind: "jump", target: BigInt.asUintN(this.long ? 64 : 32, next + BigInt(imm())) } };
      case 0xea:
        // A far jump from protected mode into a 64-bit code segment: long mode from here on.
        this.long = true;
        return { effect: { kind: "jump", target: BigInt(bytes.readUInt32LE(immAt)) } };
      case 0xc2:
      case 0xc3:
      case 0xca:
      case 0xcb:
      case 0xcf:
        return { effect: { kind: "return" } };
      case 0xff: {
        if (reg === 6) return { effect: { kind: "sp", delta: -slot } };
        // call/jmp [rip + disp32]: through a pointer the file holds (a GOT slot), taken as the call it makes.
        const slotAddress = this.long && modrm !== undefined && modrm >> 6 === 0 && (modrm & 7) === 5 ? next + BigInt(bytes.readInt32LE(immAt - 4)) : undefined;
        const pointer = slotAddress === undefined ? undefined : this.read(slotAddress, 8)?.readBigUInt64LE(0);
        const target = pointer === 0n ? undefined : pointer;
        if (reg === 2) return { effect: { kind: "call", target } };
        if (reg === 4) return { effect: { kind: "jump", target } };
        if (reg === 3 || reg === 5) return { effect: { kind: reg === 3 ? "call" : "jump" } };
        return { effect: NONE };
      }
      default:
        return { effect: NONE };
    }
  }

  private byRegister(reg: number, sign: 1 | -1): Effect {
    const c = this.constant(reg);
    return c === undefined ? { kind: "spDynamic" } : { kind: "sp", delta: sign * Number(BigInt.asIntN(32, c)) };
  }
}
