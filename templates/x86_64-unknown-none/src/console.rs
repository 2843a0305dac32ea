//! The console and `exit` on a PC in QEMU: the first serial port (COM1, a 16550 UART at I/O port 0x3f8) for
//! output, and QEMU's isa-debug-exit device, which stops QEMU with status `(value << 1) | 1`.

use core::arch::asm;
use core::fmt;

/// COM1's data port, and its line status register with the "transmit holding register empty" bit.
const COM1: u16 = 0x3f8;
const COM1_LSR: u16 = COM1 + 5;
const LSR_THR_EMPTY: u8 = 1 << 5;
/// The I/O port of the isa-debug-exit device (`-device isa-debug-exit,iobase=0xf4,iosize=0x04`).
const DEBUG_EXIT: u16 = 0xf4;

fn outb(port: u16, value: u8) {
    // SAFETY: writes to the PC's I/O ports used here have no effect on memory.
    unsafe {
        asm!("out dx, al", in("dx") port, in("al") value, options(nomem, nostack, preserves_flags));
    }
}

fn inb(port: u16) -> u8 {
    let value;
    // SAFETY: reading COM1's status register has no side effect.
    unsafe {
        asm!("in al, dx", in("dx") port, out("al") value, options(nomem, nostack, preserves_flags));
    }
    value
}

/// The serial console; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for byte in s.bytes() {
            // Wait until the UART can take another byte (QEMU needs no baud-rate setup; real hardware would).
            while inb(COM1_LSR) & LSR_THR_EMPTY == 0 {}
            outb(COM1, byte);
        }
        Ok(())
    }
}

/// Stops the machine. The device is given `code + 1`, so QEMU exits with `((code + 1) << 1) | 1`: 3 for
/// exit 0, never 1, which is QEMU's own status when it fails. `freestand run` and the runner in
/// .cargo/config.toml turn it back into `code`.
pub fn exit(code: i32) -> ! {
    // SAFETY: a write to the debug-exit port stops QEMU.
    unsafe {
        asm!("out dx, eax", in("dx") DEBUG_EXIT, in("eax") code.wrapping_add(1) as u32, options(nomem, nostack));
    }
    // Without the device (real hardware) nothing stops the CPU: halt forever.
    loop {
        // SAFETY: interrupts are off, so `hlt` only stops the CPU.
        unsafe {
            asm!("hlt", options(nomem, nostack));
        }
    }
}
