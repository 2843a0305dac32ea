/**
 * The `.cargo/config.toml` of a generated binary, rendered from its catalogue record: the target, the
 * catalogue's rustflags each with why it is there, and the runner `cargo run` uses. One source: what `freestand
 * run` boots and what `cargo run` boots cannot drift apart.
 */
import type { TargetInfo } from "../targets/types.js";

/** Why the flags most targets share are there (a record's own `configNotes.flags` comes first). */
const COMMON_FLAG_NOTES: Record<string, string> = {
  "linker-messages": 'Show the linker\'s warnings (e.g. "cannot find entry symbol _start"), which rustc hides by default.',
  "relocation-model=static": "Absolute addresses: the target defaults to a position-independent executable, and nothing relocates it.",
};

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
  const lines = [`[target.${target.triple}]`, "rustflags = ["];
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
    lines.push(`runner = ${JSON.stringify(target.runner)}`);
  }
  return `${lines.join("\n")}\n`;
}
