//! The console and `exit` on the BBC micro:bit (v1): the nRF51822's UART for output, the same registers on the
//! board and in QEMU (`-M microbit`, whose first serial port is this UART). Its TX pin is P0.24, which the
//! board's interface chip passes on as a USB serial port (115200 baud, 8N1).
//!
//! `exit` stops QEMU with the code through Arm semihosting, behind the `semihosting-exit` feature (on by
//! default): on the board, without a debugger, that trap would fault, so build for it with
//! `--no-default-features` and `exit` sleeps instead.

use core::fmt;
use core::ptr::{read_volatile, write_volatile};

/// The UART's registers (nRF51 Series Reference Manual, chapter UART), at its base address 0x4000_2000.
const UART: usize = 0x4000_2000;
const TASKS_STARTTX: *mut u32 = (UART + 0x008) as *mut u32;
const EVENTS_TXDRDY: *mut u32 = (UART + 0x11c) as *mut u32;
const ENABLE: *mut u32 = (UART + 0x500) as *mut u32;
const PSELTXD: *mut u32 = (UART + 0x50c) as *mut u32;
const TXD: *mut u32 = (UART + 0x51c) as *mut u32;
const BAUDRATE: *mut u32 = (UART + 0x524) as *mut u32;
/// The micro:bit's TX pin, the value ENABLE takes for the UART, and 115200 baud.
const TX_PIN: u32 = 24;
const ENABLE_UART: u32 = 4;
const BAUD_115200: u32 = 0x01d7_e000;

/// The serial console; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl Console {
    fn write_byte(&mut self, byte: u8) {
        // SAFETY: the UART's registers; volatile, because they are not memory. One core, and the console is
        // set up again only while it is not enabled.
        unsafe {
            if read_volatile(ENABLE) != ENABLE_UART {
                write_volatile(PSELTXD, TX_PIN);
                write_volatile(BAUDRATE, BAUD_115200);
                write_volatile(ENABLE, ENABLE_UART);
                write_volatile(TASKS_STARTTX, 1);
            }
            write_volatile(EVENTS_TXDRDY, 0);
            write_volatile(TXD, u32::from(byte));
            // The byte has left the transmit register when TXDRDY is set.
            while read_volatile(EVENTS_TXDRDY) == 0 {}
        }
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        s.bytes().for_each(|b| self.write_byte(b));
        Ok(())
    }
}

/// Stops the machine: QEMU exits with `code` (`semihosting-exit`); without the feature the core sleeps.
pub fn exit(code: i32) -> ! {
    #[cfg(feature = "semihosting-exit")]
    {
        const SYS_EXIT_EXTENDED: usize = 0x20;
        /// The exit reason "the application exited" (ADP_Stopped_ApplicationExit); the code follows it.
        const ADP_STOPPED_APPLICATION_EXIT: usize = 0x20026;
        let block = [ADP_STOPPED_APPLICATION_EXIT, code as usize];
        // SAFETY: `bkpt 0xab` is the semihosting trap (r0: operation, r1: parameter block); the debugger
        // reads only the block, alive for the call.
        unsafe {
            core::arch::asm!("bkpt #0xab", inout("r0") SYS_EXIT_EXTENDED => _, in("r1") block.as_ptr(), options(nostack));
        }
    }
    #[cfg(not(feature = "semihosting-exit"))]
    let _ = code;
    loop {
        // SAFETY: `wfi` only waits for an interrupt.
        unsafe { core::arch::asm!("wfi", options(nomem, nostack)) };
    }
}
