import type { AST } from "toml-eslint-parser";
import type { Span, TextEdit } from "../diagnostics/types.js";
import { byteOffsetOf } from "../syntax/source.js";
import { tomlArrayAppendEdit } from "../cargo/toml-edit.js";
import { forEachEntry, tomlSpan, type TomlDocument } from "../cargo/toml.js";

/** Where a dependency is declared in a Cargo.toml: `key = ...` (string or inline table) or a `[dependencies.key]` table. */
export type DependencyDeclaration =
  | { form: "entry"; kv: AST.TOMLKeyValue; span: Span }
  | { form: "table"; table: AST.TOMLTable; span: Span };

function tablePathMatches(p: readonly (string | number)[], key: string, platform: string | null | undefined): boolean {
  if (platform) return p.length === 4 && p[0] === "target" && p[1] === platform && p[2] === "dependencies" && p[3] === key;
  return p.length === 2 && p[0] === "dependencies" && p[1] === key;
}

/**
 * Finds the declaration of a normal dependency (`[dependencies]`, or `[target.<platform>.dependencies]` when
 * the dependency is platform-specific).
 */
export function findDependencyDeclaration(doc: TomlDocument, key: string, platform?: string | null): DependencyDeclaration | undefined {
  let found: DependencyDeclaration | undefined;
  forEachEntry(doc, (p, kv) => {
    if (!found && tablePathMatches(p, key, platform)) found = { form: "entry", kv, span: tomlSpan(doc, kv) };
  });
  if (found) return found;
  const top = doc.ast.body[0];
  for (const item of top?.body ?? []) {
    if (item.type === "TOMLTable" && tablePathMatches(item.resolvedKey, key, platform)) {
      // Point at the header line: that is what a reader looks for.
      return { form: "table", table: item, span: tomlSpan(doc, { range: [item.range[0], headerLineEnd(doc, item)] }) };
    }
  }
  return undefined;
}

function headerLineEnd(doc: TomlDocument, table: AST.TOMLTable): number {
  const nl = doc.text.indexOf("\n", table.range[0]);
  return nl === -1 ? doc.text.length : nl;
}

function keyName(kv: AST.TOMLKeyValue): string {
  return kv.key.keys.map((k) => (k.type === "TOMLBare" ? k.name : k.value)).join(".");
}

/** Does the declaration inherit from `[workspace.dependencies]` (then the fix belongs there)? */
export function isWorkspaceInherited(decl: DependencyDeclaration): boolean {
  const entries = decl.form === "table" ? decl.table.body : decl.kv.value.type === "TOMLInlineTable" ? decl.kv.value.body : [];
  return entries.some((kv) => keyName(kv) === "workspace");
}

/**
 * Edits that turn a dependency's default features off and add `keep` to its features, keeping the file's
 * layout: `serde = "1"` becomes `serde = { version = "1", default-features = false }`, an inline table gets the
 * key added before its `}`, a `[dependencies.serde]` table gets a line after its last key.
 */
export function defaultFeaturesOffEdits(doc: TomlDocument, decl: DependencyDeclaration, keep: readonly string[]): TextEdit[] {
  const at = (i: number) => byteOffsetOf(doc.text, i);
  const featuresText = (fs: readonly string[]) => `[${fs.map((f) => JSON.stringify(f)).join(", ")}]`;
  if (decl.form === "entry" && decl.kv.value.type !== "TOMLInlineTable") {
    const v = decl.kv.value;
    const version = doc.text.slice(v.range[0], v.range[1]);
    const extra = keep.length > 0 ? `, features = ${featuresText(keep)}` : "";
    return [{ file: doc.path, start: at(v.range[0]), end: at(v.range[1]), text: `{ version = ${version}, default-features = false${extra} }` }];
  }
  const entries = decl.form === "table" ? decl.table.body : (decl.kv.value as AST.TOMLInlineTable).body;
  const edits: TextEdit[] = [];
  const additions: string[] = [];
  const existingDefault = entries.find((kv) => keyName(kv) === "default-features" || keyName(kv) === "default_features");
  if (existingDefault) {
    const v = existingDefault.value;
    edits.push({ file: doc.path, start: at(v.range[0]), end: at(v.range[1]), text: "false" });
  } else additions.push("default-features = false");
  if (keep.length > 0) {
    const features = entries.find((kv) => keyName(kv) === "features");
    if (features && features.value.type === "TOMLArray") {
      const have = new Set(features.value.elements.map((e) => (e.type === "TOMLValue" ? String(e.value) : "")));
      const missing = keep.filter((f) => !have.has(f));
      if (missing.length > 0) edits.push(tomlArrayAppendEdit(doc, features.value.range, missing, features.value.elements.length));
    } else if (!features) additions.push(`features = ${featuresText(keep)}`);
  }
  if (additions.length === 0) return edits;
  if (decl.form === "entry") {
    const table = decl.kv.value as AST.TOMLInlineTable;
    const last = table.body[table.body.length - 1];
    if (last) edits.push({ file: doc.path, start: at(last.range[1]), end: at(last.range[1]), text: additions.map((a) => `, ${a}`).join("") });
    else edits.push({ file: doc.path, start: at(table.range[0] + 1), end: at(table.range[0] + 1), text: ` ${additions.join(", ")} ` });
  } else {
    const last = entries[entries.length - 1];
    const after = last ? last.range[1] : headerLineEnd(doc, decl.table);
    edits.push({ file: doc.path, start: at(after), end: at(after), text: additions.map((a) => `\n${a}`).join("") });
  }
  return edits;
}
