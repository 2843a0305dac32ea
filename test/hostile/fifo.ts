import { spawnSync } from "node:child_process";

/** Node has no mkfifo: coreutils' does it. */
export function mkfifoSync(file: string): void {
  const r = spawnSync("mkfifo", [file]);
  if (r.status !== 0) throw new Error(`mkfifo ${file} failed: ${r.stderr}`);
}
