import type { Command } from "commander";
import { Option } from "commander";
import path from "node:path";
import pc from "picocolors";
import { FreestandError } from "../../errors.js";
import { action, isInteractive, write, useColor } from "../io.js";
import { EDITIONS, type Edition } from "../../scaffold/editions.js";
import type { ScaffoldOptions, ScaffoldResult } from "../../scaffold/index.js";

interface NewFlags {
  name?: string;
  lib?: boolean;
  bin?: boolean;
  target?: string;
  board?: string;
  edition?: Edition;
  alloc?: boolean;
  force?: boolean;
  yes?: boolean;
  vcs: "git" | "none";
}

/** What to do next, matching what was made: run a binary; build a library and test it where its tests run. */
function nextStep(result: ScaffoldResult, shown: string): string {
  if (result.kind === "bin") return `Next: cd ${shown} && freestand run   (or: freestand test, freestand build, freestand check)`;
  if (result.testedOnHost) return `Next: cd ${shown} && freestand build   (builds for ${result.triple}; the unit tests run on the host: freestand test --target host)`;
  return `Next: cd ${shown} && freestand test   (runs the unit tests on ${result.triple}; freestand build builds the library)`;
}

export function registerNew(program: Command): void {
  program
    .command("new")
    .summary("Create a freestanding binary or library crate")
    .description(
      "Create a freestanding binary (or --lib library) crate that builds, boots and prints on the first try: the target in .cargo/config.toml, #![no_std], a panic handler, the entry point, the linker script, a serial console.",
    )
    .usage("[OPTIONS] [DIR]")
    .argument("[DIR]", "Directory to create (asked on a terminal when missing)")
    .addOption(new Option("--name <NAME>", "Package name [default: the directory's name]"))
    .addOption(new Option("--lib", "Create a no_std library (its unit tests run on the host) instead of a binary"))
    .addOption(new Option("--bin", "Create a binary (the default; skips the question on a terminal)"))
    .addOption(new Option("--target <TRIPLE>", "Target id or triple, see `freestand targets`; a library takes any triple rustc knows [default: host]"))
    .addOption(new Option("--board <NAME>", "A real board, see `freestand boards`: its chip's memory map and UART console; implies the target"))
    .addOption(new Option("--edition <YEAR>", "Rust edition [default: 2024]").choices(EDITIONS))
    .addOption(new Option("--alloc", "Add a heap and a #[global_allocator] (bare-metal binaries)"))
    .addOption(new Option("--vcs <VCS>", "Initialize a new repository for the given version control system, or none").choices(["git", "none"]).default("git"))
    .addOption(new Option("--force", "Write into a non-empty directory, replacing the files the template provides"))
    .addOption(new Option("-y, --yes", "Accept the defaults for every choice not given (never ask)"))
    .addHelpText(
      "after",
      `
Examples:
  freestand new hello
  freestand new blinky --target thumbv7em-none-eabihf --alloc
  freestand new hello-microbit --board microbit
  freestand new checksum --lib --target thumbv7m-none-eabi`,
    )
    .action(
      action(async (dir: string | undefined, flags: NewFlags) => {
        const { scaffold, checkDestination } = await import("../../scaffold/index.js");
        const interactive = !flags.yes && isInteractive();
        if (!dir && !interactive) throw new FreestandError("`freestand new` needs the directory to create: `freestand new <DIR>`.");
        // A directory that cannot take the crate is refused before any question.
        if (dir) await checkDestination(dir, flags.force);
        let opts: ScaffoldOptions = {
          dir: dir ?? "",
          name: flags.name,
          lib: flags.lib,
          target: flags.target,
          ...(flags.board !== undefined ? { board: flags.board } : {}),
          edition: flags.edition,
          alloc: flags.alloc,
          force: flags.force,
          vcs: flags.vcs,
        };
        if (interactive) {
          const { askMissingChoices } = await import("../prompts/new.js");
          const answered = await askMissingChoices(opts, {
            dir: Boolean(dir),
            kind: Boolean(flags.lib || flags.bin || flags.board !== undefined),
            target: flags.target !== undefined || flags.board !== undefined,
            edition: flags.edition !== undefined,
            alloc: flags.alloc !== undefined,
          });
          if (!answered) return 130;
          opts = answered;
        }
        const result = await scaffold(opts);
        const c = pc.createColors(useColor());
        const shown = path.relative(process.cwd(), result.dir) || ".";
        const where = result.target?.id === "host" ? `the host (${result.triple})` : result.target?.board ? `the ${result.target.board.title} (${result.triple})` : result.triple;
        const lines = [
          ...result.warnings.map((w) => `${c.yellow(c.bold("warning"))}: ${w}`),
          `${c.green(c.bold("Created"))} ${result.kind === "lib" ? "library" : "binary"} \`${result.name}\` for ${where}, edition ${result.edition}, in ${shown}`,
          ...result.files.map((f) => `  ${f}${result.replaced.includes(f) ? c.yellow(" (replaced)") : ""}`),
          ...result.leftover.map((f) => `  ${f}${c.yellow(" (left from an earlier template: this one does not use it; delete it if nothing else does)")}`),
        ];
        if (result.triple !== (await hostTriple())) {
          // Plain cargo may not build what freestand builds: say so now, with the one command that does.
          const { plainCargo } = await import("../../toolchain/invocation.js");
          const plain = await plainCargo({ crateDir: result.dir, triple: result.triple }).catch(() => undefined);
          if (plain && !plain.works) {
            lines.push("", `${c.cyan("note")}: ${plain.why}; \`freestand build\` and \`freestand run\` work${plain.command ? " through the sysroot freestand built" : " once a core exists"}.`);
            if (plain.command) lines.push(`      plain cargo: \`${plain.command}\``);
            if (plain.sysroot) lines.push(`      build a core: \`${plain.sysroot}\``);
            if (plain.rustup) lines.push(`      or, with network access, once: \`${plain.rustup}\``);
          }
        }
        lines.push("", nextStep(result, shown));
        await write(lines.join("\n") + "\n");
      }),
    );
}

async function hostTriple(): Promise<string> {
  const { findRustc } = await import("../../toolchain/rustc.js");
  const { findTarget } = await import("../../targets/catalog.js");
  return (await findRustc({}).catch(() => undefined))?.host ?? findTarget("host")!.triple;
}
