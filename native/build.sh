#!/usr/bin/env bash
# Builds libjpprof.so for every Linux target this machine can build, into the module's classes
# directory so that the agent jar carries it under dev/jpprof/native/<os-arch>/.
# Usage: build.sh <java home with include/> <output classes dir>
# linux-x64 needs the system C compiler; linux-arm64 needs Debian's gcc-aarch64-linux-gnu and
# is skipped, with one line saying so, where it is not installed. macOS is not built here: no
# honest way to build and test a Mach-O library on these machines (the agent falls back there).
set -euo pipefail
java_home=$1
out=$2
src="$(dirname "$0")/src/main/c/heap.c"
include="$java_home/include"
[ -f "$include/jvmti.h" ] || { echo "native: no jvmti.h under $include (a JDK, not a JRE, must run Maven)" >&2; exit 1; }

# No libc (-nostdlib, checked by --no-undefined): one library serves glibc and musl.
# Outline atomics would call libgcc helpers on arm64; inline them instead.
flags=(-O2 -fPIC -shared -std=c11 -Wall -Wextra -Werror -nostdlib -ffreestanding
       -fno-stack-protector -fvisibility=hidden -U_FORTIFY_SOURCE
       -Wl,--no-undefined -Wl,-z,noexecstack -Wl,--hash-style=both
       -I"$include" -I"$include/linux")

build() { # target-dir compiler [extra flags...]
  local target=$1 cc=$2
  local dir="$out/dev/jpprof/native/$target"
  shift 2
  mkdir -p "$dir"
  "$cc" "${flags[@]}" "$@" -o "$dir/libjpprof.so" "$src"
  echo "native: built $target/libjpprof.so with $cc"
}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64)
    build linux-x64 "${CC:-cc}"
    if command -v aarch64-linux-gnu-gcc >/dev/null; then
      build linux-arm64 aarch64-linux-gnu-gcc -mno-outline-atomics
    else
      echo "native: linux-arm64 skipped: aarch64-linux-gnu-gcc not installed (apt-get install gcc-aarch64-linux-gnu)"
    fi
    ;;
  Linux-aarch64)
    build linux-arm64 "${CC:-cc}" -mno-outline-atomics
    ;;
  *)
    echo "native: no library for $(uname -s)-$(uname -m); the agent uses its fallback heap engine there"
    ;;
esac
