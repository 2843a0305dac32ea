//! {{name}}: a freestanding Linux program. No standard library, no libc, no C runtime: the kernel
//! jumps to `_start` (src/rt.rs), which calls `main`; output and exit are raw system calls (src/console.rs).
//! Its tests (src/tests.rs) run with `freestand test` (each failure apart) or `cargo test`.

// Only `core` (no `std`): there is no operating-system layer beneath us except raw system calls.
#![no_std]
// There is no C runtime to call a `main` for us: `_start` in src/rt.rs is the entry point.
#![no_main]

#[macro_use]
mod console;
mod rt;
// The test harness, in test builds only (`cargo test`, `freestand test`); its `tests!` macro is used below.
#[cfg(test)]
#[macro_use]
mod testing;

use core::panic::PanicInfo;

/// Called by `_start` once the stack is set up. It never returns: a program without a runtime ends by exiting.
#[cfg_attr(test, allow(unreachable_code))]
fn main() -> ! {
    // A test build runs the tests instead (src/testing.rs).
    #[cfg(test)]
    testing::run();
    let answer = 6 * 7;
    let ratio = 22.0_f64 / 7.0;
    println!("Hello from {{name}}, a freestanding Rust program on {{triple}}!");
    println!("The answer is {answer}, and 22/7 is about {ratio:.3}.");
    console::exit(0)
}

/// Every `no_std` binary must say what a panic does: print where and why on stderr, then exit with 101
/// (the code a Rust program that panics exits with).
#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    // In a test build, a panic during a test is that test's result: the harness reports it and goes on.
    #[cfg(test)]
    testing::panicked(info);
    eprintln!("{info}");
    console::exit(101)
}

#[cfg(test)]
mod tests;
