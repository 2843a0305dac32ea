/**
 * The static stack bound's vocabulary: what one machine instruction does to the stack and to control flow, as each
 * architecture's decoder reports it, and what the walker makes of a whole function.
 */

/** What an instruction means for the stack bound. Everything else is `none`. */
export type Effect =
  | { kind: "none" }
  /** sp += delta (bytes; negative allocates): pushes, `sub sp, #N`, pre-indexed stores to sp, pops. */
  | { kind: "sp"; delta: number }
  /** sp moved by an amount known only at run time (a dynamic `alloca`). */
  | { kind: "spDynamic" }
  /** sp loaded with a fixed address: boot code setting up the stack. */
  | { kind: "spSet" }
  /** A call; no target means through a register. */
  | { kind: "call"; target?: bigint }
  /** A branch; no target means through a register (a jump table or a tail call through a pointer). */
  | { kind: "jump"; target?: bigint }
  | { kind: "return" }
  /** The address of a trap or exception vector written to the CPU's vector-base register (mtvec, VBAR_ELx, EENTRY). */
  | { kind: "vectorBase"; address: bigint };

export interface Instruction {
  length: number;
  effect: Effect;
  /** An address the instruction puts in a register (`lea`, `adrp`+`add`, `auipc`+`addi`, a literal): a function's, if the program takes it. */
  address?: bigint;
  /** Executed only under a condition (an Arm condition code, a Thumb IT block, a conditional branch). */
  conditional?: boolean;
}

/** Reads `length` bytes of the program at an address (literal pools), or undefined outside the file. */
export type ReadMemory = (address: bigint, length: number) => Buffer | undefined;

/** One architecture's instruction decoder. It may keep register constants within a function. */
export interface Decoder {
  /** What a call pushes before the callee runs (8 on x86-64: the return address; 0 where it goes to a register). */
  readonly returnAddressBytes: number;
  /** Calls push their stack arguments just before the call (x86 without a reserved call frame), not into the frame. */
  readonly pushesCallArguments: boolean;
  /** A new function (or a new piece of one, in `mode`: "t" Thumb, "a" Arm, "32" x86 protected mode): forget what is known of the registers. */
  start(mode?: string): void;
  /** The instruction at `bytes[at]`, whose address is `pc`; undefined when it cannot be decoded. */
  decode(bytes: Buffer, at: number, pc: bigint): Instruction | undefined;
}

/** A call out of a function, with the stack the caller holds at that point (its return address included). */
export interface CallSite {
  at: bigint;
  /** Undefined for a call through a register. */
  target?: bigint;
  /** Bytes of the caller's stack in use when the callee starts. */
  depth: number;
  tail: boolean;
}

/** What the walker learned of one function from its machine code. */
export interface FunctionFacts {
  /** The function's frame (pushes, spills and locals), in bytes, as LLVM's `.stack_sizes` counts it. */
  frame: number;
  /** The deepest its code takes the stack: the frame, plus stack arguments pushed for a call (x86). */
  deepest: number;
  calls: CallSite[];
  /** Calls and tail calls through a register. */
  indirect: CallSite[];
  /** Why the frame is only a lower bound, when it is. */
  unknown?: string;
  /** It loads sp with a fixed address (boot code): what called it does not add to what it uses. */
  setsStack: boolean;
  vectorBases: bigint[];
  /** Addresses its code computes: the functions among them may be called through a register. */
  addresses: bigint[];
}
