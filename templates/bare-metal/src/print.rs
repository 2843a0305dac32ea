//! `print!` and `println!`, as in std, for a program without std: they format straight into the console
//! (src/console.rs), with no buffer and no allocation.

use crate::console::Console;
use core::fmt;

#[doc(hidden)]
pub fn write_args(args: fmt::Arguments) {
    // Output errors are ignored: there is nowhere else to report them.
    let _ = fmt::Write::write_fmt(&mut Console, args);
}

/// Prints to the console, like std's `print!`.
macro_rules! print {
    ($($arg:tt)*) => { $crate::print::write_args(format_args!($($arg)*)) };
}

/// Prints a line to the console, like std's `println!`.
macro_rules! println {
    () => { print!("\n") };
    ($($arg:tt)*) => { print!("{}\n", format_args!($($arg)*)) };
}

/// `n` in decimal, written from the end of `buf`: for lines that must not go through `core::fmt` (its calls
/// through pointers are what `freestand stack` cannot bound). Nothing here can panic: the panic handler's report
/// uses it, and a panic inside the panic handler would start over.
#[allow(dead_code)] // A library has no src/stack.rs, its one user on most targets.
pub fn decimal(n: u64, buf: &mut [u8; 20]) -> &str {
    let mut rest = n;
    let mut start = buf.len();
    for (i, slot) in buf.iter_mut().enumerate().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
        start = i;
        if rest == 0 {
            break;
        }
    }
    core::str::from_utf8(buf.get(start..).unwrap_or_default()).unwrap_or_default()
}
