#!/bin/sh
# Compiles jbuild-init statically for this machine's architecture (and for aarch64 when a cross
# compiler is installed) into OUTPUT/linux-<arch>/jbuild-init. Called by Maven (exec-maven-plugin).
set -eu
source_file=$1
output=$2
flags="-static -O2 -Wall -Wextra -Werror -std=gnu11"

compile() { # compiler arch
    mkdir -p "$output/linux-$2"
    if ! "$1" $flags -o "$output/linux-$2/jbuild-init" "$source_file" 2>"$output/linux-$2/cc.log"; then
        cat "$output/linux-$2/cc.log" >&2
        if ! echo 'int main(void){return 0;}' | "$1" -static -x c -o /dev/null - 2>/dev/null; then
            echo "ERROR: $1 cannot link static programs: the static C library (libc.a) is missing." >&2
            echo "ERROR: install it (Debian/Ubuntu: apt-get install libc6-dev; Fedora: glibc-static) and build again." >&2
        else
            echo "ERROR: compiling $source_file with $1 failed (see above)." >&2
        fi
        exit 1
    fi
    rm -f "$output/linux-$2/cc.log"
    strip "$output/linux-$2/jbuild-init" 2>/dev/null || true
}

host_cc=$(command -v cc || command -v gcc || true)
if [ -z "$host_cc" ]; then
    echo "ERROR: no C compiler (cc or gcc) found: jbuild's runtime needs one to build jbuild-init (apt-get install gcc libc6-dev)." >&2
    exit 1
fi
case "$(uname -m)" in
    x86_64) host_arch=x86_64 ;;
    aarch64|arm64) host_arch=aarch64 ;;
    *) host_arch=$(uname -m) ;;
esac
compile "$host_cc" "$host_arch"
if [ "$host_arch" != aarch64 ] && command -v aarch64-linux-gnu-gcc >/dev/null; then
    compile aarch64-linux-gnu-gcc aarch64
    aarch64-linux-gnu-strip "$output/linux-aarch64/jbuild-init" 2>/dev/null || true
fi
