//! {{name}}: a `no_std` library. It uses only `core`, so firmware, kernels and bootloaders can depend on it.
// {{#if tested_on_target}}
//! Its unit tests run on {{triple}} itself: `freestand test` runs each failing test apart (booting again after
//! it), `cargo test` runs them all at once through the runner in .cargo/config.toml.
// {{/if}}
// {{#unless tested_on_target}}
//! It is built for `{{triple}}` (see .cargo/config.toml); freestand cannot boot that target, so its unit tests
//! run on the host: `freestand test --target host` or `cargo test-host`.
// {{/unless}}
//! The tests read like Rust's, inside `tests! { ... }` (src/testing.rs).

#![no_std]
// A test build is a program of its own, entered by the boot code below rather than by a Rust `main`.
#![cfg_attr(test, no_main)]

/// Checksum used by many protocols (RFC 1071): the ones' complement of the ones' complement sum of
/// 16-bit big-endian words. Pure `core` code: no allocation, no I/O.
#[must_use]
pub fn internet_checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut words = data.chunks_exact(2);
    for word in &mut words {
        sum += u32::from(u16::from_be_bytes([word[0], word[1]]));
        // Fold the carry at once: `sum` stays within 16 bits plus one, however long the input.
        sum = (sum & 0xffff) + (sum >> 16);
    }
    if let [last] = words.remainder() {
        // An odd trailing byte is padded with a zero byte.
        sum += u32::from(*last) << 8;
    }
    // Fold the carries back into the low 16 bits.
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

// The test build's runtime, which the library itself never uses: the boot code that enters `main`, the
// console, and the harness.
// {{#if host_runtime}}
#[cfg(test)]
#[macro_use]
mod console;
#[cfg(test)]
mod rt;
// {{/if}}
// {{#unless host_runtime}}
#[cfg(test)]
#[macro_use]
mod print;
#[cfg(test)]
mod boot;
#[cfg(test)]
mod console;
// {{/unless}}
#[cfg(test)]
#[macro_use]
mod testing;

/// The test build's entry, called by the boot code: it runs the tests.
#[cfg(test)]
fn main() -> ! {
    testing::run()
}

/// A panic during a test is that test's result: the harness reports it and goes on.
#[cfg(test)]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    testing::panicked(info);
    // {{#if host_runtime}}
    eprintln!("{info}");
    // {{/if}}
    // {{#unless host_runtime}}
    println!("{info}");
    // {{/unless}}
    console::exit(101)
}

#[cfg(test)]
mod tests {
    use super::internet_checksum;

    tests! {
        #[test]
        fn matches_the_rfc_1071_example() {
            // RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 (checksum 0x220d).
            let bytes = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
            assert_eq!(internet_checksum(&bytes), 0x220d);
        }

        #[test]
        fn pads_an_odd_length() {
            assert_eq!(internet_checksum(&[0xff]), !0xff00);
        }

        #[test]
        fn a_long_input_does_not_overflow() {
            // 200 KiB of 0xff: 102,400 words of 0xffff, whose ones' complement sum is 0xffff again. (A static,
            // not a local array: 200 KiB would not fit on a small target's stack.)
            static ONES: [u8; 200 * 1024] = [0xff; 200 * 1024];
            assert_eq!(internet_checksum(&ONES), 0);
        }

        #[test]
        #[should_panic(expected = "index out of bounds")]
        fn indexing_past_the_end_panics() {
            let bytes = core::hint::black_box([1u8, 2]);
            let index = core::hint::black_box(2);
            let _ = bytes[index];
        }

        #[test]
        #[ignore = "runs only when asked: freestand test -- --ignored"]
        fn an_ignored_test() {
            assert_eq!(internet_checksum(&[]), 0xffff);
        }
    }
}
