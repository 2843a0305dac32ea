import { EM_NUMBER, machineName } from "../elf/constants.js";
import { withElf } from "../elf/reader.js";
import { FreestandError } from "../errors.js";
import type { ExitMechanism, TargetInfo } from "../targets/types.js";
import { findQemu } from "../toolchain/qemu.js";
import { stream } from "../util/process.js";
import type { RunOptions, RunResult } from "./types.js";
import { launcher } from "./launcher.js";
import { LineSplitter } from "../util/lines.js";
import { ExitMarkerFilter, MarkerLineFilter } from "./exit-marker.js";
import { STACK_MARKER, fillThroughGdbstub } from "./stack.js";
import { freeLocalPort } from "./gdb.js";
import { throughPipe } from "./console-pipe.js";

/**
 * Lines QEMU prints on stderr for some boards that say nothing about the program: lm3s6965evb reports that the
 * firmware leaves a timer unprogrammed, and boards with a built-in network chip (lm3s6965evb, mps2-an386) warn
 * that it has no network behind it, which is what -nodefaults asks for. Dropped to keep the output the program's.
 */
const QEMU_NOISE = [/^Timer with period zero, disabling$/, /^qemu-system-\w+: warning: nic \S+ has no peer$/];

/** The full QEMU command line for booting `elf` on `target` (headless, no network, console on stdout). */
export function qemuCommand(elf: string, target: TargetInfo): { binary: string; args: string[] } {
  if (!target.qemu) throw new FreestandError(`${target.id} does not boot in QEMU.`);
  return { binary: target.qemu.binary, args: [...target.qemu.args, "-kernel", elf] };
}

/**
 * Turns QEMU's exit status back into the program's exit code, or null when the program did not report one.
 * isa-debug-exit makes QEMU exit with `(value << 1) | 1` and the templates write `code + 1`, so an odd status of
 * 3 or more carries a code, 1 is QEMU's own failure, and an even status (0: a reset or triple fault with
 * -no-reboot) carries no code; semihosting and the SiFive test device pass the code through unchanged.
 */
export function guestExitCode(status: number, exit: ExitMechanism): number | null {
  if (exit.kind === "isa-debug-exit") return status % 2 === 1 && status >= 3 ? (status >> 1) - 1 : null;
  return status;
}

/**
 * Refuses an ELF built for another machine than the target's: QEMU would load it as a raw image and run garbage
 * (on the Arm boards it then aborts with a lockup).
 */
export async function checkElfMatches(elf: string, target: TargetInfo): Promise<void> {
  const h = await withElf(elf, (f) => f.header);
  const want = target.elf;
  if (h.machine !== EM_NUMBER[want.machine] || h.class !== want.class || h.endian !== want.endian) {
    const have = `${machineName(h.machine)} ELF${h.class} ${h.endian}-endian`;
    const expected = `${machineName(EM_NUMBER[want.machine])} ELF${want.class} ${want.endian}-endian`;
    throw new FreestandError(`${elf} is a ${have} file, but ${target.id} runs ${expected} programs; check --target.`);
  }
}

/** What is missing to boot programs for `target` here (its QEMU), in one sentence; undefined when nothing is. */
export async function qemuMissing(target: TargetInfo): Promise<string | undefined> {
  const spec = target.qemu;
  if (!spec) return `${target.id} does not boot in QEMU.`;
  if (await findQemu(spec)) return undefined;
  return `${spec.binary} is not installed; it comes with the Debian package ${spec.debianPackage} (apt-get install ${spec.debianPackage}).`;
}

/**
 * The program's console on its way to `onStdout`, with freestand's marker lines taken out: `run --stack`'s depth
 * line, then the exit-code line of a machine without an exit device (exit-marker.ts), which comes last.
 */
function consoleMarkers(target: TargetInfo, opts: RunOptions) {
  const marker = target.exit.kind === "console-marker" ? new ExitMarkerFilter() : undefined;
  const stackLine = opts.stackRegion && !opts.keepStackLines ? new MarkerLineFilter(STACK_MARKER, /^\d+ \d+$/) : undefined;
  const pass = (chunk: Buffer) => {
    const unstacked = stackLine ? stackLine.push(chunk) : chunk;
    return marker ? marker.push(unstacked) : unstacked;
  };
  return {
    push(chunk: Buffer) {
      const out = pass(chunk);
      return out.length ? opts.onStdout?.(out) : undefined;
    },
    /** Passes on what was held back, and says what the markers carried. */
    async end(): Promise<{ exitCode?: number; stack?: { used: number; size: number } }> {
      const unheld = stackLine?.end();
      const held = Buffer.concat([...(unheld?.length ? [marker ? marker.push(unheld) : unheld] : []), ...(marker ? [marker.end()] : [])]);
      if (held.length) await opts.onStdout?.(held);
      const [used, size] = (stackLine?.value ?? "").split(" ").map(Number);
      return { ...(marker?.code !== undefined ? { exitCode: marker.code } : {}), ...(stackLine?.value ? { stack: { used: used!, size: size! } } : {}) };
    },
  };
}

/**
 * Boots a bare-metal ELF in the target's QEMU machine, streams the console, and returns the program's exit code.
 * The timeout and Ctrl-C kill QEMU (`stream` runs it in its own process group).
 */
export async function runQemu(elf: string, target: TargetInfo, opts: RunOptions): Promise<RunResult> {
  const spec = target.qemu;
  if (!spec) throw new FreestandError(`${target.id} does not boot in QEMU.`);
  if (opts.args?.length) {
    throw new FreestandError(`a bare-metal program has no command line to pass arguments to (${opts.args.join(" ")}); remove them.`);
  }
  await checkElfMatches(elf, target);
  const qemu = await findQemu(spec);
  if (!qemu) throw new FreestandError((await qemuMissing(target))!);
  const { args: boot } = qemuCommand(elf, target);
  // Halted at the first instruction (-S), with the gdbstub on a local port only.
  // The stack is filled through the gdbstub too, before the program starts (src/run/stack.ts).
  const stubPort = opts.gdbPort ?? (opts.stackRegion ? await freeLocalPort() : undefined);
  const args = stubPort === undefined ? boot : ["-S", "-gdb", `tcp:127.0.0.1:${stubPort}`, ...boot];
  const command = spec.lossyConsole ? throughPipe(qemu, args) : { binary: qemu, args };

  let sawOutput = false;
  const consoleOut = consoleMarkers(target, opts);
  // QEMU's own complaints ("qemu-system-arm: Could not load kernel ...") tell a failure to start from a program
  // that exited non-zero.
  const qemuErrors: string[] = [];
  const kept: string[] = [];
  const stderrLines = new LineSplitter((line) => {
    if (QEMU_NOISE.some((re) => re.test(line))) return;
    if (line.startsWith(`${spec.binary}: `)) qemuErrors.push(line.slice(spec.binary.length + 2));
    kept.push(`${line}\n`);
  });
  // Whole lines only, QEMU's noise left out; what onStderr returns (a pending write) paces QEMU's output.
  const forwardStderr = (chunk: Buffer | undefined) => {
    if (chunk) stderrLines.push(chunk);
    else stderrLines.end();
    const out = kept.splice(0);
    return out.length ? opts.onStderr?.(Buffer.from(out.join(""))) : undefined;
  };

  // Stopped by the caller, or when the stack cannot be filled.
  const stop = new AbortController();
  if (opts.signal?.aborted) stop.abort();
  opts.signal?.addEventListener("abort", () => stop.abort(), { once: true });
  const streaming = stream(command.binary, command.args, {
    timeout: opts.timeoutMs,
    onStdout: (chunk) => {
      sawOutput = true;
      return consoleOut.push(chunk);
    },
    onStderr: (chunk) => forwardStderr(chunk),
    // Never the terminal's stdin: with `-serial stdio` QEMU would switch the terminal to raw mode and swallow
    // Ctrl-C as a byte for the guest instead of letting it stop the run.
    inheritStdin: false,
    ...(opts.keepOnInterrupt ? { keepOnInterrupt: true } : {}),
    launcher: await launcher(),
    signal: stop.signal,
  });
  const filled = opts.stackRegion
    ? fillThroughGdbstub(stubPort!, opts.stackRegion).then(
        () => undefined,
        (err: unknown) => {
          stop.abort();
          return err;
        },
      )
    : undefined;
  const r = await streaming;
  const fillError = await filled;
  if (fillError) throw fillError;
  forwardStderr(undefined);
  const { exitCode: markedCode, stack: measured } = await consoleOut.end();
  const stack = measured ? { stack: measured } : {};

  if (r.timedOut || r.interrupted || r.stopped) return { exitCode: null, signal: null, timedOut: r.timedOut, interrupted: r.interrupted, ...(r.stopped ? { stopped: true } : {}) };
  if (r.exitCode === null) return { exitCode: null, signal: r.signal, timedOut: false, interrupted: false };
  if (r.exitCode !== 0 && qemuErrors.length > 0 && !sawOutput) {
    throw new FreestandError(`QEMU could not boot ${elf}: ${qemuErrors.join(" ")}`);
  }
  const code = target.exit.kind === "console-marker" ? (r.exitCode === 0 ? (markedCode ?? null) : null) : guestExitCode(r.exitCode, target.exit);
  if (code === null) {
    opts.onStderr?.(Buffer.from(`freestand: QEMU stopped (status ${r.exitCode}) without an exit code from the program: it reset or triple-faulted.\n`));
    return { exitCode: 1, signal: null, timedOut: false, interrupted: false };
  }
  return { exitCode: code, signal: null, timedOut: false, interrupted: false, ...stack };
}
