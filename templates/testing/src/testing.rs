//! A test harness for a crate without `std`, on stable Rust: libtest (what `#[test]` normally uses) needs `std`,
//! and custom test frameworks are nightly-only. Tests are written inside `tests! { ... }`, each a function
//! marked `#[test]` as usual; the macro puts an entry for each into the linker section `freestand_tests`, and
//! `run` finds them all there, whatever module they are in. docs/testing.md of freestand says why it works so.
//!
//! `cargo test` builds the crate with `cfg(test)` and without libtest (`harness = false` in Cargo.toml), boots
//! it through the runner, and this harness runs every test in one go. `freestand test` runs the same binary,
//! but tells it (through `FREESTAND_TEST_PLAN`) which tests to run, so that it can boot again after a test
//! that faults, hangs or panics: one test never hides the others.

use core::panic::PanicInfo;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

/// One test, as `tests!` records it.
pub struct Test {
    /// `module_path!()` where it is written (the crate's name first).
    pub module: &'static str,
    pub name: &'static str,
    pub run: fn(),
    /// `#[ignore]`, with its reason when one is given (`#[ignore = "slow"]`).
    pub ignore: Option<&'static str>,
    /// `#[should_panic]`: `Some("")`; with `expected = "text"`: `Some("text")`.
    pub should_panic: Option<&'static str>,
    /// `#[timeout(ms = 500)]`: how long `freestand test` waits before calling the test hung (0: its default).
    pub timeout_ms: u32,
}

impl Test {
    #[doc(hidden)]
    #[must_use]
    pub const fn new(module: &'static str, name: &'static str, run: fn()) -> Test {
        Test {
            module,
            name,
            run,
            ignore: None,
            should_panic: None,
            timeout_ms: 0,
        }
    }

    #[doc(hidden)]
    #[must_use]
    #[allow(dead_code, reason = "used by the tests that are ignored")]
    pub const fn ignored(self, reason: &'static str) -> Test {
        Test {
            ignore: Some(reason),
            ..self
        }
    }

    #[doc(hidden)]
    #[must_use]
    #[allow(dead_code, reason = "used by the tests that should panic")]
    pub const fn panics(self, expected: &'static str) -> Test {
        Test {
            should_panic: Some(expected),
            ..self
        }
    }

    #[doc(hidden)]
    #[must_use]
    #[allow(dead_code, reason = "used by the tests that set a timeout")]
    pub const fn timeout(self, ms: u32) -> Test {
        Test {
            timeout_ms: ms,
            ..self
        }
    }

    /// The name libtest would show: the module path without the crate's name, then the function.
    fn path(&self) -> (&'static str, &'static str) {
        let module = self.module.split_once("::").map_or("", |(_, rest)| rest);
        (module, self.name)
    }
}

impl core::fmt::Display for Test {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.path() {
            ("", name) => f.write_str(name),
            (module, name) => write!(f, "{module}::{name}"),
        }
    }
}

/// Tests, written as Rust tests are: `#[test] fn name() { ... }`, with `#[should_panic]`,
/// `#[should_panic(expected = "text")]`, `#[ignore]`, `#[ignore = "reason"]` and `#[timeout(ms = 500)]`.
macro_rules! tests {
    ($( $(#[$($attr:tt)*])* fn $name:ident() $body:block )*) => {
        $(
            fn $name() $body

            const _: () = {
                // The linker gathers every entry of the crate into one section; `run` reads them from there.
                #[used]
                #[unsafe(link_section = "freestand_tests")]
                #[allow(clippy::redundant_locals, reason = "`#[test]` itself changes nothing")]
                static ENTRY: $crate::testing::Test = {
                    let test = $crate::testing::Test::new(module_path!(), stringify!($name), $name);
                    $( let test = test_attribute!(test, $($attr)*); )*
                    test
                };
            };
        )*
    };
}

/// One attribute of a test in `tests!`.
macro_rules! test_attribute {
    ($t:expr, test) => { $t };
    ($t:expr, doc = $text:literal) => { $t };
    ($t:expr, ignore) => { $t.ignored("") };
    ($t:expr, ignore = $reason:literal) => { $t.ignored($reason) };
    ($t:expr, should_panic) => { $t.panics("") };
    ($t:expr, should_panic(expected = $text:literal)) => { $t.panics($text) };
    ($t:expr, timeout(ms = $ms:literal)) => { $t.timeout($ms) };
    ($t:expr, $($other:tt)*) => {
        compile_error!(concat!(
            "`#[", stringify!($($other)*), "]` is not a test attribute here: use #[test], #[should_panic], ",
            "#[should_panic(expected = \"...\")], #[ignore], #[ignore = \"...\"] or #[timeout(ms = ...)]"
        ))
    };
}

unsafe extern "C" {
    // The linker defines these around the `freestand_tests` section (link.x does it by name too). Only their
    // addresses mean something: declared as bytes, which any address can hold.
    static __start_freestand_tests: u8;
    static __stop_freestand_tests: u8;
}

/// Every test of the crate, in link order.
#[allow(
    clippy::cast_ptr_alignment,
    reason = "the entries, and so the section's start, are aligned for `Test`"
)]
fn all() -> &'static [Test] {
    let start = (&raw const __start_freestand_tests).cast::<Test>();
    let bytes = (&raw const __stop_freestand_tests) as usize - start as usize;
    // SAFETY: the section holds nothing but `Test` statics, each aligned to and a multiple of its size.
    unsafe { core::slice::from_raw_parts(start, bytes / size_of::<Test>()) }
}

/// What to run. `freestand test` rewrites these bytes in a copy of the binary before each boot (it finds them by
/// the symbol's name); as built, they ask for a plain run of every test. Layout: the magic `FSTPLAN1`, the mode
/// (0 plain, 1 list, 2 run), three unused bytes, the position to start from (u32, little-endian), then one bit
/// per test position of the tests to run.
#[used]
#[unsafe(no_mangle)]
static FREESTAND_TEST_PLAN: [u8; 16 + MAX_TESTS / 8] = {
    let mut plan = [0; 16 + MAX_TESTS / 8];
    let magic = *b"FSTPLAN1";
    let mut i = 0;
    while i < magic.len() {
        plan[i] = magic[i];
        i += 1;
    }
    plan
};

const MAX_TESTS: usize = 2048;

/// The plan, read as the machine sees it (volatile: the compiler must not assume the bytes it built).
fn plan() -> [u8; 16 + MAX_TESTS / 8] {
    // SAFETY: a plain read of a static array.
    unsafe { core::ptr::read_volatile(&raw const FREESTAND_TEST_PLAN) }
}

/// Marks the lines `freestand test` reads among the tests' own output.
const MARK: &str = "\u{1}freestand-test";

/// The test running now, by position (`usize::MAX`: none), so that a panic knows whose it is.
static CURRENT: AtomicUsize = AtomicUsize::new(usize::MAX);
static PASSED: AtomicU32 = AtomicU32::new(0);
static FAILED: AtomicU32 = AtomicU32::new(0);
static IGNORED: AtomicU32 = AtomicU32::new(0);

/// Counts one more. A load and a store, not `fetch_add`: the harness runs on one core with no interrupts, and
/// ARMv6-M (Cortex-M0) has no read-modify-write atomics.
fn count(counter: &AtomicU32) {
    counter.store(counter.load(Ordering::SeqCst) + 1, Ordering::SeqCst);
}

/// The tests sorted by name, as libtest runs them, with their positions: found without allocating, by taking
/// each time the least name after the previous one.
fn sorted() -> impl Iterator<Item = (usize, &'static Test)> {
    let mut previous: Option<&'static Test> = None;
    (0..all().len()).map_while(move |position| {
        let next = all()
            .iter()
            .filter(|t| previous.is_none_or(|p| t.path() > p.path()))
            .min_by_key(|t| t.path())?;
        previous = Some(next);
        Some((position, next))
    })
}

/// The test at a position of `sorted`.
fn at(position: usize) -> Option<&'static Test> {
    sorted().nth(position).map(|(_, t)| t)
}

/// Runs the tests (called instead of `main` in a test build); never returns.
pub fn run() -> ! {
    let plan = plan();
    let count = all().len();
    match plan[8] {
        1 => list(count),
        2 => {
            let start = u32::from_le_bytes([plan[12], plan[13], plan[14], plan[15]]) as usize;
            run_selected(start, &plan[16..])
        }
        _ => {
            println!(
                "note: running without isolation: a test that faults or hangs stops the run (`freestand test` runs each apart)"
            );
            println!();
            println!("running {count} test{}", if count == 1 { "" } else { "s" });
            run_plain(0)
        }
    }
}

/// Mode 1: every test and its attributes, for `freestand test`.
fn list(count: usize) -> ! {
    for (position, t) in sorted() {
        println!("{MARK} test {position} {} {t}", t.timeout_ms);
        if let Some(reason) = t.ignore {
            println!("{MARK} ignore {position} {reason:?}");
        }
        if let Some(expected) = t.should_panic {
            println!("{MARK} should-panic {position} {expected:?}");
        }
    }
    println!("{MARK} listed {count}");
    crate::console::exit(0)
}

/// Mode 2: the selected tests from `start` on, each between `start` and `ok` marks; a panic ends the boot
/// (`panicked` reports it) and `freestand test` boots again from the next test.
fn run_selected(start: usize, selected: &[u8]) -> ! {
    for (position, t) in sorted()
        .skip(start)
        .take_while(|(position, _)| *position < MAX_TESTS)
    {
        if selected[position / 8] & (1 << (position % 8)) == 0 {
            continue;
        }
        println!("{MARK} start {position}");
        // {{#if stack_probe}}
        // Under `freestand test --stack`: the stack below here filled again, its depth reported after the test.
        crate::stack::refill();
        // {{/if}}
        CURRENT.store(position, Ordering::SeqCst);
        (t.run)();
        CURRENT.store(usize::MAX, Ordering::SeqCst);
        // {{#if stack_probe}}
        crate::stack::report();
        // {{/if}}
        println!("{MARK} ok {position}");
    }
    println!("{MARK} done");
    crate::console::exit(0)
}

/// Mode 0 (`cargo test`): every test from `position` on, reported as libtest does. A panic comes back here
/// through `panicked` (on the panicked test's stack: there is no unwinding).
fn run_plain(from: usize) -> ! {
    for (position, t) in sorted().skip(from) {
        if let Some(reason) = t.ignore {
            println!(
                "test {t} ... ignored{}{reason}",
                if reason.is_empty() { "" } else { ", " }
            );
            count(&IGNORED);
        } else {
            CURRENT.store(position, Ordering::SeqCst);
            (t.run)();
            CURRENT.store(usize::MAX, Ordering::SeqCst);
            if t.should_panic.is_some() {
                println!("test {t} - should panic ... FAILED");
                println!("note: test did not panic as expected");
                count(&FAILED);
            } else {
                println!("test {t} ... ok");
                count(&PASSED);
            }
        }
    }
    let (passed, failed, ignored) = (
        PASSED.load(Ordering::SeqCst),
        FAILED.load(Ordering::SeqCst),
        IGNORED.load(Ordering::SeqCst),
    );
    println!();
    println!(
        "test result: {}. {passed} passed; {failed} failed; {ignored} ignored; 0 measured; 0 filtered out",
        if failed == 0 { "ok" } else { "FAILED" }
    );
    crate::console::exit(if failed == 0 { 0 } else { 101 })
}

/// Called first by the crate's panic handler in a test build. During a test, the panic is that test's result:
/// reported, then the run goes on (never returns). Outside a test it returns, and the handler does the rest.
pub fn panicked(info: &PanicInfo) {
    // Taken and cleared (a load and a store: see `count`).
    let position = CURRENT.load(Ordering::SeqCst);
    CURRENT.store(usize::MAX, Ordering::SeqCst);
    let Some(t) = (position != usize::MAX).then(|| at(position)).flatten() else {
        return;
    };
    if plan()[8] == 2 {
        // {{#if stack_probe}}
        crate::stack::report();
        // {{/if}}
        println!("{MARK} panic {position}");
        println!("{info}");
        println!("{MARK} end");
        crate::console::exit(101);
    }
    let mut message = Message::default();
    let _ = core::fmt::write(&mut message, format_args!("{}", info.message()));
    match t.should_panic {
        Some(expected) if message.contains(expected) => {
            println!("test {t} - should panic ... ok");
            count(&PASSED);
        }
        Some(expected) => {
            println!("test {t} - should panic ... FAILED");
            println!("{info}");
            println!("note: the panic did not contain the expected string {expected:?}");
            count(&FAILED);
        }
        None => {
            println!("test {t} ... FAILED");
            println!("{info}");
            count(&FAILED);
        }
    }
    run_plain(position + 1)
}

/// The start of a panic message (enough to look for `expected`), kept without allocating.
struct Message {
    bytes: [u8; 512],
    len: usize,
}

impl Default for Message {
    fn default() -> Message {
        Message {
            bytes: [0; 512],
            len: 0,
        }
    }
}

impl core::fmt::Write for Message {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.bytes.len() - self.len);
        self.bytes[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

impl Message {
    fn contains(&self, expected: &str) -> bool {
        let text = &self.bytes[..self.len];
        expected.is_empty()
            || text
                .windows(expected.len())
                .any(|w| w == expected.as_bytes())
    }
}
