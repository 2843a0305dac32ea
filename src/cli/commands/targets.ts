import type { Command } from "commander";
import pc from "picocolors";
import { action, useColor, write, parseHumanOrJson } from "../io.js";

export function registerTargets(program: Command): void {
  program
    .command("targets")
    .description("the targets freestand knows, and whether each is ready here (core, linker, QEMU)")
    .option("--format <format>", "output format: human or json", parseHumanOrJson, "human")
    .action(
      action(async (flags: { format: "human" | "json" }) => {
        const { targetReadiness } = await import("../../toolchain/index.js");
        const { TARGETS } = await import("../../targets/catalog.js");
        const rows = [];
        for (const t of TARGETS) rows.push({ target: t, readiness: await targetReadiness(t.triple) });
        if (flags.format === "json") {
          const out = rows.map(({ target: t, readiness: r }) => ({
            id: t.id,
            triple: t.triple,
            description: t.description,
            flavour: t.flavour,
            ready: r.ready,
            core: { ok: r.core.ok, source: r.core.source.kind, detail: r.core.detail, fix: r.core.fix ?? null },
            linker: { ok: r.linker.ok, path: r.linker.path ?? null, fix: r.linker.fix ?? null },
            qemu: r.qemu ? { ok: r.qemu.ok, binary: r.qemu.binary, debianPackage: r.qemu.debianPackage, path: r.qemu.path ?? null, fix: r.qemu.fix ?? null } : null,
          }));
          await write(JSON.stringify(out, null, 2) + "\n");
          return 0;
        }
        const c = pc.createColors(useColor());
        const yes = (ok: boolean | undefined, what: string) => (ok === undefined ? c.dim("-") : ok ? c.green(what) : c.red(`no ${what}`));
        const lines: string[] = [];
        const width = Math.max(...rows.map((r) => r.target.id.length));
        for (const { target: t, readiness: r } of rows) {
          const core = r.core.source.kind === "cached-sysroot" ? "core (built)" : "core";
          lines.push(`${r.ready ? c.green("ready    ") : c.yellow("not ready")} ${t.id.padEnd(width)}  ${t.description}`);
          lines.push(`          ${" ".repeat(width)}  ${yes(r.core.ok, core)}, ${yes(r.linker.ok, "linker")}, ${r.qemu ? yes(r.qemu.ok, r.qemu.binary) : c.dim("runs on Linux")}`);
          for (const part of [r.core, r.linker, r.qemu]) if (part && !part.ok && part.fix) lines.push(`          ${" ".repeat(width)}  ${c.dim("fix:")} ${part.fix}`);
        }
        await write(lines.join("\n") + "\n");
        return 0;
      }),
    );
}
