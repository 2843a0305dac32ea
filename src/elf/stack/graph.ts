import type { CodeFunction } from "./code.js";
import type { FunctionFacts } from "./types.js";

/** The program's functions with what their code says, and a lookup from address to function. */
export class CallGraph {
  private readonly memo = new Map<number, { bytes: number; via?: { callee: number; depth: number } }>();
  private readonly onPath = new Set<number>();
  /** Cycles found while bounding: each as the functions around it, in call order. */
  readonly cycles: number[][] = [];

  constructor(
    readonly functions: readonly CodeFunction[],
    readonly facts: readonly FunctionFacts[],
    /** Functions whose address the program takes (vtables, function pointers): what a call through a register may reach. */
    readonly pointerTargets: readonly number[] = [],
  ) {}

  /** Each call site of `i` with the functions it may reach: its target, or for a call through a register every pointer target. */
  private *edges(i: number): Generator<{ callee: number; depth: number }> {
    const facts = this.facts[i]!;
    for (const call of facts.calls) {
      const callee = call.target === undefined ? undefined : this.functionAt(call.target);
      if (callee !== undefined) yield { callee, depth: call.depth };
    }
    for (const call of facts.indirect) for (const callee of this.pointerTargets) yield { callee, depth: call.depth };
  }

  /** The function whose code holds `address` (binary search over the sorted starts). */
  functionAt(address: bigint): number | undefined {
    let lo = 0;
    let hi = this.functions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.functions[mid]!;
      if (address < f.start) hi = mid - 1;
      else if (address >= f.end) lo = mid + 1;
      else return mid;
    }
    return undefined;
  }

  /**
   * The most stack a call of function `i` can use, its own frame included: the deepest of its frame and of each call
   * site's depth plus what the callee uses (a call through a register: the deepest pointer target). A call back into a function already on the path (recursion) adds nothing
   * here and is recorded as a cycle; a call to an address outside every function adds nothing either (the caller's
   * report names it).
   */
  worst(i: number): number {
    const known = this.memo.get(i);
    if (known) return known.bytes;
    if (this.onPath.has(i)) return 0;
    this.onPath.add(i);
    let best: { bytes: number; via?: { callee: number; depth: number } } = { bytes: this.facts[i]!.deepest };
    for (const { callee, depth } of this.edges(i)) {
      if (this.onPath.has(callee)) {
        this.recordCycle(callee, i);
        continue;
      }
      const bytes = depth + this.worst(callee);
      if (bytes > best.bytes) best = { bytes, via: { callee, depth } };
    }
    this.onPath.delete(i);
    this.memo.set(i, best);
    return best.bytes;
  }

  /** The calls that make `worst(i)`: each function with the stack in use when it starts. */
  worstPath(i: number): { index: number; depth: number }[] {
    this.worst(i);
    const path = [{ index: i, depth: 0 }];
    const seen = new Set([i]);
    let at = this.memo.get(i);
    let depth = 0;
    while (at?.via && !seen.has(at.via.callee)) {
      depth += at.via.depth;
      path.push({ index: at.via.callee, depth });
      seen.add(at.via.callee);
      at = this.memo.get(at.via.callee);
    }
    return path;
  }

  /** Every function a call from `i` can reach, `i` included. */
  reachable(i: number): Set<number> {
    const seen = new Set<number>([i]);
    const todo = [i];
    while (todo.length > 0) {
      for (const { callee } of this.edges(todo.pop()!)) {
        if (!seen.has(callee)) {
          seen.add(callee);
          todo.push(callee);
        }
      }
    }
    return seen;
  }

  private recordCycle(from: number, to: number): void {
    const path = [...this.onPath];
    const cycle = path.slice(path.indexOf(from));
    if (!cycle.includes(to)) cycle.push(to);
    const key = [...cycle].sort((a, b) => a - b).join(",");
    if (!this.cycles.some((c) => [...c].sort((a, b) => a - b).join(",") === key)) this.cycles.push(cycle);
  }
}
