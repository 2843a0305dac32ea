# Toolchain step of scripts/ensure-env.sh (sourced; `need_debs` comes from there).
# QEMU for every bare-metal target, LLVM's lld to link them, and a compiler whose library sources are installed
# (Debian's rustc-web with rust-web-src), so `core` can be built offline for targets rustup cannot download.
need_debs qemu-system-arm qemu-system-misc qemu-system-x86 lld rustc-web rust-web-src
need_matching_lld

# One sysroot per catalogue target, built once with our own CLI and reused on later runs (a cache hit takes
# a fraction of a second). scripts/test.sh compiles the TypeScript before this step runs.
if [ -f dist/bin/freestand.js ]; then
  if ! node dist/bin/freestand.js sysroot --all >&2; then
    echo "ensure-env: building the sysroots failed; the tests that need a bare-metal core will be skipped" >&2
  fi
else
  echo "ensure-env: dist/ is not built yet (run npm run build first); sysroots not built" >&2
fi
