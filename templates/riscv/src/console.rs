//! The console and `exit` on QEMU's `virt` machine: a 16550-compatible UART for output, and the SiFive test
//! device, whose one register stops QEMU with an exit status.

use core::fmt;
use core::ptr::{read_volatile, write_volatile};

/// The UART's registers (QEMU needs no baud-rate setup; real hardware would).
const UART: *mut u8 = 0x1000_0000 as *mut u8;
/// Line status register offset, and its "transmit holding register empty" bit.
const LSR: usize = 5;
const LSR_THR_EMPTY: u8 = 1 << 5;

/// The SiFive test device: writing FINISH_PASS stops QEMU with status 0, `code << 16 | FINISH_FAIL` with `code`.
const TEST_DEVICE: *mut u32 = 0x10_0000 as *mut u32;
const FINISH_PASS: u32 = 0x5555;
const FINISH_FAIL: u32 = 0x3333;

/// The serial console; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl Console {
    fn write_byte(&mut self, byte: u8) {
        // SAFETY: these are the UART's registers on this machine; volatile, because they are not memory.
        unsafe {
            // Wait until the UART can take another byte.
            while read_volatile(UART.add(LSR)) & LSR_THR_EMPTY == 0 {}
            write_volatile(UART, byte);
        }
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        s.bytes().for_each(|b| self.write_byte(b));
        Ok(())
    }
}

/// Stops the machine; QEMU exits with `code` (0 to 65535).
pub fn exit(code: i32) -> ! {
    let value = match code {
        0 => FINISH_PASS,
        _ => ((code as u32) << 16) | FINISH_FAIL,
    };
    // SAFETY: the test device's register; the write stops the machine.
    unsafe {
        write_volatile(TEST_DEVICE, value);
    }
    // Without the test device (real hardware) nothing stops the core: sleep forever.
    loop {
        // SAFETY: `wfi` only waits for an interrupt.
        unsafe {
            core::arch::asm!("wfi", options(nomem, nostack));
        }
    }
}
