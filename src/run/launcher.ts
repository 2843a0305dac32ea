/**
 * The launcher through which `run` starts programs and QEMU (vendor/launcher/freestand-launch.rs): a child
 * subreaper that kills everything the program left behind when it exits, and everything when freestand dies (even
 * by SIGKILL). Node cannot call prctl, so it is compiled once with the user's own rustc into freestand's cache;
 * when that fails (no rustc, not Linux) `run` falls back to a process group, which a `setsid` child escapes.
 */
import { createHash, randomBytes } from "node:crypto";
import { promises as fsp } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../version.js";
import { freestandCacheDir } from "../util/cache-dir.js";
import { isExecutable, which } from "../util/fs.js";
import { capture } from "../util/process.js";

export function launcherSource(): string {
  return path.join(PACKAGE_ROOT, "vendor", "launcher", "freestand-launch.rs");
}

let building: Promise<string | undefined> | undefined;

/** The launcher's path, compiled on first use (about half a second); undefined when it cannot be had here. */
export function launcher(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  building ??= buildLauncher(env).catch(() => undefined);
  return building;
}

async function buildLauncher(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (process.platform !== "linux" || env.FREESTAND_LAUNCHER === "off") return undefined;
  const source = await fsp.readFile(launcherSource());
  const dir = path.join(freestandCacheDir(env), "launcher");
  const exe = path.join(dir, `freestand-launch-${createHash("sha256").update(source).digest("hex").slice(0, 16)}`);
  if (await isExecutable(exe)) return exe;
  const rustc = await which("rustc", env.PATH ?? "");
  if (!rustc) return undefined;
  await fsp.mkdir(dir, { recursive: true });
  // Built beside its final name and renamed: two freestand processes building at once both end with a whole file.
  const tmp = `${exe}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    // In the cache directory, so that the crate's pinned toolchain (perhaps not installed) is not asked.
    const r = await capture(rustc, ["-O", "--edition", "2021", "-C", "debuginfo=0", "-o", tmp, launcherSource()], {
      cwd: dir,
      env: { ...env, RUSTUP_AUTO_INSTALL: "0" },
      timeout: 120_000,
    });
    if (r.exitCode !== 0) return undefined;
    await fsp.rename(tmp, exe);
    return exe;
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}
