# Debugging step of scripts/ensure-env.sh (sourced; `need_debs` comes from there).
# `freestand gdb` and its tests drive the real debuggers: gdb-multiarch for QEMU's targets, gdb for the host's,
# and LLDB 22 for LoongArch, which Debian 12's gdb-multiarch was built without.
need_debs gdb-multiarch gdb lldb-22
