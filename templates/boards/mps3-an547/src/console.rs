//! The console and `exit` on the Arm MPS3 board with the AN547 FPGA image (a Cortex-M55 on the Corstone SSE-300):
//! the CMSDK APB UART0 for output, the same registers on the FPGA and in QEMU (`-M mps3-an547`, whose first
//! serial port is UART0). The core runs in the secure state it starts in, so the UART is reached through its
//! secure alias. It is the board's USB serial port (115200 baud, 8N1).
//!
//! `exit` stops QEMU with the code through Arm semihosting, behind the `semihosting-exit` feature (on by
//! default): on the board, without a debugger, that trap would fault, so build for it with
//! `--no-default-features` and `exit` sleeps instead.

use core::fmt;
use core::ptr::{read_volatile, write_volatile};

/// UART0's registers (Arm CMSDK APB UART: data, state, control, baud divider), at its secure alias
/// 0x5930_3000 (AN547, memory map).
const UART: usize = 0x5930_3000;
const DATA: *mut u32 = UART as *mut u32;
const STATE: *const u32 = (UART + 0x004) as *const u32;
const CTRL: *mut u32 = (UART + 0x008) as *mut u32;
const BAUDDIV: *mut u32 = (UART + 0x010) as *mut u32;
/// STATE: the transmit buffer is full; CTRL: the transmitter is enabled.
const STATE_TX_FULL: u32 = 1 << 0;
const CTRL_TX_EN: u32 = 1 << 0;
/// 115200 baud from the 25 MHz peripheral clock: 25_000_000 / 115_200 = 217.
const BAUDDIV_115200: u32 = 217;

/// The serial console; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl Console {
    fn write_byte(&mut self, byte: u8) {
        // SAFETY: UART0's registers; volatile, because they are not memory. One core, and the UART is set up
        // again only while its transmitter is off.
        unsafe {
            if read_volatile(CTRL) & CTRL_TX_EN == 0 {
                write_volatile(BAUDDIV, BAUDDIV_115200);
                write_volatile(CTRL, CTRL_TX_EN);
            }
            while read_volatile(STATE) & STATE_TX_FULL != 0 {}
            write_volatile(DATA, u32::from(byte));
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
