import { Command, Help, type Option } from "commander";
import { packageVersion } from "../version.js";
import { splitPassThrough, write } from "./io.js";
import { registerNew } from "./commands/new.js";
import { registerBuild } from "./commands/build.js";
import { registerRun } from "./commands/run.js";
import { registerTest } from "./commands/test.js";
import { registerLsp } from "./commands/lsp.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerSysroot } from "./commands/sysroot.js";
import { registerTargets } from "./commands/targets.js";
import { registerBoards } from "./commands/boards.js";
import { registerGdb } from "./commands/gdb.js";
import { registerCheck } from "./commands/check.js";
import { registerExplain } from "./commands/explain.js";
import { registerVerify } from "./commands/verify.js";
import { registerSize } from "./commands/size.js";
import { registerStack } from "./commands/stack.js";

/**
 * Help in cargo's shape: the description first, then `Usage:`, then the options by group, each with
 * `[default: …]` and `[possible values: …]` as cargo prints them (never commander's `[default: []]`).
 */
const helpConfiguration: Partial<Help> = {
  // The command list names the commands only, as cargo's does; each command's --help has its arguments.
  subcommandTerm(cmd: Command): string {
    return cmd.name();
  },
  // Long-only options line up under the long names of the others, as in cargo's help.
  optionTerm(option: Option): string {
    return option.short ? option.flags : `    ${option.flags}`;
  },
  optionDescription(option: Option): string {
    const extra: string[] = [];
    if (option.argChoices) extra.push(`[possible values: ${option.argChoices.join(", ")}]`);
    const d = option.defaultValue as unknown;
    if (d !== undefined && typeof d !== "boolean" && !(Array.isArray(d) && d.length === 0)) extra.push(`[default: ${option.defaultValueDescription ?? String(d)}]`);
    return [option.description, ...extra].filter(Boolean).join(" ");
  },
  formatHelp(cmd: Command, helper: Help): string {
    const text = Help.prototype.formatHelp.call(helper, cmd, helper);
    const description = helper.commandDescription(cmd);
    if (!description) return text;
    // commander prints `Usage:` first, then the description; cargo the other way round.
    const [usage, desc, ...rest] = text.split("\n\n");
    return [desc, usage, ...rest].join("\n\n");
  },
};

/** Builds the commander program. Each command lives in its own file under commands/ and only parses and prints. */
export function createProgram(name = "freestand"): Command {
  const program = new Command(name)
    .description("Create, check, build, verify and run freestanding (no_std) Rust: firmware, kernels, bootloaders.")
    .usage("[OPTIONS] <COMMAND>")
    .version(`freestand ${packageVersion()}`, "-V, --version", "Print version info and exit (-vV: also the commit, compiler and node)")
    .helpOption("-h, --help", "Print help")
    .helpCommand("help [COMMAND]", "Print help for a command")
    .configureHelp(helpConfiguration)
    .showSuggestionAfterError(true)
    .configureOutput({
      // commander's own usage errors: one sentence, exit 2 (set below).
      outputError: (str, write) => write(str),
    })
    .exitOverride((err) => {
      // --help and --version exit 0; every usage error exits 2, as the exit-code contract says.
      process.exit(err.exitCode === 0 ? 0 : 2);
    })
    .addHelpText(
      "after",
      `
Examples:
  freestand new blinky --target thumbv7em-none-eabihf
  freestand check --fix
  freestand run --release

See \`freestand help <COMMAND>\` for more on a command.`,
    );
  // Commands register themselves here, one line each.
  registerNew(program);
  registerBuild(program);
  registerRun(program);
  registerGdb(program);
  registerTest(program);
  registerCheck(program);
  registerVerify(program);
  registerSize(program);
  registerStack(program);
  registerExplain(program);
  registerTargets(program);
  registerBoards(program);
  registerDoctor(program);
  registerSysroot(program);
  registerLsp(program);
  for (const cmd of program.commands) {
    cmd.helpOption("-h, --help", "Print help");
    cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  }
  return program;
}

/** `freestand -vV`, as `cargo -vV`: the version, then what this installation runs with. */
async function verboseVersion(): Promise<string> {
  const { buildCommit } = await import("../version.js");
  const lines = [`freestand ${packageVersion()}`, `release: ${packageVersion()}`, `commit-hash: ${(await buildCommit()) ?? "unknown"}`, `node: ${process.version}`];
  try {
    const { findRustc, describeRustc, findCargo } = await import("../toolchain/index.js");
    const rustc = await findRustc({});
    lines.push(`host: ${rustc.host}`, `rustc: ${describeRustc(rustc)}`);
    const cargo = await findCargo();
    lines.push(`cargo: ${cargo ?? "not found on PATH"}`);
  } catch (err) {
    const { describeError } = await import("../errors.js");
    lines.push(`rustc: ${describeError(err)}`);
  }
  return lines.join("\n") + "\n";
}

/** Runs the CLI on the arguments after the program name. */
/**
 * A reader that went away (`freestand run spew | head -c 10`) ends freestand quietly, as SIGPIPE ends a C program:
 * status 141 (128 + SIGPIPE), no stack trace; the exit hook stops a program still running.
 */
function quietOnClosedOutput(): void {
  for (const s of [process.stdout, process.stderr]) {
    s.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
      process.exit(141);
    });
  }
}

export async function main(args: readonly string[], name = "freestand"): Promise<void> {
  quietOnClosedOutput();
  const flags = new Set(args);
  const isVerboseVersion =
    args.length > 0 && args.every((a) => ["-vV", "-Vv", "-V", "-v", "--version", "--verbose"].includes(a)) && (flags.has("-vV") || flags.has("-Vv") || ((flags.has("-V") || flags.has("--version")) && (flags.has("-v") || flags.has("--verbose"))));
  if (isVerboseVersion) {
    await write(await verboseVersion());
    return;
  }
  await createProgram(name).parseAsync(splitPassThrough(args), { from: "user" });
}
