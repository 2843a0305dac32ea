import type { Command } from "commander";
import { Option } from "commander";
import path from "node:path";
import pc from "picocolors";
import { action, isInteractive, write, useColor } from "../io.js";
import { EDITIONS, type Edition, type ScaffoldOptions } from "../../scaffold/index.js";

interface NewFlags {
  name?: string;
  lib?: boolean;
  bin?: boolean;
  target?: string;
  edition?: Edition;
  alloc?: boolean;
  force?: boolean;
  yes?: boolean;
}

export function registerNew(program: Command): void {
  program
    .command("new")
    .description("create a freestanding binary (or --lib library) crate that builds, boots and prints on the first try")
    .argument("<dir>", "directory to create")
    .option("--name <name>", "package name (default: the directory's name)")
    .option("--lib", "create a no_std library (unit-testable on the host) instead of a binary")
    .option("--bin", "create a binary (the default; skips the question on a terminal)")
    .option("--target <target>", "target id or triple, see `freestand targets` (default: host)")
    .addOption(new Option("--edition <edition>", "Rust edition").choices(EDITIONS))
    .option("--alloc", "add a heap and a #[global_allocator] (bare-metal targets)")
    .option("--force", "write into a non-empty directory, replacing the files the template provides")
    .option("-y, --yes", "accept the defaults for every choice not given (never ask)")
    .addHelpText(
      "after",
      "\nExamples:\n  freestand new hello\n  freestand new blinky --target thumbv7em-none-eabihf --alloc\n  freestand new checksum --lib",
    )
    .action(
      action(async (dir: string, flags: NewFlags) => {
        const { scaffold } = await import("../../scaffold/index.js");
        let opts: ScaffoldOptions = {
          dir,
          name: flags.name,
          lib: flags.lib,
          target: flags.target,
          edition: flags.edition,
          alloc: flags.alloc,
          force: flags.force,
        };
        if (!flags.yes && isInteractive()) {
          const { askMissingChoices } = await import("../prompts/new.js");
          const answered = await askMissingChoices(opts, { kindGiven: Boolean(flags.lib || flags.bin) });
          if (!answered) return 130;
          opts = answered;
        }
        const result = await scaffold(opts);
        const c = pc.createColors(useColor());
        const shown = path.relative(process.cwd(), result.dir) || ".";
        const lines = [
          `${c.green(c.bold("Created"))} ${result.kind === "lib" ? "library" : "binary"} \`${result.name}\` for ${result.target.id === "host" ? `the host (${result.target.triple})` : result.target.triple}, edition ${result.edition}, in ${shown}`,
          ...result.files.map((f) => `  ${f}${result.replaced.includes(f) ? c.yellow(" (replaced)") : ""}`),
          "",
          result.kind === "lib"
            ? `Next: cd ${shown} && cargo test`
            : `Next: cd ${shown} && freestand run   (or: freestand build, freestand check)`,
        ];
        await write(lines.join("\n") + "\n");
      }),
    );
}
