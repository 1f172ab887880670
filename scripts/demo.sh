#!/usr/bin/env bash
# The README's first set-up command: a real build with a RUN step, from nothing but this checkout.
# Makes a busybox base image from the host's static busybox (no registry needed), builds
# testdata/examples/hello with it, and runs the result.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

if [ ! -x /bin/busybox ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "demo: installing busybox-static for the base image" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
  else
    echo "demo: needs /bin/busybox (apt-get install busybox-static)" >&2
    exit 2
  fi
fi

rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
sh "$here/testdata/examples/hello/busybox-rootfs.sh" "$rootfs"

set -x
"$here/bin/jbuild" import "$rootfs" busybox:latest
"$here/bin/jbuild" build -t hello:latest "$here/testdata/examples/hello"
"$here/bin/jbuild" run --rm hello:latest
