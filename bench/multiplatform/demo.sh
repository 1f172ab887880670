#!/usr/bin/env bash
# The multi-platform walk-through, end to end on this machine (as root): a two-platform build of
# testdata/multiplatform/busybox (its RUN steps run the arm64 busybox under qemu-user-static) pushed to a
# docker-registry on a free loopback port, then read back with skopeo, umoci and file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/jbuild-demo-multiplatform.XXXXXX)
source "$repo/scripts/lib/local-registry.sh"
cleanup() { stop_local_registry; rm -rf "$work"; }
trap cleanup EXIT
step() { printf '\n$ %s\n' "$*"; "$@"; }

bash "$repo/testdata/multiplatform/qemu-user-static.sh"
arm_busybox=$(bash "$repo/testdata/multiplatform/arm64-busybox.sh")
mkdir -p "$work/context"
cp /bin/busybox "$work/context/busybox-amd64"
cp "$arm_busybox" "$work/context/busybox-arm64"

start_local_registry "$work/registry" "$work/registry.log"
image=$registry_host/demo/busybox:multi

step "$repo/bin/jbuild" info --install-emulators
step "$repo/bin/jbuild" --root "$work/store" --platform linux/amd64,linux/arm64 -t "$image" --push --progress plain \
  -f "$repo/testdata/multiplatform/busybox/Dockerfile" "$work/context"
step skopeo inspect --tls-verify=false --raw "docker://$image"
echo
step skopeo copy --src-tls-verify=false --all "docker://$image" "oci:$work/all:multi"
step skopeo inspect --tls-verify=false --override-arch arm64 --config "docker://$image"
echo
step skopeo copy --src-tls-verify=false --override-arch arm64 "docker://$image" "oci:$work/arm64:arm64"
step umoci unpack --image "$work/arm64:arm64" "$work/bundle"
step file "$work/bundle/rootfs/bin/busybox"
step cat "$work/bundle/rootfs/etc/built-on-machine" "$work/bundle/rootfs/etc/target-platform"
