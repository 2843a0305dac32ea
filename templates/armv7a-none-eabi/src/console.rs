//! The console and `exit` on QEMU's 32-bit Arm `virt` machine: the PL011 UART for output, and Arm semihosting
//! (QEMU started with `-semihosting-config enable=on,target=native`) to stop QEMU with an exit code.

use core::arch::asm;
use core::fmt;
use core::ptr::{read_volatile, write_volatile};
use core::sync::atomic::{AtomicBool, Ordering};

/// The PL011's data register (QEMU needs no setup; real hardware would), and its flag register with the
/// "transmit FIFO full" bit.
const UART_DR: *mut u32 = 0x0900_0000 as *mut u32;
const UART_FR: *const u32 = 0x0900_0018 as *const u32;
const FR_TXFF: u32 = 1 << 5;

/// SYS_EXIT_EXTENDED: on 32-bit Arm, plain SYS_EXIT takes a reason but no code.
const SYS_EXIT_EXTENDED: u32 = 0x20;
/// The exit reason "the application exited" (ADP_Stopped_ApplicationExit); the code follows it.
const ADP_STOPPED_APPLICATION_EXIT: u32 = 0x20026;

/// The serial console; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl Console {
    fn write_byte(&mut self, byte: u8) {
        // SAFETY: the PL011's registers on this machine; volatile, because they are not memory.
        unsafe {
            // Wait while the transmit FIFO is full.
            while read_volatile(UART_FR) & FR_TXFF != 0 {}
            write_volatile(UART_DR, u32::from(byte));
        }
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        s.bytes().for_each(|b| self.write_byte(b));
        Ok(())
    }
}

/// Set once `exit` has begun: an exception from its own `svc` (semihosting not enabled) must not exit again.
pub static EXITING: AtomicBool = AtomicBool::new(false);

/// Stops the machine; QEMU exits with `code`.
pub fn exit(code: i32) -> ! {
    EXITING.store(true, Ordering::SeqCst);
    let block = [ADP_STOPPED_APPLICATION_EXIT, code as u32];
    // SAFETY: `svc #0x123456` is the A32 semihosting trap (r0: operation, r1: parameter block, r0: the
    // result, hence `inout`); the debugger only reads the block.
    unsafe {
        asm!("svc #0x123456", inout("r0") SYS_EXIT_EXTENDED => _, in("r1") block.as_ptr(), options(nostack));
    }
    park()
}

/// Sleeps forever: where semihosting is not enabled `svc` raises an exception, and the handler in boot.rs
/// comes here; where a debugger resumes after it, so does `exit`.
pub fn park() -> ! {
    loop {
        // SAFETY: `wfe` only waits for an event.
        unsafe {
            asm!("wfe", options(nomem, nostack));
        }
    }
}
