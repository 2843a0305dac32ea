/**
 * Debugging a program where it runs: QEMU halted with its gdbstub on a local port (`run --gdb`), and gdb attached
 * to it with a breakpoint at the program's `main` (`freestand gdb`); a host program under gdb directly.
 */
import { createServer } from "node:net";
import { withElf } from "../elf/reader.js";
import { displayName } from "../elf/demangle.js";
import type { TargetInfo } from "../targets/types.js";
import { which } from "../util/fs.js";
import { capture } from "../util/process.js";

const STT_FUNC = 2;

/** A TCP port of 127.0.0.1 that nothing listens on now (the kernel's choice), for QEMU's gdbstub. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The debugger for a target's programs: gdb for the host's, gdb-multiarch (every architecture) for QEMU's. */
export function debuggerFor(target: TargetInfo): { program: string; debianPackage: string } {
  return target.flavour === "host" ? { program: "gdb", debianPackage: "gdb" } : { program: "gdb-multiarch", debianPackage: "gdb-multiarch" };
}

/** How gdb's `set architecture` names each ELF machine's architectures (BFD's names). */
const GDB_ARCHITECTURE: Record<TargetInfo["elf"]["machine"], RegExp> = {
  x86_64: /^i386:x86-64$/,
  arm: /^arm$/,
  riscv: /^riscv/,
  aarch64: /^aarch64$/,
  loongarch: /^loongarch/i,
};

/** A debugger found for a target: gdb (gdb-multiarch for QEMU's targets), or lldb where that gdb lacks the architecture. */
export interface Debugger {
  path: string;
  kind: "gdb" | "lldb";
}

/** LLDB knows LoongArch from LLVM 17; Debian packages it as lldb-<version>. */
const LLDB_MIN_VERSION = 17;
const LLDB_PROGRAMS = ["lldb-22", "lldb-21", "lldb-20", "lldb-19", "lldb-18", "lldb-17", "lldb"];

/**
 * The debugger, or the sentence that says what is missing: the debugger itself (and its package), or its support
 * for the target's architecture. Debian 12's gdb-multiarch 13.1 was built without LoongArch; LLDB 17 or newer
 * (Debian's lldb-22) debugs it through the same gdbstub, and is used then.
 */
export async function findDebugger(target: TargetInfo, pathEnv = process.env.PATH ?? ""): Promise<Debugger | { missing: string }> {
  const d = debuggerFor(target);
  const found = await which(d.program, pathEnv);
  if (!found) return { missing: `${d.program} is not installed; it comes with the Debian package ${d.debianPackage} (apt-get install ${d.debianPackage}).` };
  const r = await capture(found, ["-nx", "-batch", "-ex", "set architecture"], { timeout: 30_000 }).catch(() => undefined);
  // "Requires an argument. Valid arguments are i386, i386:x86-64, …, auto."
  const listed = /Valid arguments are (.*)\./s.exec(`${r?.stdout ?? ""}${r?.stderr ?? ""}`)?.[1]?.split(/,\s*/);
  if (!listed || listed.some((a) => GDB_ARCHITECTURE[target.elf.machine].test(a))) return { path: found, kind: "gdb" };
  const lldb = await recentLldb(pathEnv);
  if (lldb) return { path: lldb, kind: "lldb" };
  return {
    missing: `${found} cannot debug ${target.isa} programs: it was built without that architecture (its \`set architecture\` lists none); LLDB ${LLDB_MIN_VERSION} or newer can (apt-get install lldb-22).`,
  };
}

/** The first lldb on PATH whose version is at least LLDB_MIN_VERSION (`lldb version 22.1.0`). */
async function recentLldb(pathEnv: string): Promise<string | undefined> {
  for (const program of LLDB_PROGRAMS) {
    const found = await which(program, pathEnv);
    if (!found) continue;
    const r = await capture(found, ["--version"], { timeout: 30_000 }).catch(() => undefined);
    const major = Number(/lldb version (\d+)/.exec(r?.stdout ?? "")?.[1]);
    if (major >= LLDB_MIN_VERSION) return found;
  }
  return undefined;
}

/**
 * The program's own `main` as the debugger names it (`hello::main`): the function whose demangled path is
 * `<crate>::main`, else the only `…::main` outside core, alloc and compiler_builtins; undefined when the ELF has
 * no symbol table or no such function.
 */
export async function mainFunction(elf: string, crate?: string): Promise<string | undefined> {
  return withElf(elf, (f) => {
    const mains: string[] = [];
    for (const s of f.symbols("symtab")) {
      if (s.type !== STT_FUNC || s.shndx === 0) continue;
      const name = displayName(s.name);
      if (!name.endsWith("::main") || name.split("::").length !== 2) continue;
      if (crate && name === `${crate}::main`) return name;
      if (!/^(core|alloc|compiler_builtins|std)::/.test(name)) mains.push(name);
    }
    return mains.length === 1 ? mains[0] : undefined;
  });
}

/** What to type to attach a debugger to QEMU's gdbstub on `port`: gdb-multiarch's and lldb's commands (`lldb`: its program name, `lldb-22`). */
export function attachCommands(elf: string, port: number, lldb = "lldb"): { gdb: string; lldb: string } {
  const quoted = /^[\w./-]+$/.test(elf) ? elf : `'${elf.replace(/'/g, "'\\''")}'`;
  return { gdb: `gdb-multiarch ${quoted} -ex 'target remote :${port}'`, lldb: `${lldb} ${quoted} -o 'gdb-remote ${port}'` };
}

/**
 * The debugger's arguments: quiet, the ELF, attached to QEMU on `port` (for a QEMU target; gdb and lldb both retry
 * the connection while QEMU opens the port), a breakpoint at `main`, then the user's own arguments.
 */
export function debuggerArguments(kind: Debugger["kind"], elf: string, opts: { port?: number; main?: string; extra: readonly string[] }): string[] {
  if (kind === "lldb") {
    return [
      elf,
      ...(opts.port === undefined ? [] : ["-o", `gdb-remote 127.0.0.1:${opts.port}`]),
      ...(opts.main ? ["-o", `breakpoint set --name ${opts.main}`] : []),
      ...opts.extra,
    ];
  }
  return [
    "-q",
    ...(opts.port === undefined ? [] : ["-ex", `target remote 127.0.0.1:${opts.port}`]),
    ...(opts.main ? ["-ex", `break ${opts.main}`] : []),
    ...opts.extra,
    elf,
  ];
}
