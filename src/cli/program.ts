import { Command } from "commander";
import { packageVersion } from "../version.js";
import { registerNew } from "./commands/new.js";
import { registerBuild } from "./commands/build.js";
import { registerRun } from "./commands/run.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerSysroot } from "./commands/sysroot.js";
import { registerTargets } from "./commands/targets.js";
import { registerCheck } from "./commands/check.js";
import { registerExplain } from "./commands/explain.js";
import { registerVerify } from "./commands/verify.js";
import { registerSize } from "./commands/size.js";

/** Builds the commander program. Each command lives in its own file under commands/ and only parses and prints. */
export function createProgram(name = "freestand"): Command {
  const program = new Command(name)
    .description("Create, check, build, verify and run freestanding (no_std) Rust binaries.")
    .version(packageVersion(), "-V, --version", "print the version")
    .showSuggestionAfterError(true)
    .configureOutput({
      // commander's own usage errors: one sentence, exit 2 (set below).
      outputError: (str, write) => write(str),
    })
    .exitOverride((err) => {
      // --help and --version exit 0; every usage error exits 2, as the exit-code contract says.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  // Commands register themselves here, one line each.
  registerNew(program);
  registerBuild(program);
  registerRun(program);
  registerDoctor(program);
  registerSysroot(program);
  registerTargets(program);
  registerCheck(program);
  registerExplain(program);
  registerVerify(program);
  registerSize(program);
  for (const cmd of program.commands) {
    cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  }
  return program;
}
