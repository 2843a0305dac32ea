import type { Rule } from "./types.js";
import type { Finding, RuleContext } from "./types.js";
import type { CrateUnit } from "../crate/model.js";
import type { Provision } from "../crate/providers.js";
import type { TargetFacts } from "../crate/target.js";
import { isPanicCrate, panicHandlers } from "./panic-handlers.js";
import { insertAt, namedList, rel } from "./helpers.js";

/** The instruction that parks a core until the next interrupt, per architecture (nothing better is known elsewhere). */
const PARK: Record<string, string> = { arm: "wfi", aarch64: "wfi", riscv32: "wfi", riscv64: "wfi", x86_64: "hlt", x86: "hlt", loongarch64: "idle 0" };

/**
 * The panic handler the fix adds, for the crate's target. On Linux it ends the process with status 101, like a
 * std program's panic; on bare metal it parks the core (there is no console it could be sure of). It uses the
 * file's own `PanicInfo` import when there is one, so no import is left unused.
 */
export function panicHandlerText(target: TargetFacts, fileText: string): string {
  const info = /\buse\s+core::panic::(?:\{[^}]*\bPanicInfo\b[^}]*\}|PanicInfo)\s*;/.test(fileText) ? "&PanicInfo" : "&core::panic::PanicInfo";
  if (target.hostLinux && (target.arch === "x86_64" || target.arch === "aarch64")) {
    const call =
      target.arch === "x86_64"
        ? '        core::arch::asm!("syscall", in("rax") 231, in("rdi") 101, options(noreturn));'
        : '        core::arch::asm!("svc 0", in("x8") 94, in("x0") 101, options(noreturn));';
    return `
/// Called on \`panic!\`: without std nothing unwinds or prints, so the process ends with status 101, as a Rust
/// program's panic would. Print \`_info\` (its \`Display\` has the message and place) through your console first
/// to see why.
#[panic_handler]
fn panic(_info: ${info}) -> ! {
    // SAFETY: exit_group(101) ends the process; it takes no memory and never returns.
    unsafe {
${call}
    }
}
`;
  }
  const park = target.arch ? PARK[target.arch] : undefined;
  const body = park ? `        // SAFETY: \`${park}\` only waits for an interrupt.\n        unsafe { core::arch::asm!("${park}") };` : "        core::hint::spin_loop();";
  return `
/// Called on \`panic!\`: a freestanding program has no unwinder and no console it can be sure of, so it parks
/// the core here. To see the message, print \`_info\` (its \`Display\` has the message and place) through your
/// console before the loop, or read it with a debugger.
#[panic_handler]
fn panic(_info: ${info}) -> ! {
    loop {
${body}
    }
}
`;
}

export const missingPanicHandler: Rule = {
  id: "missing_panic_handler",
  defaultSeverity: "error",
  summary: "a no_std binary needs exactly one `#[panic_handler]`",
  fixable: true,
  explanation: `## What it finds

A \`#![no_std]\` binary, example, staticlib or cdylib with no \`#[panic_handler]\` function that its build
compiles: in the crate, in its package's library when the crate uses it, or in a dependency — a panic crate
(\`panic-halt\`, \`panic-probe\`, any \`panic-*\` crate, \`esp-backtrace\`) or any dependency whose source, read
with the features cargo enables, defines one. When a dependency's source is not on this machine (not
downloaded), it is only a note: that dependency may be the one. All programs of a package that lack one are
reported together.

## Why it matters

\`core\` calls the panic handler on every \`panic!\`, failed bounds check or \`unwrap\` on \`None\`. The standard
library normally provides it; without std, rustc stops with
\`error: \`#[panic_handler]\` function required, but not found\`.

## How to fix it

Define one in the crate root:

\`\`\`rust
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    // print \`info\` on your console if you have one, then stop
    loop {}
}
\`\`\`

or depend on a panic crate and link it with \`use panic_halt as _;\`. \`freestand check --fix\` appends a
handler that fits the target: on Linux it ends the process with exit status 101 (like a Rust program's panic),
on bare metal it parks the core (\`wfi\`, \`hlt\`) — it prints nothing, since it cannot know your console.
`,
  async check(ctx) {
    const lacking = ctx.programs().filter((u) => ctx.isNoStd(u) && panicHandlers(ctx, u).length === 0);
    // Examples also link dev-dependencies (a `panic-halt` there serves them): judge the two groups apart.
    const groups = [lacking.filter((u) => u.spec.kind !== "example"), lacking.filter((u) => u.spec.kind === "example")];
    const out: Finding[] = [];
    for (const group of groups) {
      if (group.length === 0) continue;
      const provided = await ctx.dependencyProvides("panic_handler", isPanicCrate, group[0]);
      if (provided.kind === "yes") continue;
      // `extern crate x;` of a crate that is not a dependency: the package is not built as its manifest says
      // (a build system adds crates), so what it links is unknown.
      const strangers = undeclaredCrates(ctx, group);
      out.push(finding(ctx, group, strangers.length > 0 ? { kind: "unknown", unread: [...(provided.kind === "unknown" ? provided.unread : []), ...strangers] } : provided));
    }
    return out;
  },
};

const BUILTIN_CRATES = new Set(["core", "alloc", "std", "proc_macro", "test", "compiler_builtins", "self"]);

function undeclaredCrates(ctx: RuleContext, units: CrateUnit[]): string[] {
  const deps = new Set(ctx.crate.manifest.dependencies.flatMap((d) => [d.name, d.rename ?? d.name]).map((n) => n.replace(/-/g, "_")));
  const lib = ctx.lib()?.spec.name;
  const out = new Set<string>();
  for (const u of units) {
    for (const m of u.modules) {
      for (const x of m.source.text.matchAll(/\bextern\s+crate\s+(\w+)/g)) {
        const n = x[1]!;
        if (!BUILTIN_CRATES.has(n) && n !== lib && !deps.has(n)) out.add(n);
      }
    }
  }
  return [...out];
}

function finding(ctx: RuleContext, lacking: CrateUnit[], provided: Provision): Finding {
  const names = lacking.map((u) => rel(ctx.crate.dir, u.spec.root));
  const first = ctx.rootFacts(lacking[0]!);
  const out: Finding = {
    message: lacking.length === 1 ? `no \`#[panic_handler]\` for \`${names[0]}\`` : `no \`#[panic_handler]\` for ${lacking.length} programs: ${namedList(names)}`,
    file: lacking[0]!.spec.root,
    span: first.noStd ? first.root.source.span(first.noStd.node) : { start: 0, end: 0 },
    label: "without std, the crate must provide the panic handler",
    help: ["define `#[panic_handler] fn panic(info: &core::panic::PanicInfo) -> !`, or depend on a panic crate such as `panic-halt` and write `use panic_halt as _;`"],
    fix: {
      description: lacking.length === 1 ? "add a minimal `#[panic_handler]` to the crate root" : `add a minimal \`#[panic_handler]\` to each of the ${lacking.length} crate roots`,
      edits: lacking.map((u) => {
        const source = u.modules[0]!.source;
        return insertAt(source, source.text.length, panicHandlerText(ctx.target, source.text));
      }),
    },
  };
  if (provided.kind === "unknown") {
    // A dependency whose source is not on this machine may well be the one that provides it.
    out.severity = "info";
    out.message = `${out.message}, unless a dependency provides one`;
    out.notes = [`freestand could not read ${namedList(provided.unread)} (not downloaded, or not in Cargo.lock), so it cannot tell`];
    delete out.fix;
  }
  return out;
}
