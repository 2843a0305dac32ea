import { promises as fsp } from "node:fs";
import os from "node:os";
import path from "node:path";
import { capture } from "../util/process.js";
import { which } from "../util/fs.js";

/**
 * The compiler cargo really runs, asked of cargo itself: `cargo check` on an empty crate with a RUSTC_WRAPPER that
 * writes down the program cargo hands it. A rustup cargo proxy and the first `rustc` on PATH can disagree (PATH
 * wins: a distribution's /usr/bin/rustc before ~/.cargo/bin is what builds), and only cargo can say which it runs.
 * Undefined when cargo cannot be run here.
 */
export async function rustcCargoRuns(opts: { cwd: string; env?: NodeJS.ProcessEnv; cargo: string }): Promise<{ program: string; cargoVersion: string } | undefined> {
  const env = opts.env ?? process.env;
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "freestand-cargo-rustc-"));
  try {
    const record = path.join(dir, "rustc-seen");
    const wrapper = path.join(dir, "wrapper.sh");
    await fsp.writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${record}'\nexec "$@"\n`, { mode: 0o755 });
    const crate = path.join(dir, "probe");
    await fsp.mkdir(path.join(crate, "src"), { recursive: true });
    await fsp.writeFile(path.join(crate, "Cargo.toml"), '[package]\nname = "probe"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n');
    await fsp.writeFile(path.join(crate, "src", "lib.rs"), "");
    // Run where the user's crate is (its rust-toolchain.toml counts) with the probe's manifest.
    const r = await capture(opts.cargo, ["check", "--quiet", "--offline", "--manifest-path", path.join(crate, "Cargo.toml"), "--target-dir", path.join(dir, "target")], {
      cwd: opts.cwd,
      env: { ...env, RUSTC_WRAPPER: wrapper, RUSTC_WORKSPACE_WRAPPER: "", CARGO_BUILD_RUSTC_WRAPPER: wrapper },
      timeout: 60_000,
    }).catch(() => undefined);
    const seen = (await fsp.readFile(record, "utf8").catch(() => "")).split("\n").find(Boolean);
    if (!r || !seen) return undefined;
    const program = path.isAbsolute(seen) ? seen : ((await which(seen, env.PATH)) ?? seen);
    const v = await capture(opts.cargo, ["-V"], { cwd: opts.cwd, env, timeout: 30_000 }).catch(() => undefined);
    return { program, cargoVersion: v?.stdout.trim() ?? "cargo" };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
