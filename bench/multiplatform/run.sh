#!/usr/bin/env bash
# Two-platform build (linux/amd64 native + linux/arm64 under qemu-user-static) of bench/multiplatform/Dockerfile:
# one platform at a time against both at once, with each platform alone for reference; buildah's
# multi-platform build of the same Dockerfile as the peer when it can run here. Needs root, hyperfine,
# busybox-static and qemu-user-static (installed by testdata/multiplatform/*.sh). Results go to results/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${RUNS:-5}
work=$(mktemp -d /tmp/jbuild-bench-multiplatform.XXXXXX)
trap 'rm -rf "$work"' EXIT

[ "$(id -u)" = 0 ] || { echo "needs root (builds run containers; emulators are registered in binfmt_misc)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
bash "$repo/testdata/multiplatform/qemu-user-static.sh"
arm_busybox=$(bash "$repo/testdata/multiplatform/arm64-busybox.sh")
"$repo/bin/jbuild" info --install-emulators | sed -n '/^emulators:/p;/^platforms:/p'

mkdir -p "$work/context" "$here/results"
cp /bin/busybox "$work/context/busybox-amd64"
cp "$arm_busybox" "$work/context/busybox-arm64"
cp "$here/Dockerfile" "$work/context/Dockerfile"

jbuild="$repo/bin/jbuild --root $work/store"
build="--no-cache --progress plain -t bench/multi:latest $work/context"
"$repo/bin/jbuild" --root "$work/store" --platform linux/amd64,linux/arm64 -t bench/multi:warm "$work/context" >/dev/null 2>&1

commands=(
  -n "amd64 alone" "$jbuild --platform linux/amd64 $build"
  -n "arm64 alone (emulated)" "$jbuild --platform linux/arm64 $build"
  -n "amd64+arm64, one at a time" "$jbuild --platform linux/amd64,linux/arm64 --max-parallel-platforms 1 $build"
  -n "amd64+arm64, both at once" "$jbuild --platform linux/amd64,linux/arm64 --max-parallel-platforms 2 $build"
)
if command -v buildah >/dev/null && buildah --storage-driver vfs --root "$work/buildah" --runroot "$work/buildah-run" \
    build --isolation chroot --platform linux/amd64,linux/arm64 --manifest bench-check "$work/context" >/dev/null 2>&1; then
  commands+=(-n "buildah amd64+arm64 (vfs, chroot)" "buildah --storage-driver vfs --root $work/buildah --runroot $work/buildah-run build --isolation chroot --layers=false --platform linux/amd64,linux/arm64 --manifest bench-multi-\$(date +%s%N) $work/context")
else
  echo "buildah cannot build this Dockerfile for two platforms here; left out of the comparison" >&2
fi
hyperfine --warmup 1 --runs "$runs" --export-markdown "$here/results/multiplatform.md" \
  --export-json "$here/results/multiplatform.json" "${commands[@]}"
{
  echo
  echo "machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ), load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"
  echo "peers: $(hyperfine --version), qemu-user-static $(dpkg-query -W -f '${Version}' qemu-user-static), $(buildah --version 2>/dev/null || echo 'buildah absent')"
} >> "$here/results/multiplatform.md"
cat "$here/results/multiplatform.md"
