//! The console and `exit` on {{board_name}}: the {{chip}}'s USART1 for output (TX on pin PA9, 115200 baud,
//! 8N1), the same registers on the board and in QEMU (`-M {{qemu_machine}}`, whose first serial port is USART1).
//!
//! `exit` stops QEMU with the code through Arm semihosting, behind the `semihosting-exit` feature (on by
//! default): on the board, without a debugger, that trap would fault, so build for it with
//! `--no-default-features` and `exit` sleeps instead.

use core::fmt;
use core::ptr::{read_volatile, write_volatile};
use core::sync::atomic::{AtomicBool, Ordering};

/// USART1's registers (the reference manual's USART chapter: the same layout on the STM32F1 and F4).
const USART1: usize = {{console_base}};
const SR: *const u32 = USART1 as *const u32;
const DR: *mut u32 = (USART1 + 0x04) as *mut u32;
const BRR: *mut u32 = (USART1 + 0x08) as *mut u32;
const CR1: *mut u32 = (USART1 + 0x0c) as *mut u32;
/// SR: the transmit data register is empty; CR1: USART enable, transmitter enable.
const SR_TXE: u32 = 1 << 7;
const CR1_UE: u32 = 1 << 13;
const CR1_TE: u32 = 1 << 3;
// {{#if stm32f1}}
/// The STM32F1's clock enables (RCC_APB2ENR: IOPAEN, USART1EN) and port A's high configuration register.
const RCC_APB2ENR: *mut u32 = 0x4002_1018 as *mut u32;
const APB2ENR_IOPAEN: u32 = 1 << 2;
const APB2ENR_USART1EN: u32 = 1 << 14;
const GPIOA_CRH: *mut u32 = 0x4001_0804 as *mut u32;
/// 115200 baud from the 8 MHz internal oscillator the chip starts on: 8_000_000 / 115_200 = 69.4.
const BRR_115200: u32 = 69;
// {{/if}}
// {{#unless stm32f1}}
/// The STM32F4's clock enables (RCC_AHB1ENR: GPIOAEN; RCC_APB2ENR: USART1EN) and port A's mode and
/// alternate-function registers.
const RCC_AHB1ENR: *mut u32 = 0x4002_3830 as *mut u32;
const RCC_APB2ENR: *mut u32 = 0x4002_3844 as *mut u32;
const AHB1ENR_GPIOAEN: u32 = 1 << 0;
const APB2ENR_USART1EN: u32 = 1 << 4;
const GPIOA_MODER: *mut u32 = 0x4002_0000 as *mut u32;
const GPIOA_AFRH: *mut u32 = 0x4002_0024 as *mut u32;
/// 115200 baud from the 16 MHz internal oscillator the chip starts on: 16_000_000 / 115_200 = 138.9.
const BRR_115200: u32 = 139;
// {{/unless}}

/// Whether USART1 is set up; one core, and the console is set up before anything else uses it.
static READY: AtomicBool = AtomicBool::new(false);

/// Clears the bits `clear` of a register and sets the bits `set`.
///
/// # Safety
/// `register` is a memory-mapped register of this chip that these bits may be written to.
unsafe fn modify(register: *mut u32, clear: u32, set: u32) {
    // SAFETY: as the caller promised; volatile, because a register is not memory.
    unsafe { write_volatile(register, (read_volatile(register) & !clear) | set) };
}

/// Clocks USART1 and its pin, routes PA9 to it, and turns its transmitter on.
fn setup() {
    // SAFETY: the chip's RCC, GPIO and USART registers, each written with the bits its manual gives.
    unsafe {
        // {{#if stm32f1}}
        modify(RCC_APB2ENR, 0, APB2ENR_IOPAEN | APB2ENR_USART1EN);
        // PA9 (bits 4-7 of CRH): alternate-function push-pull output at 2 MHz (CNF = 0b10, MODE = 0b10).
        modify(GPIOA_CRH, 0xf << 4, 0b1010 << 4);
        // {{/if}}
        // {{#unless stm32f1}}
        modify(RCC_AHB1ENR, 0, AHB1ENR_GPIOAEN);
        modify(RCC_APB2ENR, 0, APB2ENR_USART1EN);
        // PA9: alternate-function mode (MODER bits 18-19 = 0b10), alternate function 7, USART1 (AFRH bits 4-7).
        modify(GPIOA_MODER, 0b11 << 18, 0b10 << 18);
        modify(GPIOA_AFRH, 0xf << 4, 7 << 4);
        // {{/unless}}
        write_volatile(BRR, BRR_115200);
        write_volatile(CR1, CR1_UE | CR1_TE);
    }
}

/// The serial console; implements `core::fmt::Write` so that `write!` and the `print!` macros
/// (src/print.rs) can format into it without allocating.
pub struct Console;

impl Console {
    fn write_byte(&mut self, byte: u8) {
        if !READY.load(Ordering::Relaxed) {
            setup();
            READY.store(true, Ordering::Relaxed);
        }
        // SAFETY: USART1's registers, set up above.
        unsafe {
            // Wait until the previous byte has moved on from the data register.
            while read_volatile(SR) & SR_TXE == 0 {}
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
