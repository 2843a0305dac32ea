# Bare-metal targets step of scripts/ensure-env.sh (sourced; `need_debs` comes from there).
# QEMU, lld and the sysroots come from the toolchain step (10-toolchain.sh). bench/targets.ts builds the same
# minimal Cortex-M3 program in C for comparison, with Debian's bare-metal GCC (its own freestanding headers suffice).
need_debs gcc-arm-none-eabi
