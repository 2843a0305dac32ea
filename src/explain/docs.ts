/** docs/explain.md, rendered from the catalogue itself so the page and `freestand explain explain_…` never differ. */
import { CATALOGUE } from "./catalogue.js";

export function explainDocMarkdown(): string {
  const out: string[] = [
    "# Compiler and linker errors freestand explains",
    "",
    "<!-- Generated from src/explain/catalogue.ts; regenerate with",
    "     FREESTAND_UPDATE_DOCS=1 node --test dist/test/explain/docs.test.js -->",
    "",
    "`freestand build` attaches an explanation to each error below, as `= note:` and `= help:` lines under cargo's own",
    "text, and ends with \"N errors, M explained\". The same works on saved or pasted output:",
    "",
    "```sh",
    "cargo build 2>&1 | freestand explain -           # cargo's text from stdin",
    "freestand explain build.log                       # a saved log (text, or --message-format=json output)",
    "freestand explain - --format json < build.log     # json or sarif, like `freestand check`",
    "freestand explain explain_e0463_std               # one entry's page",
    "freestand explain E0463                           # the pages for a rustc error code",
    "freestand explain --list                          # every code freestand knows",
    "```",
    "",
    "Errors that are not in the catalogue pass through unchanged. The exit code is 1 when the input has errors.",
    "An entry names the `freestand check` rule that finds the cause before compiling only where that rule really",
    "fires on the crate that provoked it (a test checks each one). Every entry is tested against real output",
    "provoked with each compiler of the test machine that can produce it — rustup's stable and nightly, Debian's",
    "rustc-web (test/fixtures/explain/provoke.sh).",
    "",
    "| code | error | caught before compiling by |",
    "|---|---|---|",
  ];
  for (const e of CATALOGUE) {
    const by = e.rule ? `\`freestand check\` (\`${e.rule}\`)` : e.caughtBy ? `\`${e.caughtBy.replace(/ \(.*\)$/, "")}\`` : "—";
    out.push(`| [\`${e.code}\`](explain/${e.code}.md) | ${e.title.replace(/\|/g, "\\|")} | ${by} |`);
  }
  out.push("", "Each entry's page (docs/explain/<code>.md, written by scripts/code-docs.mjs) is what `freestand explain <code>` prints.");
  return out.join("\n") + "\n";
}
