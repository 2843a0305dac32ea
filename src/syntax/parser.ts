import { createRequire } from "node:module";
import path from "node:path";
import v8 from "node:v8";
import type { Parser as ParserT, Language as LanguageT } from "web-tree-sitter";

/**
 * The tree-sitter Rust parser, loaded once per process. The grammar's .wasm is found through Node's module
 * resolution (not a path relative to this file), so it works from a checkout and from an npm install where
 * tree-sitter-rust is hoisted next to freestand.
 */
let loading: Promise<ParserT> | undefined;

export function rustGrammarPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("tree-sitter-rust/package.json")), "tree-sitter-rust.wasm");
}

export function rustParser(): Promise<ParserT> {
  loading ??= (async () => {
    // Baseline (Liftoff) code only: V8's optimizing tier spends about 100 ms compiling the grammar's huge lexer
    // and parse functions, which a typical crate never wins back (measured: `check` on memchr, 8k lines, 255 →
    // 165 ms; core+alloc, 624k lines, 1.16 → 1.42 s). Must be set before the first wasm module is compiled.
    v8.setFlagsFromString("--liftoff-only");
    // Imported lazily: `freestand --version` must not pay for the wasm runtime.
    const { Parser, Language } = await import("web-tree-sitter");
    await Parser.init();
    const language: LanguageT = await Language.load(rustGrammarPath());
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}
