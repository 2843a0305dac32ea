import type { Decoder, Effect, Instruction } from "./types.js";

/** What most instructions do to the stack bound: nothing. */
export const NONE: Effect = { kind: "none" };

/** The low `bits` bits of `value` as a two's-complement number (an instruction's signed immediate). */
export function signExtend(value: number, bits: number): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

/**
 * A decoder that notes the address an instruction forms (`adrp`+`add`, `auipc`+`addi`, a literal), for the
 * functions whose address the program takes: `decodeOne` sets `materialized`, `decode` attaches it.
 */
export abstract class AddressNotingDecoder implements Decoder {
  abstract readonly returnAddressBytes: number;
  abstract readonly pushesCallArguments: boolean;
  protected materialized?: bigint;

  abstract start(mode?: string): void;
  protected abstract decodeOne(bytes: Buffer, at: number, pc: bigint): Instruction | undefined;

  decode(bytes: Buffer, at: number, pc: bigint): Instruction | undefined {
    this.materialized = undefined;
    const insn = this.decodeOne(bytes, at, pc);
    return insn && this.materialized !== undefined ? { ...insn, address: this.materialized } : insn;
  }
}
