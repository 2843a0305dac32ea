// Bundles the CLI into dist/bin/ (run after tsc): node then loads three files instead of ~150 modules, which is
// most of what a one-shot command like `freestand check` spends before it starts working.
//   freestand.js, cargo-freestand.js  the entries: they answer --version themselves and load program.cjs
//   program.cjs                         every command and the libraries they use, as CommonJS, so that the
//                                       entries can load it with V8's code cache (src/cli/code-cache.ts)
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const common = { absWorkingDir: root, bundle: true, platform: "node", target: "node20", outdir: "dist/bin", logLevel: "warning" };
await build({
  ...common,
  format: "cjs",
  entryPoints: { program: "dist/src/cli/program.js" },
  outExtension: { ".js": ".cjs" },
  // import.meta does not exist in CommonJS: version.ts's lookup of the package root gets the bundle's own URL.
  define: { "import.meta.url": "__freestandModuleUrl" },
  banner: { js: 'var __freestandModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  // web-tree-sitter stays a package (it finds its .wasm beside its module); `import()` becomes `require()`,
  // which a script compiled with a code cache can call (vm has no stable loader for import() on node 20).
  external: ["web-tree-sitter"],
  supported: { "dynamic-import": false },
});
await build({
  ...common,
  format: "esm",
  entryPoints: { freestand: "dist/src/cli/main.js", "cargo-freestand": "dist/src/cli/cargo-freestand.js" },
  // Only reached without the bundle (tsc's output); never loaded from dist/bin.
  external: ["./program.js"],
});
