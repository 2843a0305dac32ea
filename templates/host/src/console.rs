//! Output and exit through raw Linux system calls: without libc there is no `write()` or `exit()` to call.

use core::arch::asm;
use core::fmt;

const SYS_WRITE: usize = 1;
const SYS_EXIT_GROUP: usize = 231;
const EINTR: isize = 4;

/// One file descriptor, written with the `write` system call; implements `core::fmt::Write` so that
/// `write!` and the `print!` macros below can format into it without allocating.
pub struct Fd(pub usize);

impl fmt::Write for Fd {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut bytes = s.as_bytes();
        while !bytes.is_empty() {
            let ret: isize;
            // SAFETY: write(2) reads `len` bytes from a valid slice; the kernel clobbers rcx and r11.
            unsafe {
                asm!("syscall",
                    inlateout("rax") SYS_WRITE => ret,
                    in("rdi") self.0,
                    in("rsi") bytes.as_ptr(),
                    in("rdx") bytes.len(),
                    lateout("rcx") _, lateout("r11") _,
                    options(nostack));
            }
            match ret {
                // A signal interrupted the call before anything was written: try again.
                r if r == -EINTR => {}
                r if r < 0 => return Err(fmt::Error),
                // write(2) may write fewer bytes than asked: continue with the rest. (`get`, not indexing:
                // no bounds-check panic, so a program that never formats stays small.)
                n => bytes = bytes.get(n as usize..).unwrap_or_default(),
            }
        }
        Ok(())
    }
}

/// Ends the process (all threads) with `code`.
pub fn exit(code: i32) -> ! {
    // SAFETY: exit_group(2) does not return.
    unsafe {
        asm!("syscall", in("rax") SYS_EXIT_GROUP, in("rdi") code as isize, options(noreturn, nostack))
    }
}

#[doc(hidden)]
pub fn write_args(fd: usize, args: fmt::Arguments) {
    // Output errors are ignored, as std's print! would panic instead; there is nowhere to report them.
    let _ = fmt::Write::write_fmt(&mut Fd(fd), args);
}

/// Prints to standard output, like std's `print!`.
macro_rules! print {
    ($($arg:tt)*) => { $crate::console::write_args(1, format_args!($($arg)*)) };
}

/// Prints a line to standard output, like std's `println!`.
macro_rules! println {
    () => { print!("\n") };
    ($($arg:tt)*) => { print!("{}\n", format_args!($($arg)*)) };
}

/// Prints a line to standard error, like std's `eprintln!`.
macro_rules! eprintln {
    ($($arg:tt)*) => { $crate::console::write_args(2, format_args!("{}\n", format_args!($($arg)*))) };
}
