//! The console and `exit`, through Arm semihosting: the program asks the debugger (here QEMU, started with
//! `-semihosting-config enable=on,target=native`) to write to its terminal and to stop with an exit code.
//! On a board without a debugger attached, the semihosting trap is a fault: use a UART there instead.

use core::arch::asm;
use core::fmt;
use core::sync::atomic::{AtomicUsize, Ordering};

const SYS_OPEN: usize = 0x01;
const SYS_WRITE: usize = 0x05;
const SYS_EXIT_EXTENDED: usize = 0x20;
/// The exit reason "the application exited" (ADP_Stopped_ApplicationExit); the code follows it.
const ADP_STOPPED_APPLICATION_EXIT: usize = 0x20026;

/// Asks the debugger to perform semihosting operation `op` with the parameter block `args`.
fn semihosting(op: usize, args: &[usize]) -> isize {
    let ret;
    // SAFETY: `bkpt 0xab` is the semihosting trap (r0: operation, r1: parameter block); the debugger reads
    // only the block, which `args` keeps alive for the duration of the call.
    unsafe { asm!("bkpt #0xab", inout("r0") op => ret, in("r1") args.as_ptr(), options(nostack)) };
    ret
}

/// The semihosting handle of the debugger's terminal, opened on first use.
fn terminal() -> usize {
    // The handle plus one; zero means not opened yet.
    static HANDLE: AtomicUsize = AtomicUsize::new(0);
    match HANDLE.load(Ordering::Relaxed) {
        0 => {
            let name = b":tt\0";
            // ":tt" names the debugger's console; mode 4 is "w"; the length leaves out the NUL.
            let handle =
                semihosting(SYS_OPEN, &[name.as_ptr() as usize, 4, name.len() - 1]) as usize;
            HANDLE.store(handle + 1, Ordering::Relaxed);
            handle
        }
        h => h - 1,
    }
}

/// The debugger's terminal; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SYS_WRITE answers how many bytes it did NOT write.
        match semihosting(SYS_WRITE, &[terminal(), s.as_ptr() as usize, s.len()]) {
            0 => Ok(()),
            _ => Err(fmt::Error),
        }
    }
}

/// Stops the machine; QEMU exits with `code`.
pub fn exit(code: i32) -> ! {
    semihosting(
        SYS_EXIT_EXTENDED,
        &[ADP_STOPPED_APPLICATION_EXIT, code as usize],
    );
    // Semihosting without a debugger attached (or QEMU's `-semihosting`): `bkpt` faults, and the fault
    // handler's own `exit` then locks the core up. Where a debugger resumes instead, sleep.
    loop {
        // SAFETY: `wfi` only waits for an interrupt.
        unsafe {
            asm!("wfi", options(nomem, nostack));
        }
    }
}
