/**
 * A problem the user can fix: bad input, a missing file, an environment that lacks something.
 * The CLI prints `message` as one sentence and exits with code 2 — never a stack trace.
 */
export class FreestandError extends Error {
  override readonly name = "FreestandError";
  constructor(
    message: string,
    /** Process exit code; 2 is "usage or environment problem" throughout freestand. */
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Turns anything thrown into one printable sentence (for errors from Node APIs: ENOENT and friends). */
export function describeError(err: unknown): string {
  if (err instanceof FreestandError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === "object" && typeof e.code === "string" && typeof e.path === "string") {
    const what: Record<string, string> = {
      ENOENT: "does not exist",
      EACCES: "is not accessible (permission denied)",
      EPERM: "is not accessible (operation not permitted)",
      EISDIR: "is a directory, not a file",
      ENOTDIR: "has a path component that is not a directory",
      ELOOP: "is a symbolic link loop",
      ENOSPC: "could not be written: no space left on the device",
    };
    if (what[e.code]) return `${e.path} ${what[e.code]}.`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
