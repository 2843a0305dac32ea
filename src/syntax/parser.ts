import path from "node:path";
import v8 from "node:v8";
import type { Parser as ParserT, Language as LanguageT } from "web-tree-sitter";
import { PACKAGE_ROOT } from "../version.js";

/**
 * The tree-sitter Rust parser, loaded once per process. The grammar is vendored as .wasm in the package
 * (vendor/tree-sitter-rust/README.md says why and from which release), so installing freestand builds nothing.
 */
let loading: Promise<ParserT> | undefined;

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
    await Parser.init();
    const language: LanguageT = await Language.load(rustGrammarPath());
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}
