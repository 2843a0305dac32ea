# Sourced by scripts that need Debian packages: `need_debs pkg...` installs the ones that are missing (as root,
# with apt), running `apt-get update` once first; otherwise it says what is missing and carries on.
apt_updated=0
need_debs() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "need-debs: cannot install ${missing[*]} (not root or no apt); tests that need them will be skipped" >&2
    return 0
  fi
  if [ $apt_updated = 0 ]; then
    echo "need-debs: apt-get update" >&2
    # Another apt may be running (a previous install); wait for its lock instead of failing.
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt_updated=1
  fi
  echo "need-debs: installing ${missing[*]}" >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The lld of the LLVM that Debian's rustc-web is built on (`lld-22` for LLVM 22): an older lld cannot link every
# target (LLVM 14's stops at LoongArch's relocations). Plain `lld` stays as the fallback freestand also finds.
need_matching_lld() {
  local major
  major=$(/usr/bin/rustc -vV 2>/dev/null | sed -n 's/^LLVM version: \([0-9][0-9]*\).*/\1/p')
  [ -n "$major" ] && need_debs "lld-$major"
  return 0
}
