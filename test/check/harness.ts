import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, statSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import type { ToolchainInfo } from "../../src/crate/toolchain.js";

/** A crate written by the test: relative path → content. */
export type Files = Record<string, string>;

export function writeCrate(files: Files, prefix = "freestand-check-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

export function readCrate(dir: string): Files {
  const out: Files = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (e === "target") continue;
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

export function removeCrate(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

let sysroot: string | undefined;
/** The real sysroot of the rustc on PATH (rules that look into it see a real one). */
export function hostSysroot(): string {
  if (sysroot === undefined) {
    try {
      sysroot = execFileSync("rustc", ["--print", "sysroot"], { encoding: "utf8" }).trim();
    } catch {
      sysroot = "";
    }
  }
  return sysroot;
}

/** A fixed toolchain, so findings that depend on the compiler's version do not change with the machine. */
export function stableToolchain(version: [number, number, number] = [1, 95, 0], channel: ToolchainInfo["channel"] = "stable"): ToolchainInfo {
  return { channel, version, host: "x86_64-unknown-linux-gnu", sysroot: hostSysroot() || undefined, rustc: "rustc" };
}

/** An environment without the caller's cargo settings: an empty CARGO_HOME, no RUSTFLAGS or build target. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(RUSTFLAGS|CARGO_ENCODED_RUSTFLAGS|CARGO_BUILD_|CARGO_TARGET_|RUSTC$|RUSTC_BOOTSTRAP)/.test(k)) delete env[k];
  env.CARGO_HOME = emptyCargoHome();
  return env;
}

let home: string | undefined;
function emptyCargoHome(): string {
  home ??= mkdtempSync(path.join(os.tmpdir(), "freestand-cargo-home-"));
  return home;
}

export function hasCargo(): boolean {
  try {
    execFileSync("cargo", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

let targetDir: string | undefined;
/** Builds a crate with the host cargo (offline, a shared target directory); returns cargo's stderr on failure. */
export function cargoBuild(dir: string): { ok: boolean; stderr: string } {
  targetDir ??= mkdtempSync(path.join(os.tmpdir(), "freestand-check-target-"));
  try {
    execFileSync("cargo", ["build", "--offline", "--quiet"], {
      cwd: dir,
      env: { ...process.env, CARGO_TARGET_DIR: path.join(targetDir, path.basename(dir)) },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 180_000,
    });
    return { ok: true, stderr: "" };
  } catch (err) {
    return { ok: false, stderr: String((err as { stderr?: Buffer }).stderr ?? err) };
  }
}

/** The host flavour's flags, as `freestand new` writes them. */
export const HOST_CONFIG = `[target.x86_64-unknown-linux-gnu]
rustflags = ["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static", "-C", "relocation-model=static"]
`;

export const HOST_MANIFEST = (edition = "2021", extra = "") => `[package]
name = "demo"
version = "0.1.0"
edition = "${edition}"

[[bin]]
name = "demo"
path = "src/main.rs"
test = false
bench = false
${extra}
[profile.dev]
panic = "abort"

[profile.release]
panic = "abort"
`;

/**
 * The entry the tutorials show: a Rust `_start`. Right on bare-metal targets; on x86_64 Linux it runs with a
 * misaligned stack (entry_point_stack_alignment), so the entry-rule tests run it for x86_64-unknown-none.
 */
export const RUST_ENTRY_MAIN = `#![no_std]
#![no_main]

#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    loop {}
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}
`;

/** A freestanding Linux program as `freestand new` shapes it: an assembly `_start` that aligns the stack. */
export const HOST_MAIN = `#![no_std]
#![no_main]

core::arch::global_asm!(".globl _start", "_start:", "    xor ebp, ebp", "    and rsp, -16", "    call {entry}", "    ud2", entry = sym rust_start);

extern "C" fn rust_start() -> ! {
    loop {}
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}
`;

/** A freestanding host binary that checks clean and builds. */
export function hostCrate(overrides: Files = {}, edition = "2021"): Files {
  return { "Cargo.toml": HOST_MANIFEST(edition), ".cargo/config.toml": HOST_CONFIG, "src/main.rs": HOST_MAIN, ...overrides };
}
