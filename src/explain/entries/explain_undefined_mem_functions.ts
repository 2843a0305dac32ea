import type { ExplainEntry } from "../entry.js";
import { referenceLocation, referencesData, MEM_FUNCTIONS } from "./shared.js";

export const explainUndefinedMemFunctions: ExplainEntry = {
  code: "explain_undefined_mem_functions",
  title: "undefined symbol: `memcpy` / `memset` / `memmove` / `memcmp` / `bcmp`",
  summary: "nothing provides the C memory functions the compiler calls",
  defaultSeverity: "error",
  fixtures: ["undefined-mem"],
  explanation: `rustc turns copies, fills and comparisons into calls to \`memcpy\`, \`memmove\`, \`memset\`, \`memcmp\` and \`bcmp\`,
even in \`no_std\` code. Bare-metal targets get them from \`compiler_builtins\` (its \`mem\` feature, which rustup's
prebuilt \`core\` and \`freestand sysroot\` both enable; with \`-Zbuild-std\` add
\`-Zbuild-std-features=compiler-builtins-mem\`). The host target's precompiled \`compiler_builtins\` leaves them to
libc — which \`-nostdlib\` removes — so a freestanding Linux program defines them itself.

Written as plain Rust loops they do not work: the optimiser recognises a byte-copy loop and turns it back into a
call to \`memcpy\` — the function being defined, which then calls itself forever. On x86_64 the string instructions
do the job and cannot be turned back; \`freestand new\` puts exactly these in \`src/rt.rs\`:

\`\`\`rust
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    unsafe { core::arch::asm!("rep movsb", inout("rcx") n => _, inout("rdi") dest => _, inout("rsi") src => _, options(nostack, preserves_flags)) };
    dest
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dest as usize).wrapping_sub(src as usize) >= n {
        unsafe { memcpy(dest, src, n) };
    } else {
        unsafe { core::arch::asm!("std", "rep movsb", "cld", inout("rcx") n => _, inout("rdi") dest.add(n - 1) => _, inout("rsi") src.add(n - 1) => _, options(nostack)) };
    }
    dest
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(dest: *mut u8, c: i32, n: usize) -> *mut u8 {
    unsafe { core::arch::asm!("rep stosb", inout("rcx") n => _, inout("rdi") dest => _, in("al") c as u8, options(nostack, preserves_flags)) };
    dest
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i < n {
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
        i += 1;
    }
    0
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    unsafe { memcmp(a, b, n) }
}
\`\`\`

(A comparison loop is safe from that rewrite: LLVM turns copy and fill loops into calls, not comparisons.)

No \`check\` rule catches this: it only shows at link time.`,
  match(ctx) {
    const report = ctx.linker();
    const syms = [...report.undefined.keys()].filter((s) => MEM_FUNCTIONS.has(s));
    if (syms.length === 0) return undefined;
    const refs = syms.flatMap((s) => report.undefined.get(s)!);
    const triple = ctx.target();
    const host = triple !== undefined && /-linux-/.test(triple);
    return {
      message: host
        ? `nothing provides ${syms.map((s) => `\`${s}\``).join(", ")}: rustc emits calls to them, and linking without libc (\`-nostdlib\`) removed their only provider`
        : `nothing provides ${syms.map((s) => `\`${s}\``).join(", ")}: rustc emits calls to them, and this \`compiler_builtins\` was built without its \`mem\` feature`,
      help: host
        ? ["define them with instructions the optimiser cannot turn back into calls (x86_64: `rep movsb`, `rep stosb`), as the `src/rt.rs` of `freestand new --target host` does; `freestand explain explain_undefined_mem_functions` shows the code"]
        : ["use a `core` whose `compiler_builtins` has the `mem` feature: rustup's prebuilt one, or `freestand sysroot --target <target>`; with `-Zbuild-std`, add `-Zbuild-std-features=compiler-builtins-mem`"],
      data: { symbol: syms[0], symbols: syms, references: referencesData(refs), linker: report.flavour ?? null, target: triple ?? null },
      location: referenceLocation(refs),
    };
  },
};
