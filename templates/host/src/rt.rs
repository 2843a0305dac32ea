//! The runtime a C library would otherwise provide: the entry point, the memory functions the compiler
//! calls, and the one unwinding symbol that the precompiled `core` still refers to.

use core::arch::{asm, global_asm};

// The kernel enters `_start` with the stack pointer on argc, aligned to 16 bytes; Rust functions expect it
// 8 bytes off that (as if a `call` had just pushed a return address). A Rust `_start` would run misaligned
// and crash in SSE code (float formatting), so this small assembly trampoline does it right.
global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    // Zero the frame pointer: debuggers and backtraces stop at the outermost frame.
    "    xor ebp, ebp",
    // Align the stack to 16 bytes; the `call` below then pushes the return address as the ABI expects.
    "    and rsp, -16",
    "    call {main}",
    // `main` never returns; trap if it somehow did.
    "    ud2",
    main = sym start_main,
);

/// The C-ABI bridge from the trampoline into Rust's `main`.
extern "C" fn start_main() -> ! {
    crate::main()
}

// The compiler turns copies, moves, fills and comparisons into calls to these C functions, which libc would
// provide. Copy, move and fill are x86 string instructions, not Rust loops: the optimizer recognises such a
// loop and turns it back into a call to the very function being defined. It has no such idiom for a
// comparison, so memcmp and bcmp are plain loops.

/// Copies `n` bytes from `src` to `dest`; the regions must not overlap.
///
/// # Safety
/// `src` must be valid for reads and `dest` for writes of `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller guarantees both regions; the direction flag is clear per the ABI.
    unsafe {
        asm!("rep movsb", inout("rcx") n => _, inout("rdi") dest => _, inout("rsi") src => _,
            options(nostack, preserves_flags));
    }
    dest
}

/// Copies `n` bytes from `src` to `dest`; the regions may overlap.
///
/// # Safety
/// `src` must be valid for reads and `dest` for writes of `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dest as usize).wrapping_sub(src as usize) >= n {
        // `dest` is below `src` or past its end: a forward copy never overwrites bytes not yet read.
        // SAFETY: as for memcpy.
        unsafe {
            memcpy(dest, src, n);
        }
    } else {
        // `dest` starts inside the source: copy backwards, from the last byte, with the direction flag set.
        // SAFETY: the caller guarantees both regions; the flag is cleared again before returning.
        unsafe {
            asm!("std", "rep movsb", "cld",
                inout("rcx") n => _, inout("rdi") dest.add(n - 1) => _, inout("rsi") src.add(n - 1) => _,
                options(nostack));
        }
    }
    dest
}

/// Fills `n` bytes at `dest` with the byte `c`.
///
/// # Safety
/// `dest` must be valid for writes of `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(dest: *mut u8, c: i32, n: usize) -> *mut u8 {
    // SAFETY: the caller guarantees the region.
    unsafe {
        asm!("rep stosb", inout("rcx") n => _, inout("rdi") dest => _, in("al") c as u8,
            options(nostack, preserves_flags));
    }
    dest
}

/// Compares `n` bytes; returns the difference of the first pair that differs, or 0.
///
/// # Safety
/// Both pointers must be valid for reads of `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i < n {
        // SAFETY: i < n, and the caller guarantees n readable bytes.
        let (left, right) = unsafe { (*a.add(i), *b.add(i)) };
        if left != right {
            return i32::from(left) - i32::from(right);
        }
        i += 1;
    }
    0
}

/// Like memcmp, but only zero versus non-zero matters (the compiler uses it for `==` on byte slices).
///
/// # Safety
/// Both pointers must be valid for reads of `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: same contract.
    unsafe { memcmp(a, b, n) }
}

/// The host's precompiled `core` is built for unwinding, so its formatting code refers to the unwinder's
/// personality routine even with `panic = "abort"`. With abort it is never called.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}
