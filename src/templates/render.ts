import { promises as fsp } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../version.js";

/**
 * Templates are real files under templates/ (so they can be read, formatted and compiled as what they are)
 * with a tiny syntax: `{{var}}` placeholders, and whole-line `{{#if flag}}` / `{{#unless flag}}` / `{{/if}}`
 * markers, which sit inside comments so the file stays valid Rust / TOML / linker script.
 */
export const TEMPLATES_ROOT = path.join(PACKAGE_ROOT, "templates");

export interface TemplateVars {
  /** Package name. */
  name: string;
  /** The name as a Rust identifier (`-` → `_`). */
  crate: string;
  edition: string;
  /** The `rust-version` of the generated Cargo.toml: what the generated code and its edition need. */
  rust_version: string;
  triple: string;
  /** Catalogue id (the triple for a library built for a target the catalogue does not have). */
  target: string;
  /** The compiler's own triple: where a library's unit tests run (`cargo test-host`). */
  host_triple?: string;
  /** Board facts from the catalogue in linker-script notation (`256K`, `4M`), for the targets that have them. */
  flash_size?: string;
  ram_size?: string;
  /** Where the regions start, in hex (`0x20000000`). */
  flash_origin?: string;
  ram_origin?: string;
  stack_size?: string;
  heap_size?: string;
  /** A board's crate: its name (`--board`), its own name, chip and QEMU machine, and its console's address. */
  board?: string;
  board_name?: string;
  chip?: string;
  qemu_machine?: string;
  console_base?: string;
}

export type TemplateFlags = Record<string, boolean>;

/** npm drops `.gitignore` from packages and dot-directories are easy to lose: templates spell them with `_`. */
function outputPath(rel: string): string {
  return rel
    .split("/")
    .map((part) => (part === "_gitignore" ? ".gitignore" : part === "_cargo" ? ".cargo" : part))
    .join("/");
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;
const OPEN = /\{\{#(if|unless) ([a-z_0-9]+)\}\}/;
const CLOSE = /\{\{\/(if|unless)\}\}/;

/** Renders one template text. Errors name the template file: they are bugs in a template, not user input. */
export function renderText(text: string, vars: TemplateVars, flags: TemplateFlags, file = "<template>"): string {
  const out: string[] = [];
  // Each open block pushes whether its lines are kept; a line is kept when every enclosing block keeps it.
  const stack: boolean[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const open = OPEN.exec(line);
    if (open) {
      const value = flags[open[2]!];
      if (value === undefined) throw new Error(`${file}:${i + 1}: unknown template flag \`${open[2]}\``);
      stack.push(open[1] === "if" ? value : !value);
      return;
    }
    if (CLOSE.test(line)) {
      if (stack.pop() === undefined) throw new Error(`${file}:${i + 1}: \`{{/if}}\` without an opening block`);
      return;
    }
    if (stack.every(Boolean)) out.push(line);
  });
  if (stack.length) throw new Error(`${file}: ${stack.length} template block(s) not closed`);
  return out.join("\n").replace(PLACEHOLDER, (whole, key: string) => {
    const value = vars[key as keyof TemplateVars];
    if (value === undefined) throw new Error(`${file}: unknown placeholder ${whole}`);
    return value;
  });
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) files.push(...(await listFiles(path.join(dir, e.name), rel)));
    else if (e.isFile()) files.push(rel);
  }
  return files;
}

/**
 * Renders template directories in order; a later directory's file replaces an earlier one's with the same path
 * (templates/common first, then the target's). Returns output path → content, sorted by path.
 */
export async function renderTemplates(names: readonly string[], vars: TemplateVars, flags: TemplateFlags): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const name of names) {
    const dir = path.join(TEMPLATES_ROOT, name);
    for (const rel of await listFiles(dir)) sources.set(outputPath(rel), path.join(dir, rel));
  }
  const rendered = new Map<string, string>();
  for (const out of [...sources.keys()].sort()) {
    const src = sources.get(out)!;
    const text = renderText(await fsp.readFile(src, "utf8"), vars, flags, path.relative(PACKAGE_ROOT, src));
    // A file wrapped whole in a false block (src/heap.rs without --alloc) is left out, not written empty.
    if (text.trim() === "") continue;
    rendered.set(out, text);
  }
  return rendered;
}

/** Every path some template writes (any target, binary or library): what a previous `freestand new` may have left. */
export async function allTemplateOutputPaths(): Promise<Set<string>> {
  const out = new Set<string>();
  const layers = async (dir: string): Promise<string[]> => (await fsp.readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name));
  // templates/boards holds one layer per board (family), not a layer of its own.
  const boards = path.join(TEMPLATES_ROOT, "boards");
  const dirs = [...(await layers(TEMPLATES_ROOT)).filter((d) => d !== boards), ...(await layers(boards))];
  for (const dir of dirs) for (const rel of await listFiles(dir)) out.add(outputPath(rel));
  return out;
}
