#!/usr/bin/env bash
# Makes sure Debian's qemu-user-static is installed (its binfmt.d registrations and static interpreters);
# registering them is jbuild's job (jbuild info --install-emulators). Exit 3 with the reason on stderr means "skip".
set -euo pipefail
if [ -f /usr/lib/binfmt.d/qemu-aarch64.conf ] && [ -x /usr/bin/qemu-aarch64-static ]; then
  exit 0
fi
skip() { echo "$*" >&2; exit 3; }
[ "$(id -u)" = 0 ] || skip "qemu-user-static is not installed and installing it needs root (apt-get install -y qemu-user-static)"
command -v apt-get >/dev/null || skip "qemu-user-static is not installed and there is no apt-get to install it"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-user-static >&2 \
  || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-user-static >&2; } \
  || skip "apt-get install -y qemu-user-static failed"
