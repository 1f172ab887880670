#!/usr/bin/env bash
# The multi-platform walk-through, end to end on this machine (as root): a two-platform build of
# testdata/multiplatform/busybox (its RUN steps run the arm64 busybox under qemu-user-static) pushed to a
# docker-registry on a free loopback port, then read back with skopeo, umoci and file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/jbuild-demo-multiplatform.XXXXXX)
registry_pid=
cleanup() { [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
step() { printf '\n$ %s\n' "$*"; "$@"; }

bash "$repo/testdata/multiplatform/qemu-user-static.sh"
arm_busybox=$(bash "$repo/testdata/multiplatform/arm64-busybox.sh")
mkdir -p "$work/context"
cp /bin/busybox "$work/context/busybox-amd64"
cp "$arm_busybox" "$work/context/busybox-arm64"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port, secret: demo-only}
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
image=127.0.0.1:$port/demo/busybox:multi

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
