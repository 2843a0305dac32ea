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
