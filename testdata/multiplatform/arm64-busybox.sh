#!/usr/bin/env bash
# Prints the path of a static arm64 busybox, fetching Debian's busybox-static:arm64 the first time.
# Tests that run foreign programs call this; exit 3 with the reason on stderr means "skip".
# The package is unpacked, not installed: busybox-static is not Multi-Arch, so installing the arm64
# one would replace the host's /bin/busybox.
set -euo pipefail
cache="${JBUILD_TEST_CACHE:-${TMPDIR:-/tmp}/jbuild-test-cache}/busybox-arm64"
if [ -x "$cache/bin/busybox" ]; then
  echo "$cache/bin/busybox"
  exit 0
fi
skip() { echo "$*" >&2; exit 3; }
[ "$(id -u)" = 0 ] || skip "fetching busybox-static:arm64 needs root (apt-get download); not root"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || skip "apt-get and dpkg-deb are needed to fetch busybox-static:arm64"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  apt-get update -q >&2 || skip "apt-get update after dpkg --add-architecture arm64 failed"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q busybox-static:arm64 >&2) \
  || { apt-get update -q >&2 && (cd "$work" && apt-get download -q busybox-static:arm64 >&2); } \
  || skip "apt-get download busybox-static:arm64 failed"
dpkg-deb -x "$work"/busybox-static_*_arm64.deb "$work/root"
mkdir -p "$(dirname "$cache")"
rm -rf "$cache.tmp" && mv "$work/root" "$cache.tmp" && mv -T "$cache.tmp" "$cache"
echo "$cache/bin/busybox"
