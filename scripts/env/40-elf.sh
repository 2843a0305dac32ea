# ELF step of scripts/ensure-env.sh (sourced; `need_debs` comes from there).
# The ELF tests build their inputs at test time and compare with the reference tools:
#   gcc + libc6-dev (static and dynamic x86_64 programs), gcc-arm-none-eabi (32-bit ARM Cortex-M images),
#   gcc-powerpc-linux-gnu + binutils (a big-endian ELF and its `size`), llvm (llvm-readobj JSON, llvm-cxxfilt),
#   rust-web-src (its vendored rustc-demangle is the reference demangler), time (GNU time for bench/elf).
need_debs gcc libc6-dev binutils gcc-arm-none-eabi binutils-arm-none-eabi gcc-powerpc-linux-gnu binutils-powerpc-linux-gnu llvm rust-web-src time
