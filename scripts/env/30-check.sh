# `check` step of scripts/ensure-env.sh (sourced; `need_debs` comes from there).
# bench/check.ts reads the Rust library sources (core + alloc) and builds real crates offline from Debian's
# librust-*-dev sources beside `cargo check`.
need_debs rust-web-src librust-hashbrown-dev librust-serde-dev librust-memchr-dev time
