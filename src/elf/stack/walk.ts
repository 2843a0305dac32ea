import type { CallSite, Decoder, FunctionFacts } from "./types.js";

/** A stretch of a function's bytes in one mode: "t" Thumb, "a" Arm, "d" data (literal pools, jump tables), or "" (the architecture's only mode). */
export interface CodePiece {
  start: bigint;
  end: bigint;
  mode: string;
}

/**
 * Reads one function's machine code in address order and keeps the depth of the stack: pushes and `sub sp` add to
 * it, pops and `add sp` take from it. The frame is the deepest point (on x86, less the stack arguments pushed for
 * calls, which LLVM counts apart; the call sites' depths include them). Code after a return or an unconditional
 * branch is reached from elsewhere in the function, with the frame in place: the depth goes back to the deepest seen
 * so far, which can only overstate. A conditional instruction that frees stack (an Arm `popne`) frees nothing here,
 * since the path that skips it still holds the frame. A branch to outside the function is a tail call.
 */
export function walkFunction(bytes: Buffer, base: bigint, pieces: readonly CodePiece[], decoder: Decoder, within: (address: bigint) => boolean): FunctionFacts {
  const facts: FunctionFacts = { frame: 0, deepest: 0, calls: [], indirect: [], setsStack: false, vectorBases: [], addresses: [] };
  let depth = 0;
  // x86: what is pushed after the first call is a later call's stack arguments, not frame.
  let called = false;
  let argumentBytes = 0;
  const site = (at: bigint, target: bigint | undefined, extra: number, tail: boolean): CallSite => ({ at, target, depth: depth + extra, tail });
  for (const piece of pieces) {
    if (piece.mode === "d") continue;
    decoder.start(piece.mode);
    let pc = piece.start;
    while (pc < piece.end) {
      const insn = decodeSafely(decoder, bytes, Number(pc - base), pc);
      if (!insn || pc + BigInt(insn.length) > piece.end) {
        facts.unknown = `its code at 0x${pc.toString(16)} could not be decoded`;
        return facts;
      }
      if (insn.address !== undefined) facts.addresses.push(insn.address);
      const e = insn.effect;
      const cond = insn.conditional === true;
      let ends = false;
      switch (e.kind) {
        case "sp":
          if (e.delta < 0) {
            depth -= e.delta;
            if (called && decoder.pushesCallArguments) argumentBytes -= e.delta;
          } else if (!cond) {
            depth = Math.max(0, depth - e.delta);
            argumentBytes = Math.max(0, argumentBytes - e.delta);
          }
          facts.deepest = Math.max(facts.deepest, depth);
          facts.frame = Math.max(facts.frame, depth - argumentBytes);
          break;
        case "spDynamic":
          facts.unknown ??= `it moves the stack pointer by a run-time amount at 0x${pc.toString(16)}`;
          break;
        case "spSet":
          depth = 0;
          argumentBytes = 0;
          facts.setsStack = true;
          break;
        case "call":
          called = true;
          (e.target === undefined ? facts.indirect : facts.calls).push(site(pc, e.target, decoder.returnAddressBytes, false));
          break;
        case "jump":
          if (e.target === undefined) {
            // Inside a frame it is a jump table; with the frame freed it may be a tail call through a pointer.
            if (depth === 0) facts.indirect.push(site(pc, undefined, 0, true));
          } else if (!within(e.target)) facts.calls.push(site(pc, e.target, 0, true));
          ends = !cond;
          break;
        case "return":
          ends = !cond;
          break;
        case "vectorBase":
          facts.vectorBases.push(e.address);
          break;
      }
      if (ends) {
        depth = facts.frame;
        argumentBytes = 0;
      }
      pc += BigInt(insn.length);
    }
  }
  return facts;
}

/** A decoder's answer, or undefined where it would read past the function's bytes (a truncated or hostile file). */
function decodeSafely(decoder: Decoder, bytes: Buffer, at: number, pc: bigint): ReturnType<Decoder["decode"]> {
  try {
    return decoder.decode(bytes, at, pc);
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}
