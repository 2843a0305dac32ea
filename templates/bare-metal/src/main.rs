//! {{name}}: a freestanding program for {{triple}}. No operating system, no standard library: QEMU (or the
//! board) jumps to the boot code in src/boot.rs, which prepares the CPU and memory and calls `main`; output
//! goes to the machine's console and `exit` stops the machine (src/console.rs). Run it with `freestand run`
//! or `cargo run`; its tests (src/tests.rs) run on the target too, with `freestand test` (each
//! failure apart) or `cargo test` (all in one boot).

// Only `core` (no `std`): there is no operating system beneath us.
#![no_std]
// Nothing calls a Rust `main` for us: the boot code in src/boot.rs is the entry point.
#![no_main]

// {{#if alloc}}
// `alloc` gives `String`, `Vec` and `Box` once a `#[global_allocator]` exists (src/heap.rs).
extern crate alloc;
mod heap;

// {{/if}}
// `#[macro_use]` makes `print!` and `println!` (src/print.rs) usable in this file and in the modules declared
// after it.
#[macro_use]
mod print;
mod boot;
mod console;
mod stack;
// The test harness, in test builds only (`cargo test`, `freestand test`); its `tests!` macro is used below.
#[cfg(test)]
#[macro_use]
mod testing;

// {{#if alloc}}
use alloc::{string::String, vec, vec::Vec};
use core::fmt::Write as _;
// {{/if}}
use core::panic::PanicInfo;

/// Called by the boot code once the stack, `.data` and `.bss` are ready. It never returns: there is nothing
/// to return to, so a freestanding program ends by stopping the machine.
#[cfg_attr(test, allow(unreachable_code))]
fn main() -> ! {
    // A test build runs the tests instead (src/testing.rs).
    #[cfg(test)]
    testing::run();
    let answer = 6 * 7;
    let ratio = 22.0_f64 / 7.0;
    println!("Hello from {{name}}, a freestanding Rust program on {{triple}}!");
    println!("The answer is {answer}, and 22/7 is about {ratio:.3}.");
    // {{#if alloc}}
    heap_demo();
    // {{/if}}
    // Under `freestand run --stack`, how deep the stack went (nothing otherwise).
    stack::report();
    console::exit(0)
}
// {{#if alloc}}

/// Uses the heap: a growing `Vec`, a formatted `String`, then enough short-lived allocations to pass twice
/// through the whole heap, which only works because freed blocks are reused.
fn heap_demo() {
    let squares: Vec<u32> = (1..=10).map(|n| n * n).collect();
    let mut text = String::new();
    let sum: u32 = squares.iter().sum();
    // Writing into a String cannot fail; `write!` returns a Result only because other writers can.
    let _ = write!(text, "squares {squares:?}, sum {sum}");
    println!("alloc: {text}");

    let heap_size = heap::size();
    let mut total = 0;
    let mut round: u8 = 0;
    while total <= 2 * heap_size {
        // A quarter of the heap each round: without reuse of freed blocks the fifth round would fail.
        let block = vec![round; heap_size / 4];
        // `black_box` keeps the optimiser from removing an allocation whose contents are never read.
        total += core::hint::black_box(&block).len();
        round = round.wrapping_add(1);
    }
    println!("alloc: {total} bytes allocated and freed through a {heap_size}-byte heap");
}
// {{/if}}

/// Every `no_std` binary must say what a panic does: print the message and location, then stop the machine
/// with exit code 101 (the code a Rust program that panics exits with).
#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    // In a test build, a panic during a test is that test's result: the harness reports it and goes on.
    #[cfg(test)]
    testing::panicked(info);
    println!("{info}");
    stack::report();
    console::exit(101)
}

#[cfg(test)]
mod tests;
