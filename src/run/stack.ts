/**
 * `freestand run --stack`: the stack's measured high-water mark. freestand fills the template's stack region
 * through QEMU's gdbstub while the machine is halted (`_stack_bottom`..`_stack_top`, link.x) with a mark (its lowest 8 bytes) and then 0xa5 before the program
 * starts; at its end the program (src/stack.rs) prints the depth it reached on a marker line, which the run takes
 * out of the output and reports. A stack that reached the mark overflowed, and the program then stays silent.
 */
import { connect, type Socket } from "node:net";
import path from "node:path";
import { FreestandError } from "../errors.js";
import { withElf } from "../elf/reader.js";
import { stackRegionSymbols } from "../elf/stack/index.js";

export const STACK_MARKER = "\u0001freestand-stack ";
const MARK = "fsstack!";
const FILL = 0xa5;

export interface StackRegion {
  bottom: bigint;
  top: bigint;
}

/** The stack region, from the ELF's symbols; a sentence when the ELF lacks them. */
export async function stackRegion(elf: string): Promise<StackRegion> {
  return withElf(elf, (f) => {
    const region = stackRegionSymbols(f);
    if (!region || region.top - region.bottom <= BigInt(MARK.length)) {
      throw new FreestandError(
        `${path.basename(elf)} has no \`_stack_bottom\` and \`_stack_top\` symbols: \`--stack\` measures programs made from freestand's templates (link.x reserves the region, src/stack.rs reports it).`,
      );
    }
    return region;
  });
}

/** The fill: the mark, then FILL up to the top. */
export function stackFill(region: StackRegion): Buffer {
  const fill = Buffer.alloc(Number(region.top - region.bottom), FILL);
  fill.write(MARK, "latin1");
  return fill;
}

/**
 * Writes the fill into the halted machine through QEMU's gdbstub on `port` (GDB's remote protocol: `M` packets,
 * then `D`, which detaches and lets the program start). The stub's port opens as QEMU starts: connecting is
 * retried for a while. Memory written this way is the machine's own, wherever the ELF's segments lie.
 */
export async function fillThroughGdbstub(port: number, region: StackRegion, timeoutMs = 20_000): Promise<void> {
  const socket = await connectWithRetry(port, timeoutMs);
  try {
    const replies = packetReader(socket);
    const fill = stackFill(region);
    // QEMU takes packets of up to 4 KiB; 1 KiB of memory is 2 KiB of hex.
    for (let at = 0; at < fill.length; at += 1024) {
      const chunk = fill.subarray(at, at + 1024);
      const reply = await exchange(socket, replies, `M${(region.bottom + BigInt(at)).toString(16)},${chunk.length.toString(16)}:${chunk.toString("hex")}`);
      if (reply !== "OK") throw new FreestandError(`QEMU's gdbstub refused to fill the stack at 0x${(region.bottom + BigInt(at)).toString(16)} (${reply}).`);
    }
    await exchange(socket, replies, "D");
  } finally {
    socket.destroy();
  }
}

function connectWithRetry(port: number, timeoutMs: number): Promise<Socket> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => resolve(s));
      s.once("error", (err) => {
        s.destroy();
        if (Date.now() > until) reject(new FreestandError(`QEMU's gdbstub on port ${port} did not answer (${err.message}).`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

/** The payloads of the `$…#xx` packets the stub sends, in order (acks and checksums dropped). */
function packetReader(socket: Socket): () => Promise<string> {
  let buffered = "";
  const waiting: ((p: string) => void)[] = [];
  const ready: string[] = [];
  socket.on("data", (d: Buffer) => {
    buffered += d.toString("latin1");
    for (let m = /\$([^#]*)#[0-9a-fA-F]{2}/.exec(buffered); m; m = /\$([^#]*)#[0-9a-fA-F]{2}/.exec(buffered)) {
      buffered = buffered.slice(m.index + m[0].length);
      socket.write("+");
      const next = waiting.shift();
      if (next) next(m[1]!);
      else ready.push(m[1]!);
    }
  });
  return () => (ready.length ? Promise.resolve(ready.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

async function exchange(socket: Socket, next: () => Promise<string>, payload: string): Promise<string> {
  let sum = 0;
  for (const ch of payload) sum = (sum + ch.charCodeAt(0)) & 0xff;
  socket.write(`$${payload}#${sum.toString(16).padStart(2, "0")}`);
  return next();
}

/** `stack: 1,312 of 16,384 bytes used (8%)`, or the overflow when the whole region was used. */
export function stackReport(used: number, size: number): string {
  const n = (x: number) => x.toLocaleString("en-US");
  if (used >= size) return `stack: all ${n(size)} bytes of the region used: it overflowed (or reached its very end)`;
  return `stack: ${n(used)} of ${n(size)} bytes used (${Math.round((100 * used) / size)}%)`;
}
