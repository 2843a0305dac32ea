/**
 * Bytes in human units, the way `ls -h` would say them but exact enough to compare builds: 512 B, 1.55 KiB,
 * 12.3 MiB, 256 KiB, 16 MiB (three significant digits, trailing zeros dropped). Every size freestand prints goes
 * through here.
 */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${digits.includes(".") ? digits.replace(/\.?0+$/, "") : digits} ${units[u]}`;
}

/** An address as the manuals write it: 32 bits of hex in two groups, `0x4000_2000`. */
export function addressText(n: number): string {
  return `0x${n.toString(16).padStart(8, "0").replace(/^(.{4})/, "$1_")}`;
}
