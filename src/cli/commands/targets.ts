import type { Command } from "commander";
import pc from "picocolors";
import { action, useColor, write, formatOption } from "../io.js";
import type { TargetDetails } from "../../toolchain/target-details.js";
import { BOARDS } from "../../targets/boards.js";

/** The `targets <TRIPLE>` page: one fact per line, with where it came from when that matters. */
function formatDetails(d: TargetDetails, color: boolean, plainCargo: string | undefined): string {
  const c = pc.createColors(color);
  const spec = d.specRead !== "unavailable";
  // The JSON spec leaves out fields at rustc's defaults.
  const orDefault = (v: string | undefined, dflt: string) => v ?? (spec ? `${dflt} (rustc's default)` : c.dim("unknown (needs the JSON spec)"));
  const rows: [string, string][] = [
    ["description", d.description ?? c.dim("-")],
    ...(d.tier !== undefined ? [["tier", String(d.tier)] as [string, string]] : []),
    ["std", `${d.std} — ${d.stdBecause}`],
    ["panic strategy", orDefault(d.panicStrategy, "unwind")],
    ["atomics", d.atomics.length ? `${d.atomics.join(", ")} bits${d.maxAtomicWidth !== undefined ? ` (max width ${d.maxAtomicWidth})` : ""}` : "none (no atomic instructions)"],
    ["pointer width", `${d.pointerWidth} bits, ${d.endian}-endian`],
    ["arch / os / env / abi", [d.arch, d.os, d.env || "-", d.abi || "-"].join(" / ")],
    ["float ABI", d.floatAbi ?? (spec ? "the platform default" : c.dim("unknown (needs the JSON spec)"))],
    ["linker flavour", d.linkerFlavor ? `${d.linkerFlavor}${d.linker ? ` (${d.linker})` : ""}` : orDefault(undefined, "gcc (the C compiler)")],
    ["relocation model", orDefault(d.relocationModel, "pic")],
    ["features", d.features ?? (spec ? "none beyond the CPU's baseline" : c.dim("unknown (needs the JSON spec)"))],
    ...(d.cpu ? [["cpu", d.cpu] as [string, string]] : []),
  ];
  const r = d.readiness;
  rows.push(["core here", r.core.ok ? r.core.detail : `${c.red("no")} — ${r.core.fix ?? r.core.detail}`]);
  if (plainCargo) rows.push(["plain cargo", plainCargo]);
  const boards = boardsOf(d.triple);
  if (boards.length) rows.push(["boards", `${boards.join(", ")} (\`freestand boards\`)`]);
  rows.push([
    "freestand",
    d.catalogue ? `${d.catalogue.flavour === "host" ? "runs on Linux" : `boots in ${d.catalogue.qemu?.binary ?? "QEMU"}`}; \`freestand new --target ${d.catalogue.id}\`` : `no template: \`freestand new --lib --target ${d.triple}\` makes a library for it`,
  ]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const source =
    d.specRead === "nightly" ? "rustc's JSON target spec" : d.specRead === "RUSTC_BOOTSTRAP" ? "rustc's JSON target spec, printed by stable rustc under RUSTC_BOOTSTRAP=1" : "`rustc --print cfg` (this compiler does not print the JSON spec)";
  return [c.bold(d.triple), ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), c.dim(`  Source: ${source}, and freestand's catalogue.`)].join("\n") + "\n";
}

/** The catalogue's boards whose chip runs code for `triple`. */
function boardsOf(triple: string): string[] {
  return BOARDS.filter((b) => b.triple === triple).map((b) => b.id);
}

export function registerTargets(program: Command): void {
  program
    .command("targets")
    .summary("The targets freestand knows, or everything about one target")
    .description(
      "List the targets freestand has templates for and whether each is ready here (core, linker, QEMU); with a triple, show what rustc knows of it — std, panic strategy, atomics, pointer width, float ABI, linker, relocation model, features — for any triple rustc knows.",
    )
    .usage("[OPTIONS] [TRIPLE]")
    .argument("[TRIPLE]", "A target triple (or a catalogue id) to describe")
    .addOption(formatOption(["human", "json"]))
    .addHelpText(
      "after",
      `
Examples:
  freestand targets
  freestand targets thumbv7em-none-eabihf
  freestand targets riscv32imc-unknown-none-elf --format json`,
    )
    .action(
      action(async (triple: string | undefined, flags: { format: "human" | "json" }) => {
        const { targetReadiness, plainCargo } = await import("../../toolchain/index.js");
        const color = useColor();
        if (triple) {
          const { targetDetails } = await import("../../toolchain/target-details.js");
          const d = await targetDetails(triple);
          const plain = d.readiness.core.ok && d.readiness.core.source.kind === "cached-sysroot" ? await plainCargo({ crateDir: process.cwd(), triple: d.triple }).catch(() => undefined) : undefined;
          const plainLine = plain && !plain.works ? `fails (${plain.why}); this does what freestand does: \`${plain.command}\`${plain.rustup ? `, or once: \`${plain.rustup}\`` : ""}` : undefined;
          if (flags.format === "json") {
            const { readiness, catalogue, ...facts } = d;
            await write(JSON.stringify({ ...facts, catalogue: catalogue?.id ?? null, ready: readiness.ready, plainCargo: plain ?? null }, null, 2) + "\n");
          } else {
            await write(formatDetails(d, color, plainLine));
          }
          return 0;
        }
        const { TARGETS } = await import("../../targets/catalog.js");
        const rows = [];
        for (const t of TARGETS) {
          const readiness = await targetReadiness(t.triple);
          const plain = readiness.core.ok && readiness.core.source.kind === "cached-sysroot" ? await plainCargo({ crateDir: process.cwd(), triple: t.triple }).catch(() => undefined) : undefined;
          rows.push({ target: t, readiness, plain });
        }
        if (flags.format === "json") {
          const out = rows.map(({ target: t, readiness: r, plain }) => ({
            id: t.id,
            triple: t.triple,
            description: t.description,
            flavour: t.flavour,
            boards: boardsOf(t.triple),
            ready: r.ready,
            core: { ok: r.core.ok, source: r.core.source.kind, detail: r.core.detail, fix: r.core.fix ?? null },
            linker: { ok: r.linker.ok, path: r.linker.path ?? null, fix: r.linker.fix ?? null },
            qemu: r.qemu ? { ok: r.qemu.ok, binary: r.qemu.binary, debianPackage: r.qemu.debianPackage, path: r.qemu.path ?? null, fix: r.qemu.fix ?? null } : null,
            plainCargo: plain ? { works: plain.works, command: plain.command ?? null, rustup: plain.rustup ?? null } : { works: r.core.source.kind === "prebuilt", command: null, rustup: null },
          }));
          await write(JSON.stringify(out, null, 2) + "\n");
          return 0;
        }
        const c = pc.createColors(color);
        const yes = (ok: boolean | undefined, what: string) => (ok === undefined ? c.dim("-") : ok ? c.green(what) : c.red(`no ${what}`));
        const lines: string[] = [];
        const width = Math.max(...rows.map((r) => r.target.id.length));
        const pad = `          ${" ".repeat(width)}  `;
        for (const { target: t, readiness: r, plain } of rows) {
          const core = r.core.source.kind === "cached-sysroot" ? "core (built)" : "core";
          lines.push(`${r.ready ? c.green("ready    ") : c.yellow("not ready")} ${t.id.padEnd(width)}  ${t.description}`);
          lines.push(`${pad}${yes(r.core.ok, core)}, ${yes(r.linker.ok, "linker")}, ${r.qemu ? yes(r.qemu.ok, r.qemu.binary) : c.dim("runs on Linux")}`);
          for (const part of [r.core, r.linker, r.qemu]) if (part && !part.ok && part.fix) lines.push(`${pad}${c.dim("fix:")} ${part.fix}`);
          if (plain && !plain.works && plain.command) lines.push(`${pad}${c.dim("plain cargo fails here; this works:")} ${plain.command}`);
          const boards = boardsOf(t.triple);
          if (boards.length) lines.push(`${pad}${c.dim("boards:")} ${boards.join(", ")}`);
        }
        lines.push("", c.dim("`freestand targets <TRIPLE>` describes one target, also one without a template; `freestand boards` lists the real boards."));
        await write(lines.join("\n") + "\n");
        return 0;
      }),
    );
}
