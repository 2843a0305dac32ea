//! The console and `exit` on the SiFive HiFive1: the FE310's UART0 for output (TX on GPIO 17, 115200 baud,
//! 8N1), the same registers on the board and in QEMU (`-M sifive_e`, whose first serial port is UART0). The
//! board's debug interface passes it on as a USB serial port.
//!
//! `exit` stops QEMU with the code through RISC-V semihosting, behind the `semihosting-exit` feature (on by
//! default): on the board, without a debugger, that trap would be a breakpoint exception, so build for it with
//! `--no-default-features` and `exit` sleeps instead.

use core::fmt;
use core::ptr::{read_volatile, write_volatile};

/// UART0's registers (FE310-G000 manual, chapter UART): transmit data (bit 31 reads "full"), transmit
/// control (bit 0 enables the transmitter), and the baud-rate divisor.
const UART0: usize = 0x1001_3000;
const TXDATA: *mut u32 = UART0 as *mut u32;
const TXCTRL: *mut u32 = (UART0 + 0x08) as *mut u32;
const DIV: *mut u32 = (UART0 + 0x18) as *mut u32;
const TXDATA_FULL: u32 = 1 << 31;
const TXCTRL_TXEN: u32 = 1 << 0;
/// 115200 baud from the 16 MHz bus clock the HiFive1's boot loader leaves: 16_000_000 / 115_200 - 1.
const DIV_115200: u32 = 138;
/// The GPIO block's I/O-function enable and select registers: GPIO 16 and 17 carry UART0 (function 0).
const GPIO_IOF_EN: *mut u32 = 0x1001_2038 as *mut u32;
const GPIO_IOF_SEL: *mut u32 = 0x1001_203c as *mut u32;
const UART0_PINS: u32 = (1 << 16) | (1 << 17);

/// The serial console; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl Console {
    fn write_byte(&mut self, byte: u8) {
        // SAFETY: the UART's and the GPIO block's registers; volatile, because they are not memory. One hart,
        // and the UART is set up again only while its transmitter is off.
        unsafe {
            if read_volatile(TXCTRL) & TXCTRL_TXEN == 0 {
                write_volatile(GPIO_IOF_SEL, read_volatile(GPIO_IOF_SEL) & !UART0_PINS);
                write_volatile(GPIO_IOF_EN, read_volatile(GPIO_IOF_EN) | UART0_PINS);
                write_volatile(DIV, DIV_115200);
                write_volatile(TXCTRL, TXCTRL_TXEN);
            }
            // Wait while the transmit FIFO is full.
            while read_volatile(TXDATA) & TXDATA_FULL != 0 {}
            write_volatile(TXDATA, u32::from(byte));
        }
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        s.bytes().for_each(|b| self.write_byte(b));
        Ok(())
    }
}

/// Stops the machine: QEMU exits with `code` (`semihosting-exit`); without the feature the hart sleeps.
pub fn exit(code: i32) -> ! {
    #[cfg(feature = "semihosting-exit")]
    {
        const SYS_EXIT_EXTENDED: usize = 0x20;
        /// The exit reason "the application exited" (ADP_Stopped_ApplicationExit); the code follows it.
        const ADP_STOPPED_APPLICATION_EXIT: usize = 0x20026;
        let block = [ADP_STOPPED_APPLICATION_EXIT, code as usize];
        // SAFETY: the RISC-V semihosting trap is `ebreak` between these two no-op shifts, uncompressed and in
        // one aligned block so the debugger can recognise it (a0: operation, a1: parameter block); the
        // debugger only reads the block, alive for the call.
        unsafe {
            core::arch::asm!(
                ".option push",
                ".option norvc",
                ".balign 16",
                "slli zero, zero, 0x1f",
                "ebreak",
                "srai zero, zero, 7",
                ".option pop",
                inout("a0") SYS_EXIT_EXTENDED => _,
                in("a1") block.as_ptr(),
                options(nostack),
            );
        }
    }
    #[cfg(not(feature = "semihosting-exit"))]
    let _ = code;
    loop {
        // SAFETY: `wfi` only waits for an interrupt.
        unsafe { core::arch::asm!("wfi", options(nomem, nostack)) };
    }
}
