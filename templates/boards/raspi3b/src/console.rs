//! The console and `exit` on the Raspberry Pi 3 Model B: the BCM2837's PL011 UART (UART0) for output, on GPIO
//! 14 (TX) at 115200 baud, 8N1, the same registers on the board and in QEMU (`-M raspi3b`, whose first serial
//! port is the PL011). On the board the firmware routes the PL011 to those pins when config.txt says
//! `enable_uart=1` and `dtoverlay=disable-bt` (otherwise it drives the Bluetooth chip), and clocks it at 48 MHz.
//!
//! `exit` stops QEMU with the code through Arm semihosting, behind the `semihosting-exit` feature (on by
//! default): on the board that trap is an undefined instruction, so build for it with `--no-default-features`
//! and `exit` sleeps instead.

use core::fmt;
use core::ptr::{read_volatile, write_volatile};
use core::sync::atomic::{AtomicBool, Ordering};

/// The PL011's registers (BCM2837 ARM Peripherals, chapter UART), at 0x3f20_1000 in the ARM's view.
const UART0: usize = 0x3f20_1000;
const DR: *mut u32 = UART0 as *mut u32;
const FR: *const u32 = (UART0 + 0x18) as *const u32;
const IBRD: *mut u32 = (UART0 + 0x24) as *mut u32;
const FBRD: *mut u32 = (UART0 + 0x28) as *mut u32;
const LCRH: *mut u32 = (UART0 + 0x2c) as *mut u32;
const CR: *mut u32 = (UART0 + 0x30) as *mut u32;
/// FR: the transmit FIFO is full. LCRH: 8 data bits, FIFOs on. CR: the UART and its transmitter on.
const FR_TXFF: u32 = 1 << 5;
const LCRH_8N1_FIFO: u32 = (0b11 << 5) | (1 << 4);
const CR_UARTEN_TXE: u32 = (1 << 0) | (1 << 8);
/// 115200 baud from the 48 MHz UART clock: 48_000_000 / (16 * 115_200) = 26.04, so 26 and 3/64.
const IBRD_115200: u32 = 26;
const FBRD_115200: u32 = 3;

/// Whether the PL011 is set up; one core runs the program.
static READY: AtomicBool = AtomicBool::new(false);

/// The serial console; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl Console {
    fn write_byte(&mut self, byte: u8) {
        // SAFETY: the PL011's registers; volatile, because they are not memory. It is set up (disabled,
        // divisors, line control, enabled: the order its manual asks for) before its first byte.
        unsafe {
            if !READY.load(Ordering::Relaxed) {
                write_volatile(CR, 0);
                write_volatile(IBRD, IBRD_115200);
                write_volatile(FBRD, FBRD_115200);
                write_volatile(LCRH, LCRH_8N1_FIFO);
                write_volatile(CR, CR_UARTEN_TXE);
                READY.store(true, Ordering::Relaxed);
            }
            // Wait while the transmit FIFO is full.
            while read_volatile(FR) & FR_TXFF != 0 {}
            write_volatile(DR, u32::from(byte));
        }
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        s.bytes().for_each(|b| self.write_byte(b));
        Ok(())
    }
}

/// Set once `exit` has begun: an exception from its own `hlt` (semihosting not enabled) must not exit again.
pub static EXITING: AtomicBool = AtomicBool::new(false);

/// Stops the machine: QEMU exits with `code` (`semihosting-exit`); without the feature the core sleeps.
pub fn exit(code: i32) -> ! {
    EXITING.store(true, Ordering::SeqCst);
    #[cfg(feature = "semihosting-exit")]
    {
        const SYS_EXIT: u64 = 0x18;
        /// The exit reason "the application exited" (ADP_Stopped_ApplicationExit); the code follows it.
        const ADP_STOPPED_APPLICATION_EXIT: u64 = 0x20026;
        let block = [ADP_STOPPED_APPLICATION_EXIT, code as u64];
        // SAFETY: `hlt #0xf000` is the AArch64 semihosting trap (w0: operation, x1: parameter block, x0: the
        // result, hence `inout`); the debugger only reads the block.
        unsafe {
            core::arch::asm!("hlt #0xf000", inout("x0") SYS_EXIT => _, in("x1") block.as_ptr(), options(nostack));
        }
    }
    #[cfg(not(feature = "semihosting-exit"))]
    let _ = code;
    park()
}

/// Sleeps forever: where semihosting is not enabled `hlt` raises an exception, and the handler in boot.rs
/// comes here; where a debugger resumes after it, so does `exit`.
pub fn park() -> ! {
    loop {
        // SAFETY: `wfe` only waits for an event.
        unsafe {
            core::arch::asm!("wfe", options(nomem, nostack));
        }
    }
}
