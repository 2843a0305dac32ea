/**
 * QEMU 7.2's SiFive UART ignores a short write to its chardev (QEMU issue #2114, fixed in 9.2): QEMU sets its
 * stdout non-blocking and writes one byte per call, and when stdout is a socket — what Node and cargo's test
 * harnesses hand a child as a "pipe" — each byte takes a whole buffer's worth of the socket's send budget, so
 * under load a write fails and the byte is gone (measured: the last 20–40 bytes of a 314-byte output lost in
 * most boots on a busy 2-core machine). Between QEMU and the reader goes `cat`, through a kernel pipe, whose
 * buffer holds 64 KiB of small writes; the shell keeps QEMU's exit status.
 */

/** A POSIX shell script that runs `command` (which may end with `"$0"`) with its stdout through `cat`, exiting with its status. */
export function throughPipeScript(command: string): string {
  return `exec 4>&1; s=$( { { ${command}; echo $? >&3; } | cat >&4; } 3>&1 ); exit $s`;
}

/** `sh -c` arguments that run `binary args…` that way (the program and its arguments as the script's "$@"). */
export function throughPipe(binary: string, args: readonly string[]): { binary: string; args: string[] } {
  return { binary: "sh", args: ["-c", throughPipeScript('"$@"'), "sh", binary, ...args] };
}
