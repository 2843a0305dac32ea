/**
 * The crate root's inner attributes are read without a parser (innerAttributePrefix). They must be exactly what
 * tree-sitter sees: compared on the root of every crate in Debian's registry, and on hand-made awkward texts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { innerAttributePrefix } from "../../src/deps/crate-std.js";
import { rustParser } from "../../src/syntax/parser.js";
import { RustSource } from "../../src/syntax/source.js";
import { innerAttributes } from "../../src/syntax/queries.js";
import { DEBIAN_REGISTRY } from "./support.js";

async function treeSitterView(text: string): Promise<{ name: string; args?: string; start: number; end: number }[]> {
  const parser = await rustParser();
  const tree = parser.parse(text)!;
  try {
    const src = new RustSource("x.rs", text, tree);
    return innerAttributes(src).map((a) => ({ name: a.name, ...(a.args !== undefined ? { args: a.args } : {}), start: a.node.startIndex, end: a.node.endIndex }));
  } finally {
    tree.delete();
  }
}

const ownView = (text: string) => {
  const { end, attributes } = innerAttributePrefix(text);
  return { end, attributes: attributes.map((a) => ({ name: a.name, ...(a.args !== undefined ? { args: a.args } : {}), start: a.start, end: a.end })) };
};

const AWKWARD: [string, string][] = [
  ["comments and docs", `//! Crate docs with #![no_std] in them\n/* block /* nested */ #![no_std] */\n#![no_std]\n\nfn f() {}\n`],
  ["cfg_attr", `#![cfg_attr(not(feature = "std"), no_std)]\n#![cfg_attr(docsrs, feature(doc_cfg))]\nuse core::fmt;\n`],
  ["doc string with brackets", `#![doc = "a ] b [ c"]\n#![no_std]\nmod m;\n`],
  ["raw string", `#![doc = r#"raw " ] text"#]\n#![no_std]\nmod m;\n`],
  ["path attribute", `#![rustfmt::skip]\n#![deny(missing_docs, unsafe_code)]\n#![ no_std ]\npub fn f() {}\n`],
  ["shebang-free hash", `#![allow(dead_code)]\n#[cfg(test)]\nmod tests {}\n`],
];

for (const [name, text] of AWKWARD) {
  test(`prefix attributes equal tree-sitter's: ${name}`, async () => {
    const own = ownView(text);
    const ts = (await treeSitterView(text)).filter((a) => a.start < own.end);
    assert.deepEqual(own.attributes, ts);
  });
}

test("prefix attributes equal tree-sitter's on every crate root in Debian's registry", { skip: fs.existsSync(DEBIAN_REGISTRY) ? false : `${DEBIAN_REGISTRY} is missing` }, async () => {
  let roots = 0;
  for (const d of fs.readdirSync(DEBIAN_REGISTRY)) {
    const lib = path.join(DEBIAN_REGISTRY, d, "src", "lib.rs");
    if (!fs.existsSync(lib)) continue;
    const text = fs.readFileSync(lib, "utf8");
    const own = ownView(text);
    // Inner attributes come before any item: tree-sitter's list, cut at the prefix's end, is the whole list.
    const ts = await treeSitterView(text);
    assert.deepEqual(own.attributes, ts, d);
    roots++;
  }
  assert.ok(roots > 30, `${roots} crate roots compared`);
});
