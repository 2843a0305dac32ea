//! {{name}}: a `no_std` library. It uses only `core`, so firmware, kernels and bootloaders can depend on it.
// {{#if bare}}
//! It is built for `{{triple}}` (see .cargo/config.toml); its unit tests run on the host with
//! `cargo test-host`, where the test harness brings `std` back.
// {{/if}}
// {{#unless bare}}
//! Its unit tests still run on the host with `cargo test`, where the test harness brings `std` back.
// {{/unless}}

// `no_std` everywhere except in `cargo test` builds, which need std's test harness.
#![cfg_attr(not(test), no_std)]

/// Checksum used by many protocols (RFC 1071): the ones' complement of the ones' complement sum of
/// 16-bit big-endian words. Pure `core` code: no allocation, no I/O.
#[must_use]
pub fn internet_checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut words = data.chunks_exact(2);
    for word in &mut words {
        sum += u32::from(u16::from_be_bytes([word[0], word[1]]));
        // Fold the carry at once: `sum` stays within 16 bits plus one, however long the input.
        sum = (sum & 0xffff) + (sum >> 16);
    }
    if let [last] = words.remainder() {
        // An odd trailing byte is padded with a zero byte.
        sum += u32::from(*last) << 8;
    }
    // Fold the carries back into the low 16 bits.
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[cfg(test)]
mod tests {
    use super::internet_checksum;

    #[test]
    fn matches_the_rfc_1071_example() {
        // RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 (checksum 0x220d).
        let bytes = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(internet_checksum(&bytes), 0x220d);
    }

    #[test]
    fn pads_an_odd_length() {
        assert_eq!(internet_checksum(&[0xff]), !0xff00);
    }

    #[test]
    fn a_long_input_does_not_overflow() {
        // 200 KiB of 0xff: 102,400 words of 0xffff, whose ones' complement sum is 0xffff again. (A static,
        // not a local array: 200 KiB would not fit on a small target's stack.)
        static ONES: [u8; 200 * 1024] = [0xff; 200 * 1024];
        assert_eq!(internet_checksum(&ONES), 0);
    }
}
