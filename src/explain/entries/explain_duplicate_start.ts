import type { ExplainEntry } from "../entry.js";
import { referenceLocation, referencesData } from "./shared.js";

export const explainDuplicateStart: ExplainEntry = {
  code: "explain_duplicate_start",
  title: "duplicate symbol: `_start` (the C runtime's start files)",
  summary: "the C runtime's `crt1.o` was linked next to your `_start`",
  defaultSeverity: "error",
  rule: "host_link_args_missing",
  fixtures: ["duplicate-start"],
  explanation: `On a host target, \`cc\` links the C runtime's start files (\`crt1.o\`/\`Scrt1.o\`), which define \`_start\` and
call libc's \`main\`. A freestanding binary brings its own \`_start\`, so the linker sees two (lld: \`duplicate symbol:
_start\`; GNU ld: \`multiple definition of \`_start'\`, usually with \`undefined reference to \`main'\`). Link without
them:

\`\`\`toml
[target.x86_64-unknown-linux-gnu]
rustflags = ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static"]
\`\`\`

Caught before compiling by \`freestand check\` (\`host_link_args_missing\`).`,
  match(ctx) {
    const report = ctx.linker();
    const sym = [...report.duplicate.keys()].find((s) => s === "_start" || s === "start" || s === "__start");
    if (!sym) return undefined;
    const refs = report.duplicate.get(sym)!;
    const crt = refs.map((r) => r.object ?? r.file ?? "").find((p) => /crt\d?\.o|crt1|Scrt1|crt0/.test(p));
    return {
      message: `\`${sym}\` is defined twice: by your code and by the C runtime's start file${crt ? ` (${crt.split("/").pop()})` : ""}, which \`cc\` links by default`,
      help: ["link without the C runtime: add `-C link-arg=-nostartfiles` (with `-nostdlib -static`) to the target's rustflags in `.cargo/config.toml`"],
      data: { symbol: sym, definitions: referencesData(refs), linker: report.flavour ?? null },
      location: referenceLocation(refs),
    };
  },
};
