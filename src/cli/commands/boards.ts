import type { Command } from "commander";
import pc from "picocolors";
import { FreestandError } from "../../errors.js";
import { action, useColor, write, formatOption } from "../io.js";
import type { TargetInfo } from "../../targets/types.js";
import { memory } from "../../targets/docs.js";

function memoryLine(t: TargetInfo): string {
  return memory(t.memory);
}

/** The facts of one board, in the order a reader asks for them (the JSON has the same names). */
function boardFacts(t: TargetInfo) {
  const b = t.board!;
  return {
    name: b.name,
    title: b.title,
    chip: b.chip,
    core: b.core,
    triple: t.triple,
    memory: t.memory.map((r) => ({ name: r.name, kind: r.kind, origin: r.origin, length: r.length })),
    memorySource: b.memorySource,
    console: t.console,
    exit: "Arm/RISC-V semihosting, behind the crate's `semihosting-exit` feature (on by default; off for the board)",
    qemu: [t.qemu!.binary, ...t.qemu!.args].join(" "),
    emulates: b.emulates,
    lacks: b.lacks,
    page: `docs/boards/${b.name}.md`,
  };
}

function formatBoard(t: TargetInfo, color: boolean): string {
  const c = pc.createColors(color);
  const f = boardFacts(t);
  const rows: [string, string][] = [
    ["chip", `${f.chip} (${f.core})`],
    ["target", f.triple],
    ["memory", `${memoryLine(t)} — ${f.memorySource}`],
    ["console", f.console],
    ["exit", f.exit],
    ["QEMU", `${f.qemu} -kernel <elf>`],
    ["emulated", f.emulates],
    ["not emulated", f.lacks],
    ["new crate", `freestand new <DIR> --board ${f.name}`],
    ["on the board", f.page],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [`${c.bold(f.name)} — ${f.title}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join("\n") + "\n";
}

export function registerBoards(program: Command): void {
  program
    .command("boards")
    .summary("The real boards freestand creates crates for, or everything about one")
    .description(
      "List the boards `freestand new --board` knows — chip, core, target, memory, console — or, with a name, everything about one: where its memory map comes from, what QEMU emulates of it and what it does not, and the page on running the crate on the real board.",
    )
    .usage("[OPTIONS] [NAME]")
    .argument("[NAME]", "A board to describe")
    .addOption(formatOption(["human", "json"]))
    .addHelpText(
      "after",
      `
Examples:
  freestand boards
  freestand boards microbit
  freestand new hello --board netduinoplus2`,
    )
    .action(
      action(async (name: string | undefined, flags: { format: "human" | "json" }) => {
        const { BOARDS, findBoard } = await import("../../targets/boards.js");
        const color = useColor();
        if (name) {
          const t = findBoard(name);
          if (!t) {
            const { closestName } = await import("../../targets/suggest.js");
            const near = closestName(name, BOARDS.map((b) => b.id));
            throw new FreestandError(`unknown board \`${name}\`${near ? `; did you mean \`${near}\`?` : "."} The boards freestand knows: ${BOARDS.map((b) => b.id).join(", ")}.`);
          }
          await write(flags.format === "json" ? JSON.stringify(boardFacts(t), null, 2) + "\n" : formatBoard(t, color));
          return 0;
        }
        if (flags.format === "json") {
          await write(JSON.stringify(BOARDS.map(boardFacts), null, 2) + "\n");
          return 0;
        }
        const c = pc.createColors(color);
        const width = Math.max(...BOARDS.map((b) => b.id.length));
        const pad = " ".repeat(width + 2);
        const lines: string[] = [];
        for (const t of BOARDS) {
          const b = t.board!;
          lines.push(`${c.bold(t.id.padEnd(width))}  ${b.title}: ${b.chip}, ${b.core}; ${t.triple}`);
          lines.push(`${pad}${c.dim("memory:")} ${memoryLine(t)}; ${c.dim("console:")} ${t.console}; ${c.dim("QEMU:")} -M ${b.qemuMachine}`);
          lines.push(`${pad}${c.dim("QEMU emulates")} ${b.emulates}; ${c.dim("not")} ${b.lacks}`);
        }
        lines.push("", c.dim("`freestand boards <NAME>` adds where the memory map comes from and the page on the real board; `freestand new <DIR> --board <NAME>` creates a crate for it."));
        await write(lines.join("\n") + "\n");
        return 0;
      }),
    );
}
