# dependency_requires_std (test/deps, bench/deps): real crates nobody here wrote, from Debian's librust-*-dev
# packages, which install crate sources under /usr/share/cargo/registry — a directory source cargo reads offline.
# serde-json pulls in serde, itoa and ryu; rand pulls in rand_core, rand_chacha, getrandom, libc, ppv-lite86.
need_debs librust-arbitrary-dev librust-owning-ref-dev librust-sval-dev librust-value-bag-dev librust-serde-fmt-dev librust-ctor-dev \
  librust-serde-dev librust-serde-json-dev librust-memchr-dev librust-hashbrown-dev librust-log-dev \
  librust-libm-dev librust-spin-dev librust-bitflags-dev librust-itoa-dev librust-byteorder-dev librust-smallvec-dev \
  librust-rand-dev librust-rayon-dev librust-indexmap-dev librust-lazy-static-dev librust-once-cell-dev \
  librust-crossbeam-channel-dev librust-erased-serde-dev librust-tiny-keccak-dev librust-const-random-dev \
  librust-lock-api-dev librust-bumpalo-dev librust-memoffset-dev librust-regex-dev librust-toml-dev \
  librust-parking-lot-core-dev
