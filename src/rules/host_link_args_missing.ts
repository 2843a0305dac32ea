import { targetTableHeader, targetTablePath } from "../cargo/config.js";
import type { Rule } from "./types.js";
import type { TextEdit } from "../diagnostics/types.js";
import { requireTarget } from "../targets/catalog.js";
import { findEntry } from "../cargo/toml.js";
import { tomlArrayAppendEdit, tomlSetEdits } from "../cargo/toml-edit.js";
import { configToEdit } from "./cargo-config-edit.js";
import { bareMetalIntent } from "./target_not_configured.js";
import { allLinkArgs, allRustflags } from "./link-args.js";
import { codeList, rel } from "./helpers.js";

/** The host flavour's flags, from the target catalogue: no C start files, no libc, a static non-PIE executable. */
function hostFlags(): string[] {
  return requireTarget("host").rustflags ?? [];
}

/** Pairs `-C x` so each required flag can be looked for (and added) as a unit. */
function flagPairs(flags: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < flags.length; i++) {
    if ((flags[i] === "-C" || flags[i] === "-Z") && i + 1 < flags.length) out.push([flags[i]!, flags[++i]!]);
    else out.push([flags[i]!]);
  }
  return out;
}

export const hostLinkArgsMissing: Rule = {
  id: "host_link_args_missing",
  defaultSeverity: "error",
  summary: "a freestanding binary for the host needs `-nostartfiles -nostdlib -static` at link time",
  fixable: true,
  explanation: `## What it finds

A \`#![no_main]\` binary built for a hosted Linux target (the host, when no bare-metal target is configured)
whose rustflags (\`.cargo/config.toml\`, \`RUSTFLAGS\`) and build script do not pass \`-nostartfiles\`,
\`-nostdlib\` and \`-static\` to the linker, or not \`-C relocation-model=static\`.

## Why it matters

rustc links a Linux binary through \`cc\`, which adds the C runtime: \`crt1.o\` with its own \`_start\` that calls
\`main\` and \`__libc_start_main\`. With \`#![no_main]\` there is no \`main\`, and your \`_start\` collides with the
C one: \`undefined reference to \`main\`\` or \`multiple definition of \`_start\`\`. Without \`-static\` the result is
a dynamically linked executable that asks for a loader it does not need; a static position-independent
executable links, but crashes at once because nothing applies its relocations.

## How to fix it

\`\`\`toml
# .cargo/config.toml
[target.x86_64-unknown-linux-gnu]
rustflags = ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static"]
\`\`\`

\`freestand check --fix\` adds the missing flags to the project's \`.cargo/config.toml\` (creating it if needed).
`,
  check(ctx) {
    if (!ctx.target.hostLinux || !ctx.targetKnown || !ctx.freestanding) return [];
    if (!ctx.target.explicit && bareMetalIntent(ctx)) return []; // target_not_configured says what is really wrong.
    const bins = ctx.bins().filter((u) => ctx.rootFacts(u).noMainState === true);
    // A program that exports its own C `main` is started by the C runtime on purpose (a libc program without std).
    const cMain = /#\s*\[\s*(?:unsafe\s*\(\s*)?(?:no_mangle|export_name\s*=\s*"main")[^\]]*\]\s*(?:#\s*\[[^\]]*\]\s*)*(?:pub\s+)?(?:unsafe\s+)?extern\s+"C"\s+fn\s+main\b/;
    if (bins.length === 0 || bins.every((u) => u.modules.some((m) => cMain.test(m.source.text)))) return [];
    const link = new Set(allLinkArgs(ctx));
    const rustflags = allRustflags(ctx);
    const present = (pair: string[]): boolean => {
      const flag = pair.join("").replace(/^-C/, "");
      if (flag.startsWith("link-arg=")) {
        const arg = flag.slice("link-arg=".length);
        // gcc's -nostdlib also drops the start files.
        return link.has(arg) || (arg === "-nostartfiles" && link.has("-nostdlib"));
      }
      const joined = flagPairs(rustflags).map((p) => p.join("").replace(/^-C/, ""));
      return joined.includes(flag);
    };
    const required = flagPairs(hostFlags());
    const missing = required.filter((p) => !present(p));
    if (missing.length === 0) return [];
    const startFilesMissing = missing.some((p) => p.join("").includes("-nostartfiles"));
    const names = missing.map((p) => p[p.length - 1]!.replace(/^link-arg=/, ""));
    const triple = ctx.target.triple;
    const doc = configToEdit(ctx);
    const addFlags = missing.flat();
    let edits: TextEdit[];
    const targetFlags = findEntry(doc, [...targetTablePath(triple), "rustflags"]);
    const buildFlags = findEntry(doc, ["build", "rustflags"]);
    const existing = targetFlags ?? (buildFlags && !findEntry(doc, targetTablePath(triple)) ? buildFlags : undefined);
    if (existing && existing.value.type === "TOMLArray") {
      edits = [tomlArrayAppendEdit(doc, existing.value.range, addFlags, existing.value.elements.length)];
    } else if (existing) {
      edits = []; // rustflags written as a string: leave the rewrite to the user.
    } else {
      // target.<triple>.rustflags replaces build.rustflags, so carry those over.
      const inherited = buildFlags && Array.isArray((doc.value.build as { rustflags?: unknown })?.rustflags) ? ((doc.value.build as { rustflags: string[] }).rustflags) : [];
      const value = `[${[...inherited, ...addFlags].map((f) => JSON.stringify(f)).join(", ")}]`;
      edits = tomlSetEdits(doc, [{ table: targetTablePath(triple), key: "rustflags", value }]);
    }
    // Nothing chose a target and nothing says which one is meant: it may be a host program or firmware whose
    // target was never written down. Offer both.
    const undecided = !ctx.target.explicit;
    const hostHelp = `add to \`[${targetTableHeader(triple)}] rustflags\` in .cargo/config.toml: ${addFlags.map((f) => JSON.stringify(f)).join(", ")}`;
    return [
      {
        message: undecided
          ? `\`#![no_main]\` binary with no target configured, and not linked for the host (${codeList(names)} missing)`
          : `the host binary is linked without ${codeList(names)}`,
        severity: startFilesMissing ? "error" : "warning",
        file: ctx.manifestPath,
        notes: [
          startFilesMissing
            ? "the C runtime's `_start` (crt1.o) collides with the program's own entry, and it calls a `main` that `#![no_main]` removed"
            : "without these the executable is dynamic or position-independent, and nothing relocates it",
        ],
        help: undecided
          ? [
              "for a bare-metal target, write it into `.cargo/config.toml` (`[build] target = \"thumbv7em-none-eabihf\"`, say) with the linker script the chip needs",
              `to run it on Linux instead, ${hostHelp}`,
            ]
          : [hostHelp],
        fix: edits.length > 0 ? { description: `link it for the host: add the link arguments to ${rel(ctx.crate.dir, doc.path)}`, edits } : undefined,
      },
    ];
  },
};
