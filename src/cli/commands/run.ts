import { InvalidArgumentError, Option, type Command } from "commander";
import { promises as fsp } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import pc from "picocolors";
import { FreestandError } from "../../errors.js";
import { action, passThrough, useColor, write } from "../io.js";
import { addCargoFlags, colorWanted, selectionFrom, type CargoFlagValues } from "../cargo-flags.js";
import { buildWithProgress } from "./build.js";
import type { TargetInfo } from "../../targets/types.js";
import type { VerifyResult } from "../../elf/verify/index.js";
import { kindOf } from "../../util/fs.js";

interface RunFlags extends CargoFlagValues {
  timeout: number;
  verify: boolean;
  /** `--gdb [PORT]`: true for a free port. */
  gdb?: true | number;
  stack?: boolean;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError("Must be a TCP port (1-65535).");
  return n;
}

function parseTimeout(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("Must be a number of seconds (0: no timeout).");
  return n;
}

/** The crate's configured target, to settle what an ELF file leaves open; undefined outside a crate. */
async function configuredTriple(cwd: string): Promise<string | undefined> {
  const { buildTarget } = await import("../../build/index.js");
  return buildTarget({ cwd }).catch(() => undefined);
}

export function registerRun(program: Command): void {
  const cmd = program
    .command("run")
    .summary("Build and run a binary: on Linux directly, or booted in QEMU")
    .description(
      "Build the crate's binary (or take an ELF file), verify it, and run it: directly on Linux for the host, booted in QEMU for a bare-metal target. Exits with the program's exit code.",
    )
    .usage("[OPTIONS] [PATH] [-- <ARGS>...]")
    .argument("[PATH]", "Crate directory to run in, or an ELF file [default: the current directory]");
  addCargoFlags(cmd, "run");
  cmd
    .addOption(new Option("--timeout <SECONDS>", "Kill the program after this long; 0 waits forever").argParser(parseTimeout).default(10))
    .addOption(new Option("--no-verify", "Run the binary even when `verify` finds it is not freestanding"))
    .addOption(new Option("--stack", "Measure how deep the stack went: QEMU fills the stack region before the program starts, and the program reports the deepest byte it changed"))
    .addOption(new Option("--gdb [PORT]", "Start QEMU halted, its gdbstub on this local port (a free one by default), and print the debugger's command; no timeout unless --timeout is given").argParser(parsePort))
    .addHelpText(
      "after",
      `
Examples:
  freestand run --release
  freestand run -p firmware --bin blinky --timeout 0
  freestand run target/thumbv7m-none-eabi/debug/app
  freestand run --gdb 1234        (then: gdb-multiarch <elf> -ex 'target remote :1234')`,
    )
    .action(
      action(async (given: string | undefined, flags: RunFlags) => {
        const color = colorWanted(flags, process.stderr, useColor);
        const c = pc.createColors(color);
        const args = passThrough();
        if (flags.gdb !== undefined && flags.stack) throw new FreestandError("--stack fills the stack through QEMU's gdbstub, which --gdb gives to your debugger: choose one.");
        if (flags.gdb !== undefined && args.length) throw new FreestandError(`a program under the debugger takes no arguments here (${args.join(" ")}); remove them.`);
        // `--gdb` and `--stack` need QEMU: a host program is refused before anything is built.
        const qemuNeeds = async (target: TargetInfo) => {
          if (target.flavour !== "host") return undefined;
          if (flags.gdb !== undefined) return "`run --gdb` is for programs QEMU boots; `freestand gdb` runs a host program under gdb directly.";
          if (flags.stack) return "`run --stack` measures programs QEMU boots (the kernel gives a host program its stack).";
          return undefined;
        };
        const chosen = await chooseElf(given, flags, args, c, qemuNeeds);
        if (chosen === "build failed") return 1;
        const { elf, info, verification } = chosen;
        if (verification?.diagnostics.some((d) => d.severity === "error")) {
          const { formatVerification } = await import("../verification.js");
          await write(`${formatVerification(verification, color)}\n`, process.stderr);
          await write(`${c.red(c.bold("error"))}: ${path.basename(elf)} is not freestanding, so it was not run (\`--no-verify\` runs it anyway).\n`, process.stderr);
          return 1;
        }
        // Waiting at a debugger's pace: no timeout unless one was asked for.
        if (flags.gdb !== undefined && cmd.getOptionValueSource("timeout") === "default") flags.timeout = 0;
        return runAndReport(elf, info, flags, args, c);
      }),
    );
}

export interface ChosenElf {
  elf: string;
  info: TargetInfo;
  verification?: VerifyResult;
  /** The crate's name as Rust spells it (`hello_world`), when a crate was built. */
  crate?: string;
}

/** The ELF a run or a debugging session is for: the file given, or the crate's one executable, built. */
export async function chooseElf(
  given: string | undefined,
  flags: CargoFlagValues & { target?: string; verify: boolean },
  args: string[],
  c: ReturnType<typeof pc.createColors>,
  /** What else the caller needs for this target (a debugger), said before building when missing. */
  needs?: (info: TargetInfo) => Promise<string | undefined>,
): Promise<ChosenElf | "build failed"> {
  const st = given ? await fsp.stat(given).catch(() => undefined) : undefined;
  if (given && !st) throw new FreestandError(`${given} does not exist.`);
  if (st && !st.isFile() && !st.isDirectory()) throw new FreestandError(`${given} is ${kindOf(st)}: give an ELF file or a crate directory.`);
  return st?.isFile() ? elfFromFile(given!, flags, needs) : elfFromCrate(given, flags, args, c, needs);
}

/** `freestand run file.elf`: the target from --target or the ELF itself, checked and verified before running. */
async function elfFromFile(given: string, flags: CargoFlagValues & { verify: boolean }, needs?: (info: TargetInfo) => Promise<string | undefined>): Promise<ChosenElf> {
  const { isElfFile, targetForElf, runPrerequisiteMissing, checkElfMatches } = await import("../../run/index.js");
  const { requireMachine } = await import("../../targets/boards.js");
  if (!(await isElfFile(given))) throw new FreestandError(`${given} is not an ELF file or a crate directory.`);
  const elf = path.resolve(given);
  const info = flags.target ? requireMachine(flags.target) : await targetForElf(given, await configuredTriple(process.cwd()));
  // A --target for another machine is a usage error, said before anything else.
  if (info.flavour !== "host") await checkElfMatches(elf, info);
  const missing = (await runPrerequisiteMissing(info)) ?? (await needs?.(info));
  if (missing) throw new FreestandError(missing);
  if (!flags.verify) return { elf, info };
  const { verifyElf } = await import("../../elf/verify/index.js");
  return { elf, info, verification: await verifyElf(elf, { target: info }) };
}

/** `freestand run [DIR]`: the one executable chosen as cargo would, everything that makes the run impossible said before building. */
async function elfFromCrate(
  given: string | undefined,
  flags: CargoFlagValues & { verify: boolean },
  args: string[],
  c: ReturnType<typeof pc.createColors>,
  needs?: (info: TargetInfo) => Promise<string | undefined>,
): Promise<ChosenElf | "build failed"> {
  const { runPrerequisiteMissing } = await import("../../run/index.js");
  const { machineFor } = await import("../../targets/boards.js");
  const { loadProject, chooseExecutable, buildTarget } = await import("../../build/index.js");
  const selection = selectionFrom(flags, given);
  const project = await loadProject(selection);
  const exe = chooseExecutable(project, selection, "run");
  const triple = await buildTarget(selection);
  // A crate for a board runs on the board's machine (its manifest names it).
  const info = machineFor(triple ?? "host", exe ? [exe.package] : project.selected);
  if (!info) throw new FreestandError(`freestand does not know how to run programs for ${triple}; the targets it runs are listed by \`freestand targets\` (\`cargo run\` uses a \`runner\` configured for the target).`);
  const missing = (await runPrerequisiteMissing(info)) ?? (await needs?.(info));
  if (missing) throw new FreestandError(missing);
  if (args.length && info.flavour !== "host") throw new FreestandError(`a bare-metal program has no command line to pass arguments to (${args.join(" ")}); remove them.`);
  const narrowed = exe ? { ...selection, packages: [exe.package.name], ...(exe.kind === "bin" ? { bins: [exe.name], examples: undefined } : { examples: [exe.name], bins: undefined }) } : selection;
  const built = await buildWithProgress({ selection: narrowed, flags: { ...flags, format: "human" }, project });
  if (!built.success) {
    await write(`${c.red(c.bold("error"))}: the build failed; nothing to run.\n`, process.stderr);
    return "build failed";
  }
  const bins = built.artifacts.filter((a) => a.kind === "bin" && (!exe || a.name === exe.name));
  if (bins.length === 0) throw new FreestandError("the build produced no binary to run (is the crate a library?).");
  if (bins.length > 1) throw new FreestandError(`the build produced several binaries (${bins.map((b) => b.name).join(", ")}); choose one with --bin.`);
  return { elf: bins[0]!.path, info, crate: bins[0]!.name.replace(/-/g, "_"), ...(flags.verify && bins[0]!.verification ? { verification: bins[0]!.verification } : {}) };
}

function stackSizeOf(region: { bottom: bigint; top: bigint }): string {
  return Number(region.top - region.bottom).toLocaleString("en-US");
}

/** Runs the program with its output passed through, then says how it ended when that is not its own exit. */
async function runAndReport(elf: string, info: TargetInfo, flags: RunFlags, args: string[], c: ReturnType<typeof pc.createColors>): Promise<number> {
  const { runElf, exitStatusOf } = await import("../../run/index.js");
  const gdbPort = flags.gdb === undefined ? undefined : flags.gdb === true ? await (await import("../../run/gdb.js")).freeLocalPort() : flags.gdb;
  if (gdbPort !== undefined) {
    const { attachCommands, findDebugger } = await import("../../run/gdb.js");
    // Where this gdb-multiarch lacks the architecture (LoongArch on Debian 12), only the LLDB that has it is offered.
    const found = await findDebugger(info);
    const lldbOnly = "kind" in found && found.kind === "lldb";
    const how = attachCommands(path.relative(process.cwd(), elf) || elf, gdbPort, lldbOnly ? path.basename(found.path) : "lldb");
    await write(
      `${c.cyan("note")}: QEMU is waiting for a debugger on 127.0.0.1:${gdbPort}; the program starts when the debugger continues. In another terminal:
      ${lldbOnly ? how.lldb : `${how.gdb}\n  or: ${how.lldb}`}
`,
      process.stderr,
    );
  }
  const { stackRegion, stackReport } = await import("../../run/stack.js");
  const region = flags.stack ? await stackRegion(elf) : undefined;
  // A message after the program's output starts on a line of its own, whatever the program printed last.
  let lastByte = 0x0a;
  const result = await runElf(elf, info, {
    ...(region ? { stackRegion: region } : {}),
    timeoutMs: flags.timeout * 1000,
    ...(gdbPort !== undefined ? { gdbPort } : {}),
    args,
    inheritStdin: Boolean(process.stdin.isTTY),
    // A reader slower than the program pauses it (nothing piles up in freestand's memory).
    onStdout: (chunk) => {
      if (chunk.length) lastByte = chunk[chunk.length - 1]!;
      return process.stdout.write(chunk) ? undefined : once(process.stdout, "drain");
    },
    onStderr: (chunk) => {
      if (chunk.length) lastByte = chunk[chunk.length - 1]!;
      return process.stderr.write(chunk) ? undefined : once(process.stderr, "drain");
    },
  });
  const say = async (text: string) => write(`${lastByte === 0x0a ? "" : "\n"}${text}\n`, process.stderr);
  if (result.timedOut) {
    await say(`${c.red(c.bold("error"))}: ${path.basename(elf)} did not finish within ${flags.timeout} s and was killed (\`--timeout 0\` waits forever).`);
  } else if (result.interrupted) {
    await say(`${c.yellow("interrupted")}: ${path.basename(elf)} was stopped.`);
  } else if (result.signal) {
    await say(`${c.red(c.bold("error"))}: ${path.basename(elf)} was killed by ${result.signal}.`);
  }
  if (region && result.stack) await say(`${c.cyan("note")}: ${stackReport(result.stack.used, result.stack.size)}`);
  else if (region && !result.timedOut && !result.interrupted) {
    await say(
      `${c.yellow(c.bold("warning"))}: ${path.basename(elf)} ended without reporting its stack: it overflowed (reaching the bottom of its ${stackSizeOf(region)}-byte region, the fill's mark there), or it ended elsewhere than main's end or the panic handler (src/stack.rs reports from those).`,
    );
  }
  return exitStatusOf(result);
}
