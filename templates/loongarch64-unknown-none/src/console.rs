//! The console and `exit` on QEMU's LoongArch `virt` machine: its 16550 UART for output, and for the exit code
//! a line the console carries (the machine has no device that hands QEMU a code), then power-off.

use core::fmt;
use core::ptr::{read_volatile, write_volatile};

/// The 16550's transmit register and line status register with its "transmit holding register empty" bit.
const UART_THR: *mut u8 = 0x1fe0_01e0 as *mut u8;
const UART_LSR: *const u8 = 0x1fe0_01e5 as *const u8;
const LSR_THRE: u8 = 1 << 5;

/// The sleep control register of the machine's ACPI GED device, and the value that asks for S5 (power off):
/// SLP_TYP = 5 (bits 2-4) with SLP_EN (bit 5). QEMU then exits with status 0.
const GED_SLEEP_CTL: *mut u8 = 0x100e_001c as *mut u8;
const SLEEP_S5: u8 = (5 << 2) | (1 << 5);

/// The serial console; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl Console {
    fn write_byte(&mut self, byte: u8) {
        // SAFETY: the 16550's registers on this machine; volatile, because they are not memory.
        unsafe {
            while read_volatile(UART_LSR) & LSR_THRE == 0 {}
            write_volatile(UART_THR, byte);
        }
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        s.bytes().for_each(|b| self.write_byte(b));
        Ok(())
    }
}

/// Stops the machine with `code`: QEMU's power-off has no code, so the last line of the console carries it
/// (`\u{1}freestand-exit <code>`), which `freestand run` and the generated runner read and leave out.
pub fn exit(code: i32) -> ! {
    // Written without `core::fmt`, so that exiting adds no call through a pointer (`freestand stack`).
    use fmt::Write;
    let mut out = Console;
    let sign = if code < 0 { "-" } else { "" };
    let mut buf = [0; 20];
    let digits = crate::print::decimal(u64::from(code.unsigned_abs()), &mut buf);
    for part in ["\u{1}freestand-exit ", sign, digits, "\n"] {
        let _ = out.write_str(part);
    }
    // SAFETY: the GED's sleep control register on this machine: writing S5 powers it off.
    unsafe { write_volatile(GED_SLEEP_CTL, SLEEP_S5) };
    loop {
        // SAFETY: `idle` only waits for an interrupt.
        unsafe { core::arch::asm!("idle 0", options(nomem, nostack)) };
    }
}
