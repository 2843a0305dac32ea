import type { Command } from "commander";
import { spawn } from "node:child_process";
import pc from "picocolors";
import { action, passThrough, useColor, write } from "../io.js";
import { addCargoFlags, colorWanted, type CargoFlagValues } from "../cargo-flags.js";
import { chooseElf } from "./run.js";
import type { TargetInfo } from "../../targets/types.js";
import type { Debugger } from "../../run/gdb.js";

type GdbFlags = CargoFlagValues;

export function registerGdb(program: Command): void {
  const cmd = program
    .command("gdb")
    .summary("Debug a binary: QEMU halted with its gdbstub, gdb attached, a breakpoint at main")
    .description(
      "Build the crate's binary (a debug build; --release keeps line tables) or take an ELF file, start QEMU halted with its gdbstub on a free local port, and attach gdb-multiarch to it on this terminal with a breakpoint at the program's `main` (`continue` starts it) — or LLDB 17+ for an architecture this gdb-multiarch lacks (LoongArch on Debian 12). A host program runs under gdb directly (`run` starts it). QEMU ends with the session: quitting the debugger, or the program's exit. Arguments after `--` go to the debugger.",
    )
    .usage("[OPTIONS] [PATH] [-- <GDB-ARGS>...]")
    .argument("[PATH]", "Crate directory, or an ELF file [default: the current directory]");
  addCargoFlags(cmd, "run");
  cmd.addHelpText(
    "after",
    `
Examples:
  freestand gdb
  freestand gdb --release --bin blinky
  freestand gdb target/thumbv7m-none-eabi/debug/app -- -ex 'break rust_begin_unwind'
  freestand run --gdb   (QEMU waiting for a debugger you start yourself)`,
  );
  cmd.action(
    action(async (given: string | undefined, flags: GdbFlags) => {
      const c = pc.createColors(colorWanted(flags, process.stderr, useColor));
      const gdbArgs = passThrough();
      // Line tables in a release build, so that breakpoints and steps have source lines.
      const buildFlags = flags.release ? { ...flags, config: [...(flags.config ?? []), "profile.release.debug=1"] } : flags;
      const { findDebugger, freeLocalPort, debuggerArguments, mainFunction } = await import("../../run/gdb.js");
      let debuggerFound: Debugger = { path: "", kind: "gdb" };
      // The debugger (and its support for the architecture) is checked before anything is built.
      const needsDebugger = async (target: TargetInfo) => {
        const found = await findDebugger(target);
        if ("missing" in found) return found.missing;
        debuggerFound = found;
        return undefined;
      };
      const chosen = await chooseElf(given, { ...buildFlags, verify: false }, [], c, needsDebugger);
      if (chosen === "build failed") return 1;
      const { elf, info } = chosen;
      const main = await mainFunction(elf, chosen.crate);
      if (!main) await write(`${c.yellow(c.bold("warning"))}: ${elf} has no \`main\` function gdb can name (no symbol table?); no breakpoint was set.\n`, process.stderr);
      if (info.flavour === "host") return debug(debuggerFound.path, debuggerArguments("gdb", elf, { ...(main ? { main } : {}), extra: gdbArgs }));
      return debugInQemu(elf, info, debuggerFound, await freeLocalPort(), main, gdbArgs);
    }),
  );
}

/** gdb on this terminal; Ctrl-C is gdb's (it interrupts the program), so freestand ignores it meanwhile. */
function debug(gdb: string, args: string[]): Promise<number> {
  const ignore = () => {};
  process.on("SIGINT", ignore);
  return new Promise<number>((resolve, reject) => {
    const child = spawn(gdb, args, { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 + 2 : 1)));
  }).finally(() => process.off("SIGINT", ignore));
}

/**
 * QEMU halted with its gdbstub on `port`, gdb attached on the terminal. QEMU's console goes to the terminal too;
 * it ends when gdb does (and, through the launcher, when freestand dies), and its own end closes gdb's connection.
 */
async function debugInQemu(elf: string, info: TargetInfo, debuggerFound: Debugger, port: number, main: string | undefined, extra: string[]): Promise<number> {
  const { runElf } = await import("../../run/index.js");
  const { debuggerArguments } = await import("../../run/gdb.js");
  const stop = new AbortController();
  const qemu = runElf(elf, info, {
    timeoutMs: 0,
    gdbPort: port,
    keepOnInterrupt: true,
    signal: stop.signal,
    onStdout: (chunk) => void process.stdout.write(chunk),
    onStderr: (chunk) => void process.stderr.write(chunk),
  });
  // QEMU's own failure to start (gdb then says the connection was refused) is said once gdb has ended.
  const failed = qemu.then(
    () => undefined,
    (err: unknown) => err,
  );
  const code = await debug(debuggerFound.path, debuggerArguments(debuggerFound.kind, elf, { port, ...(main ? { main } : {}), extra }));
  stop.abort();
  const err = await failed;
  if (err) throw err;
  return code;
}
