//! Cargo runs this build script before compiling the crate. Its one job: rebuild and relink when the linker
//! script changes, which cargo would not notice by itself (link.x is not a Rust source file).
fn main() {
    println!("cargo::rerun-if-changed=link.x");
}
