//! Cargo runs this build script before compiling the crate. It lets the linker find link.x and relinks when
//! link.x changes, which cargo would not notice by itself (it is not a Rust source file).
use std::env;

fn main() {
    // `-Tlink.x` is searched in the linker's working directory (the workspace root when this crate is a member)
    // and in the library search path: this crate's directory goes there, so the script is found either way.
    let here = env::var("CARGO_MANIFEST_DIR").expect("cargo sets it for build scripts");
    println!("cargo::rustc-link-search=native={here}");
    println!("cargo::rerun-if-changed=link.x");
}
