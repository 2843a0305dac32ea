import { closeSync, readSync } from "node:fs";
import { describeError, FreestandError } from "../errors.js";
import { openRegularSync } from "../util/fs.js";

/**
 * Where the ELF reader gets its bytes: a file read piece by piece (so a 150 MB library costs only the pieces a
 * command needs), or bytes already in memory (tests, fuzzing). Callers check ranges before reading.
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Exactly `length` bytes from `offset`; the range must lie inside [0, size). */
  read(offset: number, length: number): Buffer;
  close(): void;
}

export class BufferSource implements ByteSource {
  private readonly bytes: Buffer;
  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get size(): number {
    return this.bytes.length;
  }
  read(offset: number, length: number): Buffer {
    return this.bytes.subarray(offset, offset + length);
  }
  close(): void {}
}

export class FileSource implements ByteSource {
  private fd: number | undefined;
  readonly size: number;

  constructor(readonly path: string) {
    try {
      const { fd, size } = openRegularSync(path);
      this.fd = fd;
      this.size = size;
    } catch (err) {
      throw err instanceof FreestandError ? err : new FreestandError(describeError(err));
    }
  }

  read(offset: number, length: number): Buffer {
    if (this.fd === undefined) throw new Error(`read from closed ELF file ${this.path}`);
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      // The file shrank under us (another process truncated it): say so instead of returning garbage.
      if (n === 0) throw new FreestandError(`${this.path} became shorter while it was being read.`);
      done += n;
    }
    return buf;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
