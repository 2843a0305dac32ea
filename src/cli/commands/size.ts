import { Option, type Command } from "commander";
import path from "node:path";
import pc from "picocolors";
import { FreestandError } from "../../errors.js";
import { action, parsePositiveInt, useColor, write, formatOption } from "../io.js";
import { addCargoFlags, colorWanted, type CargoFlagValues } from "../cargo-flags.js";
import type { TargetInfo } from "../../targets/types.js";

interface SizeFlags extends CargoFlagValues {
  format: "human" | "json";
  top: number;
  group?: boolean;
  diff?: string;
  maxGrowth?: string;
  html?: string;
  diffWith?: string;
}

export function registerSize(program: Command): void {
  const cmd = program
    .command("size")
    .summary("Flash and RAM by section, against the memory map, and the largest symbols")
    .description(
      "Show flash and RAM usage by section against the target's memory map, and the largest symbols, demangled. With no file, builds the crate's binary (same flags as `build`) and measures it, as `cargo size` does.",
    )
    .usage("[OPTIONS] [PATH]\n       freestand size --diff OLD [NEW] [--max-growth LIMIT]")
    .argument("[PATH]", "An ELF file, or a crate directory to build [default: the current directory]");
  addCargoFlags(cmd, "size");
  cmd
    .addOption(new Option("--top <N>", "How many of the largest symbols to list").argParser(parsePositiveInt).default(10))
    .addOption(new Option("--group", "Collapse generic instantiations (drop_in_place<A>, drop_in_place<B>) into one line"))
    .addOption(new Option("--html <FILE>", "Also write one self-contained HTML page: the memory map to scale, a zoomable treemap of flash and RAM by crate, module and function, and the largest symbols"))
    .addOption(new Option("--diff <OLD>", "Compare with this older ELF: totals, regions, crates and the symbols that changed most (PATH, or the crate's build, is the new one)"))
    .addOption(new Option("--diff-with <GIT-REF>", "Compare with the same crate built at this git revision (in a temporary worktree)"))
    .addOption(new Option("--max-growth <LIMIT>", "With --diff: exit 1 when flash grew by more than this many bytes (2048, 2KiB) or percent (5%)"))
    .addOption(formatOption(["human", "json"]))
    .addHelpText(
      "after",
      `
Examples:
  freestand size --release --bin app
  freestand size --top 20 --group
  freestand size firmware.elf --target thumbv7em-none-eabihf --format json
  freestand size --diff old.elf --release --max-growth 2%
  freestand size --release --html target/size.html`,
    )
    .action(
      action(async (given: string | undefined, flags: SizeFlags) => {
        const { sizeReport } = await import("../../elf/size.js");
        const { formatSizeReport } = await import("../../elf/format-size.js");
        const { inspected } = await import("../inspected-elf.js");
        const { parseGrowthLimit } = await import("../../elf/size-diff.js");
        if (flags.diff !== undefined && flags.diffWith !== undefined) throw new FreestandError("--diff and --diff-with both name the old build: give one.");
        if (flags.maxGrowth !== undefined && flags.diff === undefined && flags.diffWith === undefined) throw new FreestandError("--max-growth limits the growth --diff measures: give --diff <OLD> too.");
        const limit = flags.maxGrowth === undefined ? undefined : parseGrowthLimit(flags.maxGrowth);
        if (flags.maxGrowth !== undefined && !limit) throw new FreestandError(`--max-growth ${flags.maxGrowth} is not a size: give bytes (2048, 2KiB) or a percentage (5%).`);
        if (flags.diff !== undefined && !(await isFile(flags.diff))) throw new FreestandError(`${flags.diff} (--diff) is not a file.`);
        const what = await inspected(given, flags, "size");
        let file: string;
        let target: TargetInfo | undefined;
        let note: string | undefined;
        if (what.kind === "file") {
          ({ file, target, note } = what);
        } else {
          if (!what.built.success) {
            await write(`${pc.createColors(colorWanted(flags, process.stderr, useColor)).red("error")}: the build failed; nothing to measure.\n`, process.stderr);
            return 1;
          }
          const bin = what.binaries[0];
          if (!bin) throw new FreestandError("the build produced no binary to measure (a library's size depends on what links it).");
          file = bin.path;
          target = what.built.targetInfo;
        }
        if (flags.diffWith !== undefined) {
          if (what.kind === "file") throw new FreestandError("--diff-with builds the crate at another revision: give a crate directory, not an ELF file.");
          const { withOldBuild } = await import("../old-build.js");
          return withOldBuild(given, flags, flags.diffWith, (old) => sizeDiff(old, file, target, flags, limit));
        }
        if (flags.diff !== undefined) return sizeDiff(flags.diff, file, target, flags, limit);
        const report = await sizeReport(file, { target, top: flags.top, group: flags.group });
        const shown = path.relative(process.cwd(), report.file) || report.file;
        // The tree of every byte, for the JSON and the page (one schema: docs/json-output.md).
        const trees = flags.format === "json" || flags.html ? await memoryTrees(file, report) : undefined;
        if (flags.html) await writeHtml(flags.html, file, target, trees!, shown);
        if (flags.format === "json") {
          await write(JSON.stringify({ schemaVersion: 1, tool: "freestand", command: "size", ...report, file: shown, ...trees, ...(note ? { note } : {}) }, null, 2) + "\n");
        } else {
          const color = colorWanted(flags, process.stdout, useColor);
          const c = pc.createColors(color);
          await write(formatSizeReport(report, { color, name: shown }) + (note ? `${c.cyan("note")}: ${note}\n` : ""));
        }
        return 0;
      }),
    );
}

async function isFile(p: string): Promise<boolean> {
  const { promises: fsp } = await import("node:fs");
  return fsp.stat(p).then((s) => s.isFile(), () => false);
}

/** `--diff OLD`: what changed from OLD to the new file, printed; exit 1 past `--max-growth`. */
async function sizeDiff(old: string, file: string, target: TargetInfo | undefined, flags: SizeFlags, limit: { bytes: number } | { percent: number } | undefined): Promise<number> {
  const { withElf } = await import("../../elf/reader.js");
  const { diffSizes, growthBeyond } = await import("../../elf/size-diff.js");
  const { formatSizeDiff } = await import("../../elf/format-size.js");
  const diff = await withElf(old, (before) => withElf(file, (after) => diffSizes(before, after, { ...(target ? { target } : {}), top: flags.top })));
  const shown = (p: string) => path.relative(process.cwd(), path.resolve(p)) || p;
  const beyond = limit ? growthBeyond(diff, limit) : undefined;
  // The page shows the new build, with the changes above it.
  if (flags.html) await writeHtml(flags.html, file, target, await memoryTrees(file, await (await import("../../elf/size.js")).sizeReport(file, { target, top: 0 })), shown(file), { old: shown(old), ...diff });
  if (flags.format === "json") {
    await write(JSON.stringify({ schemaVersion: 1, tool: "freestand", command: "size", diff: { old: shown(old), new: shown(file), ...diff }, ...(limit ? { maxGrowth: { limit, exceeded: beyond !== undefined } } : {}) }, null, 2) + "\n");
  } else {
    await write(formatSizeDiff(diff, { color: colorWanted(flags, process.stdout, useColor), old: shown(old), new: shown(file) }));
  }
  if (!beyond) return 0;
  const c = pc.createColors(colorWanted(flags, process.stderr, useColor));
  await write(`${c.red(c.bold("error"))}: ${beyond}.\n`, process.stderr);
  return 1;
}

/** Code and data as trees (size-tree.ts); the stack reserve is a leaf of RAM's. */
async function memoryTrees(file: string, report: import("../../elf/size.js").SizeReport) {
  const { withElf } = await import("../../elf/reader.js");
  const { sizeTree } = await import("../../elf/size-tree.js");
  return withElf(file, (elf) => {
    const flash = sizeTree(elf, "flash");
    const ram = sizeTree(elf, "ram");
    if (report.stack > 0 && !ram.children?.some((c) => c.name === "(stack)")) {
      ram.children = [...(ram.children ?? []), { name: "(stack)", bytes: report.stack }].sort((a, b) => b.bytes - a.bytes);
      ram.bytes += report.stack;
    }
    return { flashTree: flash, ramTree: ram };
  });
}

/** The page, written whole or not at all; its symbol table lists up to 500 symbols. */
async function writeHtml(
  out: string,
  file: string,
  target: TargetInfo | undefined,
  trees: Awaited<ReturnType<typeof memoryTrees>>,
  shown: string,
  diff?: import("../../elf/size-diff.js").SizeDiff & { old: string },
): Promise<void> {
  const { sizeReport } = await import("../../elf/size.js");
  const { sizeHtml } = await import("../../elf/size-html.js");
  const { writeFileAtomic } = await import("../../util/fs.js");
  const { promises: fsp } = await import("node:fs");
  const dir = path.dirname(path.resolve(out));
  if (!(await fsp.stat(dir).then((s) => s.isDirectory(), () => false))) throw new FreestandError(`${path.dirname(out)} (--html) is not a directory.`);
  const report = await sizeReport(file, { target, top: 500 });
  const { stackRegion } = await import("../../run/stack.js");
  const region = await stackRegion(file).catch(() => undefined);
  const stack = region ? { stack: { address: Number(region.bottom), size: Number(region.top - region.bottom) } } : {};
  await writeFileAtomic(out, await sizeHtml({ report, flash: trees.flashTree, ram: trees.ramTree, name: shown, ...stack, ...(diff ? { diff } : {}) }));
  await write(`${pc.createColors(useColor()).cyan("note")}: wrote ${out}\n`, process.stderr);
}
