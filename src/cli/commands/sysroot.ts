import { Option, type Command } from "commander";
import pc from "picocolors";
import { FreestandError } from "../../errors.js";
import { action, collect, useColor, write, formatOption } from "../io.js";
import { createProgress } from "../progress.js";

interface SysrootFlags {
  target: string[];
  all?: boolean;
  rustc?: string;
  src?: string;
  dir?: string;
  force?: boolean;
  format: "human" | "json";
}


export function registerSysroot(program: Command): void {
  program
    .command("sysroot")
    .summary("Build a target's core, alloc and compiler_builtins from source, offline")
    .description(
      "Build a target's core, compiler_builtins and alloc from the compiler's library sources, offline, into a cache that `freestand build` and `run` use (rustup is not needed).",
    )
    .usage("[OPTIONS] --target <TRIPLE>")
    .addOption(new Option("--target <TRIPLE>", "Target to build for (repeatable; a catalogue id or a triple)").argParser(collect).default([], ""))
    .addOption(new Option("--all", "Every bare-metal target in the catalogue"))
    .addOption(new Option("--rustc <PATH>", "The compiler to build for [default: the one cargo runs, or another with matching sources]"))
    .addOption(new Option("--src <DIR>", "The Rust source tree (or its library/ directory) to build from"))
    .addOption(new Option("--dir <DIR>", "Cache directory [default: $XDG_CACHE_HOME/freestand/sysroots]"))
    .addOption(new Option("--force", "Rebuild even when the cached sysroot is whole"))
    .addOption(formatOption(["human", "json"]))
    .addHelpText(
      "after",
      `
Examples:
  freestand sysroot --target thumbv7m-none-eabi
  freestand sysroot --all`,
    )
    .action(
      action(async (flags: SysrootFlags) => {
        const { buildSysroot } = await import("../../toolchain/index.js");
        const { TARGETS, findTarget } = await import("../../targets/catalog.js");
        const wanted = flags.all ? TARGETS.filter((t) => t.flavour !== "host").map((t) => t.triple) : flags.target.map((t) => findTarget(t)?.triple ?? t);
        if (wanted.length === 0) throw new FreestandError("name a target with --target <triple> (or --all for every bare-metal target in the catalogue).");
        for (const t of wanted) {
          if (findTarget(t)?.flavour === "host") {
            throw new FreestandError(`${t} is the host: its standard library comes with the compiler, so it needs no sysroot.`);
          }
        }
        const c = pc.createColors(useColor());
        const results = [];
        const said = new Set<string>();
        // One target at a time: each build peaks at about 1.1 GB of memory.
        for (const target of wanted) {
          const progress = createProgress(process.stderr);
          try {
            const r = await buildSysroot({
              target,
              rustc: flags.rustc,
              src: flags.src,
              dir: flags.dir,
              force: flags.force,
              onProgress: (m) => (m.startsWith("compiling") ? progress.status(`${target}: ${m}`) : progress.log(m)),
            });
            results.push(r);
            progress.stop();
            if (flags.format === "human") {
              // The same note (which compiler was chosen) for every target is said once.
              const lines = r.notes.filter((n) => !said.has(n)).map((n) => `${c.cyan("note")}: ${n}`);
              for (const n of r.notes) said.add(n);
              const what = r.cached ? `${c.green(c.bold("Cached"))} ${target}` : `${c.green(c.bold("Built"))} ${target} in ${r.buildSeconds.toFixed(1)} s`;
              lines.push(`${what} for rustc ${r.rustc.release} (${r.rustc.path}): ${r.sysroot}`);
              await write(lines.join("\n") + "\n");
            }
          } finally {
            progress.stop();
          }
        }
        if (flags.format === "json") {
          const out = results.map((r) => ({
            target: r.target,
            sysroot: r.sysroot,
            cached: r.cached,
            rebuiltBecause: r.rebuiltBecause ?? null,
            buildSeconds: r.buildSeconds,
            rustc: { path: r.rustc.path, release: r.rustc.release, commitHash: r.rustc.commitHash ?? null },
            sources: r.sources,
            files: r.files,
            notes: r.notes,
          }));
          await write(JSON.stringify(out, null, 2) + "\n");
        }
        return 0;
      }),
    );
}
