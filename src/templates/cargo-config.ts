/**
 * The `.cargo/config.toml` of a generated binary, rendered from its catalogue record: the target, the
 * catalogue's rustflags each with why it is there, and the runner `cargo run` uses. One source: what `freestand
 * run` boots and what `cargo run` boots cannot drift apart.
 */
import { targetTableHeader } from "../cargo/config.js";
import type { TargetInfo } from "../targets/types.js";
import { EXIT_MARKER } from "../run/exit-marker.js";
import { throughPipeScript } from "../run/console-pipe.js";

/** Why the flags most targets share are there (a record's own `configNotes.flags` comes first). */
const COMMON_FLAG_NOTES: Record<string, string> = {
  "linker-messages": 'Show the linker\'s warnings (e.g. "cannot find entry symbol _start"), which rustc hides by default.',
  "relocation-model=static": "Absolute addresses: the target defaults to a position-independent executable, and nothing relocates it.",
};

/**
 * The runner as TOML. A console-marker machine's QEMU always exits 0: its output goes through awk, which turns
 * the marker line back into the code. isa-debug-exit cannot make QEMU exit 0, so QEMU runs inside a shell that turns its status
 * back into the program's code, as `freestand run` does (src/run/qemu.ts): cargo then sees exit 0 for exit 0. A
 * machine whose console drops bytes gets its output through a pipe (src/run/console-pipe.ts).
 * cargo passes the ELF as the shell's `$0`.
 */
function runnerValue(target: TargetInfo, runner: string): string {
  if (target.exit.kind === "console-marker") {
    // The program's last line carries its code (src/run/exit-marker.ts): awk passes the rest on as it comes,
    // leaves that line out and exits with the code (1 when there was none: QEMU failed or was quit).
    const marker = `\\001${EXIT_MARKER.slice(1)}`;
    const awk = `BEGIN { code = 1 } /^${marker}-?[0-9]+\\r?$/ { sub(/\\r$/, ""); code = $2; next } { print; fflush() } END { exit code }`;
    return `[${tomlItems(["sh", "-c", `${runner} "$0" | awk '${awk}'`])}]`;
  }
  if (target.qemu?.lossyConsole) return `[${tomlItems(["sh", "-c", throughPipeScript(`${runner} "$0"`)])}]`;
  if (target.exit.kind !== "isa-debug-exit") return JSON.stringify(runner);
  const script = [
    `${runner} "$0"; s=$?`,
    "if [ $s -ge 3 ] && [ $((s % 2)) = 1 ]; then exit $((s / 2 - 1)); fi",
    `[ $s = 1 ] || echo "QEMU stopped (status $s) without an exit code from the program: it reset or triple-faulted." >&2`,
    "exit 1",
  ].join("; ");
  return `[${tomlItems(["sh", "-c", script])}]`;
}

/** `"a", "b"` for a TOML array line. */
function tomlItems(items: readonly string[]): string {
  return items.map((i) => JSON.stringify(i)).join(", ");
}

/** The file's text; undefined for a target the catalogue gives no config notes. */
export function cargoConfigToml(target: TargetInfo): string | undefined {
  const notes = target.configNotes;
  if (!notes) return undefined;
  return `${["[build]", `# ${notes.target}`, `target = ${JSON.stringify(target.triple)}`, ""].join("\n")}\n${rustflagsTable(target)}`;
}

/** The `[target.<triple>]` table: the catalogue's rustflags each with why it is there, and the runner. */
export function rustflagsTable(target: TargetInfo): string {
  const notes = target.configNotes ?? { target: "" };
  const lines = [`[${targetTableHeader(target.triple)}]`, "rustflags = ["];
  const flags = [...target.rustflags, ...(notes.extraRustflags ?? [])];
  // Flags come in pairs (`-C value`, `-W lint`): one comment and one line per pair.
  for (let i = 0; i < flags.length; i += 2) {
    const pair = flags.slice(i, i + 2);
    const value = pair[pair.length - 1]!;
    const note = notes.flags?.[value] ?? COMMON_FLAG_NOTES[value];
    if (note) lines.push(`  # ${note}`);
    lines.push(`  ${tomlItems(pair)},`);
  }
  lines.push("]");
  // The host needs no runner: cargo runs the executable itself.
  if (target.runner) {
    for (const l of notes.runner ?? []) lines.push(`# ${l}`);
    lines.push(`runner = ${runnerValue(target, target.runner)}`);
  }
  return `${lines.join("\n")}\n`;
}
