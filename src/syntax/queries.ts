import type { Node } from "web-tree-sitter";
import type { RustSource } from "./source.js";

/**
 * Syntax questions the rules share. Walking every node of a large crate through the wasm boundary is slow
 * (about half the time of parsing), so rules find candidates with a regular expression over the text and
 * then ask the tree about the few places it found: is this real code, which item is it on, which cfg gates it.
 */

/** Nodes that hold an item: their parent is a file or a block of items. */
const ITEM_CONTAINERS = new Set(["source_file", "declaration_list"]);
const COMMENT_TYPES = new Set(["line_comment", "block_comment"]);

export interface AttributeInfo {
  node: Node;
  /** The attribute's name with an edition-2024 `unsafe(...)` wrapper removed: `no_mangle`, `cfg`, `cortex_m_rt::entry`. */
  name: string;
  /** True for `#[unsafe(no_mangle)]`. */
  unsafeWrapped: boolean;
  /** The `attribute` node inside `#[...]` (the part an `unsafe(...)` wrapper goes around). */
  body: Node;
  /** Text inside the parentheses, if any: `test` for `#[cfg(test)]`. */
  args?: string;
  /** The string value of `#[name = "value"]`. */
  value?: string;
}

export function attributeInfo(attrItem: Node): AttributeInfo | undefined {
  const body = attrItem.namedChildren.find((c) => c?.type === "attribute");
  if (!body) return undefined;
  const path = body.namedChild(0);
  if (!path) return undefined;
  let name = path.text.replace(/\s+/g, "");
  const tt = body.childForFieldName("arguments");
  const valueNode = body.childForFieldName("value");
  let args = tt ? tt.text.slice(1, -1) : undefined;
  let value = valueNode ? stringLiteralValue(valueNode) : undefined;
  let unsafeWrapped = false;
  if (name === "unsafe" && args !== undefined) {
    unsafeWrapped = true;
    const m = /^\s*([\w:]+)\s*(?:=\s*("(?:[^"\\]|\\.)*")|\((.*)\))?\s*$/s.exec(args);
    if (!m) return undefined;
    name = m[1]!;
    value = m[2] !== undefined ? JSON.parse(m[2]) : undefined;
    args = m[3];
  }
  return { node: attrItem, name, unsafeWrapped, body, args, value };
}

export function stringLiteralValue(node: Node): string | undefined {
  if (node.type === "string_literal") {
    try {
      return JSON.parse(node.text) as string;
    } catch {
      return node.text.slice(1, -1);
    }
  }
  if (node.type === "raw_string_literal") return node.text.replace(/^r#*"/, "").replace(/"#*$/, "");
  return undefined;
}

/**
 * The named siblings before a node, nearest first, while `keep` says so. `previousNamedSibling` walks down from
 * the root each time (tree-sitter keeps no parent links): cheap near the top, quadratic when asked of every item
 * around a node 20,000 modules deep. Deeper than DEEP, the parent's children are walked with a cursor instead.
 */
const DEEP = 64;
function previousNamedSiblings(node: Node, keep: (s: Node) => boolean, parent?: Node, depth = 0): Node[] {
  const out: Node[] = [];
  if (!parent || depth <= DEEP) {
    for (let s = node.previousNamedSibling; s && keep(s); s = s.previousNamedSibling) out.push(s);
    return out;
  }
  const cursor = parent.walk();
  try {
    if (cursor.gotoFirstChild()) {
      do {
        if (cursor.nodeId === node.id) break;
        if (!cursor.nodeIsNamed) continue;
        const s = cursor.currentNode;
        if (keep(s)) out.push(s);
        else out.length = 0;
      } while (cursor.gotoNextSibling());
    }
  } finally {
    cursor.delete();
  }
  return out.reverse();
}

/**
 * The outer attributes written on an item (`#[...]` lines directly above it, comments between them allowed).
 * Callers that walk an ancestor chain pass the parent and the item's depth (see previousNamedSiblings).
 */
export function outerAttributes(item: Node, parent?: Node, depth = 0): AttributeInfo[] {
  const out: AttributeInfo[] = [];
  const before = previousNamedSiblings(item, (s) => COMMENT_TYPES.has(s.type) || s.type === "attribute_item", parent, depth);
  for (const s of before) {
    if (s.type !== "attribute_item") continue;
    const info = attributeInfo(s);
    if (info) out.unshift(info);
  }
  return out;
}

/** Comments directly above an item, among its attributes. */
export function leadingComments(item: Node): Node[] {
  const out: Node[] = [];
  for (let s = item.previousNamedSibling; s; s = s.previousNamedSibling) {
    if (COMMENT_TYPES.has(s.type)) out.push(s);
    else if (s.type !== "attribute_item") break;
  }
  return out;
}

/** `#![...]` attributes of a file (crate root or module file). */
export function innerAttributes(source: RustSource): AttributeInfo[] {
  const out: AttributeInfo[] = [];
  for (const c of source.root.namedChildren) {
    if (c?.type !== "inner_attribute_item") continue;
    const info = attributeInfo(c);
    if (info) out.push(info);
  }
  return out;
}

/**
 * The node and its ancestors up to the root, innermost first, found in one descent from the root. Tree-sitter keeps
 * no parent links: each `.parent` is itself a walk down from the root, so a loop of them is quadratic in the depth
 * (4,000 nested `mod`s took minutes); this is linear.
 */
export function ancestors(node: Node): Node[] {
  const down: Node[] = [];
  for (let n: Node | null = node.tree.rootNode; n && !n.equals(node); n = n.childWithDescendant(node)) down.push(n);
  down.push(node);
  return down.reverse();
}

/** The item a node belongs to (the node itself when it is one); walks through nested items' bodies. */
export function enclosingItems(node: Node): Node[] {
  const out: Node[] = [];
  const chain = ancestors(node);
  for (let i = 0; i + 1 < chain.length; i++) {
    const n = chain[i]!;
    if (ITEM_CONTAINERS.has(chain[i + 1]!.type) && !COMMENT_TYPES.has(n.type) && n.type !== "attribute_item") out.push(n);
  }
  return out;
}

/** The text of every `cfg(...)` on the items around a node, innermost first. */
export function cfgConditions(node: Node): string[] {
  const out: string[] = [];
  const chain = ancestors(node);
  for (let i = 0; i + 1 < chain.length; i++) {
    const n = chain[i]!;
    if (ITEM_CONTAINERS.has(chain[i + 1]!.type) && !COMMENT_TYPES.has(n.type) && n.type !== "attribute_item") {
      for (const a of outerAttributes(n, chain[i + 1], chain.length - 1 - i)) if (a.name === "cfg" && a.args !== undefined) out.push(a.args);
    }
  }
  // Statements, match arms, fields and expressions carry cfgs too: `#[cfg(test)] println!(…);` in a function.
  for (let i = 0; i < chain.length; i++) {
    const n = chain[i]!;
    const parent = chain[i + 1];
    if (parent && ITEM_CONTAINERS.has(parent.type)) continue; // an item: done above
    const own = n.type === "match_arm" || n.type === "field_declaration" || n.type === "enum_variant" ? n.namedChildren.filter((c) => c?.type === "attribute_item") : [];
    const before = parent?.type === "block" || parent?.type === "field_declaration_list" || parent?.type === "enum_variant_list" || parent?.type === "match_block" ? outerAttributeItems(n, parent, chain.length - 1 - i) : [];
    for (const attrItem of [...own, ...before]) {
      const a = attrItem ? attributeInfo(attrItem) : undefined;
      if (a?.name === "cfg" && a.args !== undefined) out.push(a.args);
    }
  }
  return out;
}

/** The `#[...]` items written directly before a node among its siblings. */
function outerAttributeItems(node: Node, parent: Node, depth: number): Node[] {
  return previousNamedSiblings(node, (s) => COMMENT_TYPES.has(s.type) || s.type === "attribute_item", parent, depth).filter((s) => s.type === "attribute_item");
}

/**
 * Does a cfg condition hold only where `std` exists: `test`, `feature = "std"` (and similar std features)?
 * Conditions inside `not(...)` are dropped first, so `not(test)` is not a std context.
 */
export function cfgImpliesStd(condition: string): boolean {
  let c = condition;
  for (let prev = ""; prev !== c; ) {
    prev = c;
    c = c.replace(/\bnot\s*\([^()]*\)/g, "");
  }
  return /\btest\b/.test(c) || /\bfeature\s*=\s*"[\w-]*std[\w-]*"/.test(c) || /\bdoctest\b/.test(c);
}

/** Is the node real code (not inside a comment, string or macro body we cannot see into)? */
export function codeNodeAt(source: RustSource, index: number): Node | undefined {
  const n = source.root.descendantForIndex(index, index + 1);
  if (!n) return undefined;
  if (COMMENT_TYPES.has(n.type) || n.type === "string_content" || n.type === "string_literal" || n.type === "raw_string_literal" || n.type === "char_literal") return undefined;
  for (const p of ancestors(n).slice(1)) {
    if (COMMENT_TYPES.has(p.type) || p.type === "string_literal" || p.type === "raw_string_literal") return undefined;
  }
  return n;
}

/** Every match of a regular expression in the source's text (which must use the `g` flag). */
export function* matchAll(source: RustSource, re: RegExp): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(source.text); m; m = re.exec(source.text)) {
    yield m;
    if (m[0].length === 0) re.lastIndex++;
  }
}

export function ancestorOfType(node: Node, types: ReadonlySet<string> | string): Node | undefined {
  return ancestors(node).find((n) => (typeof types === "string" ? n.type === types : types.has(n.type)));
}

/**
 * Rust text without its comments (block comments, not nested as rustc's are, and line comments), for quick
 * textual tests. A scan, not a lazy `[\s\S]*?` pattern: that rescans to the end from every unclosed opener.
 */
export function withoutComments(text: string): string {
  const parts: string[] = [];
  let i = 0;
  for (let open = text.indexOf("/*"); open >= 0; open = text.indexOf("/*", i)) {
    parts.push(text.slice(i, open));
    const close = text.indexOf("*/", open + 2);
    i = close < 0 ? text.length : close + 2;
  }
  parts.push(text.slice(i));
  return parts.join("").replace(/\/\/.*$/gm, "");
}

/**
 * Attribute items (`#[name ...]`, `#[unsafe(name ...)]`) with one of the given names, anywhere in the file,
 * each with the item it is written on (undefined when the tree does not show one, e.g. inside an ERROR node).
 */
export function findAttributes(source: RustSource, names: readonly string[]): { attr: AttributeInfo; item: Node | undefined }[] {
  const alternatives = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  const re = new RegExp(`#\\s*\\[\\s*(?:unsafe\\s*\\(\\s*)?(?:${alternatives})\\b`, "g");
  const out: { attr: AttributeInfo; item: Node | undefined }[] = [];
  for (const m of matchAll(source, re)) {
    if (source.inLineComment(m.index)) continue;
    const n = codeNodeAt(source, m.index);
    if (!n) continue;
    const attrNode = ancestorOfType(n, "attribute_item");
    if (!attrNode || attrNode.startIndex !== m.index) continue;
    const attr = attributeInfo(attrNode);
    if (!attr || !names.includes(attr.name)) continue;
    out.push({ attr, item: itemAfterAttribute(attrNode) });
  }
  return out;
}

/** The item an outer attribute is written on: the next sibling that is neither an attribute nor a comment. */
export function itemAfterAttribute(attrNode: Node): Node | undefined {
  for (let s = attrNode.nextNamedSibling; s; s = s.nextNamedSibling) {
    if (s.type === "attribute_item" || COMMENT_TYPES.has(s.type)) continue;
    if (s.type === "ERROR") return undefined;
    return s;
  }
  return undefined;
}

/** The ABI string of `extern "C" fn` (`"C"`), `""` for a bare `extern fn` (which is C), undefined for a Rust fn. */
export function functionAbi(fn: Node): string | undefined {
  const mods = fn.namedChildren.find((c) => c?.type === "function_modifiers");
  if (!mods) return undefined;
  const ext = mods.namedChildren.find((c) => c?.type === "extern_modifier");
  if (!ext) return undefined;
  const lit = ext.namedChildren.find((c) => c?.type === "string_literal");
  return lit ? (stringLiteralValue(lit) ?? "") : "";
}

/** The `fn` keyword token of a function item. */
export function fnKeyword(fn: Node): Node | undefined {
  for (const c of fn.children) if (c && !c.isNamed && c.type === "fn") return c;
  return undefined;
}
