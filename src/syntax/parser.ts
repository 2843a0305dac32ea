import path from "node:path";
import v8 from "node:v8";
import type { Edit, Parser as ParserT, Language as LanguageT, Tree } from "web-tree-sitter";
import { FreestandError } from "../errors.js";
import { PACKAGE_ROOT } from "../version.js";
import { humanBytes } from "../util/bytes.js";

/**
 * The tree-sitter Rust parser, loaded once per process. The grammar is vendored as .wasm in the package
 * (vendor/tree-sitter-rust/README.md says why and from which release), so installing freestand builds nothing.
 */
let loading: Promise<ParserT> | undefined;

/** The parser's own memory, passed to the runtime so that its size can be watched while a file is parsed. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
// The DOM-free lib this package compiles against has no WebAssembly types; Node has the object.
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => WasmMemory } }).WebAssembly;
let parserMemory: WasmMemory | undefined;
/**
 * The wasm heap cannot pass 2 GiB: the runtime aborts (and takes the parser with it). A parse is cancelled before
 * that; real files need about 45 bytes of heap per byte of source, pathological ones (a 4 MB `1+1+…` chain) 300.
 */
const PARSER_MEMORY_LIMIT = 1792 << 20;
/** Larger sources are refused before parsing: no hand-written or generated file of a crate comes near. */
export const MAX_RUST_SOURCE = 16 << 20;

export function rustGrammarPath(): string {
  return path.join(PACKAGE_ROOT, "vendor", "tree-sitter-rust", "tree-sitter-rust.wasm");
}

export function rustParser(): Promise<ParserT> {
  loading ??= (async () => {
    // Baseline (Liftoff) code only: V8's optimizing tier spends about 100 ms compiling the grammar's huge lexer
    // and parse functions, which a typical crate never wins back (measured: `check` on memchr, 8k lines, 255 →
    // 165 ms; core+alloc, 624k lines, 1.16 → 1.42 s). Must be set before the first wasm module is compiled.
    v8.setFlagsFromString("--liftoff-only");
    // Imported lazily: `freestand --version` must not pay for the wasm runtime.
    const { Parser, Language } = await import("web-tree-sitter");
    // 64 KiB pages: 32 MiB to start (the runtime's default), 2 GiB at most (its maximum).
    parserMemory = new Memory({ initial: 512, maximum: 32768 });
    await Parser.init({ wasmMemory: parserMemory });
    const language: LanguageT = await Language.load(rustGrammarPath());
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}


/**
 * Parses one Rust file (incrementally when given the previous text's tree, edited to match: tree-sitter then
 * re-reads only what the edit touched), or says in one sentence why freestand will not: larger than MAX_RUST_SOURCE, or needing
 * more parser memory than the runtime has (checked while parsing, so a hostile file never aborts the process).
 */
export function parseRust(parser: ParserT, text: string, file: string, previous?: Tree): Tree {
  if (text.length > MAX_RUST_SOURCE) throw new FreestandError(`${file} is ${humanBytes(text.length)}, more than freestand parses (limit ${humanBytes(MAX_RUST_SOURCE)}).`);
  let cancelled = false;
  const tree = parser.parse(text, previous ?? null, {
    // web-tree-sitter cancels the parse when this returns true (its type says void).
    progressCallback: (() => {
      if ((parserMemory?.buffer.byteLength ?? 0) > PARSER_MEMORY_LIMIT) cancelled = true;
      return cancelled;
    }) as () => void,
  });
  if (cancelled || !tree) {
    parser.reset();
    throw new FreestandError(
      cancelled
        ? `${file} needs more memory to parse than freestand's parser has (${humanBytes(PARSER_MEMORY_LIMIT)}): it nests too deeply or is too large.`
        : `${file} could not be parsed.`,
    );
  }
  return tree;
}

/**
 * The edit that turns `before` into `after`, as one replaced range between their common prefix and suffix, in
 * the UTF-16 units (and rows and columns) web-tree-sitter counts in: what Tree.edit needs for an incremental parse.
 */
export function editBetween(before: string, after: string): Edit {
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < limit - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  const pointAt = (text: string, index: number) => {
    let row = 0;
    let lineStart = 0;
    for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
      row++;
      lineStart = i + 1;
    }
    return { row, column: index - lineStart };
  };
  const oldEnd = before.length - tail;
  const newEnd = after.length - tail;
  return { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition: pointAt(before, start), oldEndPosition: pointAt(before, oldEnd), newEndPosition: pointAt(after, newEnd) };
}
