//! The stack's high-water mark, for `freestand run --stack`. freestand asks QEMU to fill the stack region with
//! a pattern before the program starts, with a mark in its lowest 8 bytes; `report` then finds the deepest byte
//! the program changed and prints it on a marker line `freestand run` reads. In a plain run, and on a board,
//! there is no mark and `report` says nothing; a stack that reached the mark overflowed, and says nothing too.
//! It writes its digits itself rather than through `println!`, so that reporting adds no call through a pointer
//! (`core::fmt` calls each argument's formatter that way) and `freestand stack` can bound a program that prints
//! nothing else with formatting.

use crate::console::Console;
use crate::print::decimal;
use core::fmt::Write;
use core::ptr::read_volatile;
#[cfg(test)]
use core::ptr::write_volatile;

unsafe extern "C" {
    /// The stack region link.x reserves: it grows down from the top.
    static _stack_bottom: u8;
    static _stack_top: u8;
}

/// What the fill starts with, and the byte it goes on with.
const MARK: [u8; 8] = *b"fsstack!";
const FILL: u8 = 0xa5;

/// Prints `\u{1}freestand-stack <used> <size>`: the bytes of the region from the deepest changed one to the top.
pub fn report() {
    let bottom = (&raw const _stack_bottom) as usize;
    let top = (&raw const _stack_top) as usize;
    // SAFETY: the lowest bytes of the stack region, which is RAM (volatile: QEMU, not the program, wrote them).
    if unsafe { read_volatile(bottom as *const [u8; 8]) } != MARK {
        return;
    }
    // The first byte above the mark that no longer holds the fill: the stack reached it.
    let deepest = (bottom + MARK.len()..top)
        // SAFETY: bytes of the stack region; the part in use is this program's own stack.
        .find(|&a| unsafe { read_volatile(a as *const u8) } != FILL)
        .unwrap_or(top);
    let used = top.wrapping_sub(deepest);
    let size = top.wrapping_sub(bottom);
    let mut out = Console;
    let _ = out.write_str("\u{1}freestand-stack ");
    let _ = out.write_str(decimal(used as u64, &mut [0; 20]));
    let _ = out.write_str(" ");
    let _ = out.write_str(decimal(size as u64, &mut [0; 20]));
    let _ = out.write_str("\n");
}

/// Under `freestand test --stack`, before each test: fills the stack below this point again, so that the report
/// after the test says how deep that test went (the harness's frames above it stay as they are).
#[cfg(test)]
pub fn refill() {
    let bottom = (&raw const _stack_bottom) as usize;
    // SAFETY: as in `report`.
    if unsafe { read_volatile(bottom as *const [u8; 8]) } != MARK {
        return;
    }
    let here = core::hint::black_box(0u8);
    // Below this function's frame, with room for the loop itself (it calls nothing).
    let below = ((&raw const here) as usize).saturating_sub(256);
    for a in bottom + MARK.len()..below {
        // SAFETY: unused bytes of the stack region, below every live frame.
        unsafe { write_volatile(a as *mut u8, FILL) };
    }
}
