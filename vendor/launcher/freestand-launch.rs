//! freestand-launch: runs one program so that nothing it starts outlives it or freestand.
//!
//! `freestand run` starts host programs and QEMU through this launcher (compiled by freestand on first use with the
//! user's own rustc; see src/run/launcher.ts). It
//! - becomes a child subreaper, so processes the program starts — even in a new session (`setsid`) — are
//!   reparented to it instead of to init, and can be found and killed;
//! - asks the kernel for SIGTERM when freestand dies (also by SIGKILL), and then kills everything below it;
//! - when the program exits, kills what it left behind (so a child holding stdout open cannot hang the run) and
//!   exits with the program's status (re-raising its signal).
//!
//! Usage: freestand-launch PROGRAM [ARGS...]. Linux only; std and the C library's own functions, nothing else.

use std::ffi::c_int;
use std::os::unix::process::CommandExt;
use std::process::Command;

const PR_SET_PDEATHSIG: c_int = 1;
const PR_SET_CHILD_SUBREAPER: c_int = 36;
const SIGHUP: c_int = 1;
const SIGINT: c_int = 2;
const SIGKILL: c_int = 9;
const SIGTERM: c_int = 15;
const SIGCHLD: c_int = 17;
const SIG_BLOCK: c_int = 0;
const SIG_SETMASK: c_int = 2;
const WNOHANG: c_int = 1;
const RLIMIT_CORE: c_int = 4;

/// glibc's sigset_t is 1024 bits; only sigemptyset/sigaddset touch it.
#[repr(C)]
struct SigSet([u64; 16]);

#[repr(C)]
struct RLimit {
    cur: u64,
    max: u64,
}

extern "C" {
    fn prctl(option: c_int, arg2: u64, arg3: u64, arg4: u64, arg5: u64) -> c_int;
    fn getppid() -> c_int;
    fn getpid() -> c_int;
    fn kill(pid: c_int, sig: c_int) -> c_int;
    fn waitpid(pid: c_int, status: *mut c_int, options: c_int) -> c_int;
    fn sigemptyset(set: *mut SigSet) -> c_int;
    fn sigaddset(set: *mut SigSet, sig: c_int) -> c_int;
    fn sigprocmask(how: c_int, set: *const SigSet, old: *mut SigSet) -> c_int;
    fn sigwaitinfo(set: *const SigSet, info: *mut [u64; 16]) -> c_int;
    fn signal(sig: c_int, handler: usize) -> usize;
    fn setrlimit(resource: c_int, rlim: *const RLimit) -> c_int;
}

/// Every process below this one, found through /proc/<pid>/task/<tid>/children.
fn descendants() -> Vec<c_int> {
    let mut out = Vec::new();
    let mut todo = vec![unsafe { getpid() }];
    while let Some(pid) = todo.pop() {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { continue };
        for task in tasks.flatten() {
            let Ok(text) = std::fs::read_to_string(task.path().join("children")) else { continue };
            for child in text.split_whitespace().filter_map(|s| s.parse::<c_int>().ok()) {
                out.push(child);
                todo.push(child);
            }
        }
    }
    out
}

/// Kills everything below this process and reaps it, until nothing is left (a dying process's children are
/// reparented here and killed on the next round).
fn kill_all(group: c_int) {
    unsafe { kill(-group, SIGKILL) };
    loop {
        let below = descendants();
        for pid in &below {
            unsafe { kill(*pid, SIGKILL) };
        }
        let mut status = 0;
        let reaped = unsafe { waitpid(-1, &mut status, if below.is_empty() { WNOHANG } else { 0 }) };
        if reaped <= 0 && below.is_empty() {
            return;
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: freestand-launch PROGRAM [ARGS...]");
        std::process::exit(2);
    }
    let parent: c_int = std::env::var("FREESTAND_LAUNCH_PARENT").ok().and_then(|p| p.parse().ok()).unwrap_or(0);
    let mut set = SigSet([0; 16]);
    let mut old = SigSet([0; 16]);
    unsafe {
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        prctl(PR_SET_PDEATHSIG, SIGTERM as u64, 0, 0, 0);
        sigemptyset(&mut set);
        for s in [SIGHUP, SIGINT, SIGTERM, SIGCHLD] {
            sigaddset(&mut set, s);
        }
        // Blocked here and waited for with sigwaitinfo: no handler, no race with waitpid.
        sigprocmask(SIG_BLOCK, &set, &mut old);
    }
    // freestand died between spawning this and the prctl: nobody is left to wait for the program.
    if parent != 0 && unsafe { getppid() } != parent {
        std::process::exit(1);
    }
    let child = unsafe {
        Command::new(&args[0])
            .args(&args[1..])
            .env_remove("FREESTAND_LAUNCH_PARENT")
            .process_group(0)
            .pre_exec(|| {
                let empty = SigSet([0; 16]);
                sigprocmask(SIG_SETMASK, &empty, std::ptr::null_mut());
                Ok(())
            })
            .spawn()
    };
    let child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("freestand-launch: {}: {e}", args[0]);
            std::process::exit(if e.kind() == std::io::ErrorKind::NotFound { 127 } else { 126 });
        }
    };
    let pid = child.id() as c_int;
    let mut info = [0u64; 16];
    let status = loop {
        let sig = unsafe { sigwaitinfo(&set, &mut info) };
        if sig == SIGHUP || sig == SIGINT || sig == SIGTERM {
            kill_all(pid);
            std::process::exit(128 + sig);
        }
        // SIGCHLD: reap what ended; the program's own end ends the run.
        let mut ended = None;
        loop {
            let mut st = 0;
            let r = unsafe { waitpid(-1, &mut st, WNOHANG) };
            if r <= 0 {
                break;
            }
            if r == pid {
                ended = Some(st);
            }
        }
        if let Some(st) = ended {
            break st;
        }
    };
    kill_all(pid);
    let termsig = status & 0x7f;
    if termsig == 0 {
        std::process::exit((status >> 8) & 0xff);
    }
    // Died of a signal: die of the same one, so freestand reports it as such (without a core file of our own).
    unsafe {
        setrlimit(RLIMIT_CORE, &RLimit { cur: 0, max: 0 });
        signal(termsig, 0);
        sigprocmask(SIG_SETMASK, &old, std::ptr::null_mut());
        kill(getpid(), termsig);
    }
    std::process::exit(128 + termsig);
}
