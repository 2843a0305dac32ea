import { openRegular } from "../util/fs.js";

/** The compiler that built a library: `rustc 1.96.0 (ac68faa20 …)` in the rlib's metadata, read from its head. */
export async function rlibCompiler(file: string): Promise<{ version: string; commit: string } | undefined> {
  const opened = await openRegular(file).catch(() => undefined);
  if (!opened) return undefined;
  const { handle } = opened;
  try {
    const buf = Buffer.alloc(1 << 18);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const m = /rustc (\d+\.\d+\.\d+(?:-[\w.]+)?) \(([0-9a-f]{7,}) /.exec(buf.subarray(0, bytesRead).toString("latin1"));
    return m ? { version: m[1]!, commit: m[2]! } : undefined;
  } finally {
    await handle.close();
  }
}
