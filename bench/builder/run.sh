#!/usr/bin/env bash
# Builder benchmark: cold build, fully cached rebuild, and rebuild after one context file changes,
# jbuild vs buildah bud --layers in the same run (hyperfine). Needs root, busybox-static, buildah, hyperfine.
# Usage: bench/builder/run.sh [RUNS]   (results: bench/builder/results/*.md)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${1:-5}
work=/tmp/jbuild-bench-$$; mkdir -p "$work"
cleanup() {
    buildah --root "$work/containers" --runroot "$work/runroot" umount -a >/dev/null 2>&1 || true
    grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
results="$here/results"
mkdir -p "$results"
# jbuild exactly as users run it: the launcher (JDK found from its release file, CLI jar and CDS archive kept fresh)
"$repo/bin/jbuild" --version >/dev/null
jbuild="$repo/bin/jbuild"
buildah_base=(buildah --root "$work/containers" --runroot "$work/runroot")

# the base images, built once by jbuild into a template store, then given to buildah through its OCI layout
mkdir -p "$work/base" "$work/debian-base"
cp "$here/base/Dockerfile" /bin/busybox "$work/base/"
cp "$here/debian-base/Dockerfile" "$work/debian-base/"
"$here/debian-rootfs.sh" "$work/debian-base/rootfs"
$jbuild --root "$work/template" build --progress plain -t busybox:latest "$work/base" >/dev/null 2>&1
$jbuild --root "$work/template" build --progress plain -t debian-base:latest "$work/debian-base" >/dev/null 2>&1
cat > "$work/seed-buildah.sh" <<SEED
#!/bin/sh
# buildah's cold start: no images, no cache, only the base images
${buildah_base[*]} rmi -a -f >/dev/null 2>&1 || true
for base in busybox debian-base; do
    id=\$(${buildah_base[*]} pull -q "oci:$work/template:docker.io/library/\$base:latest" | tail -1)
    ${buildah_base[*]} tag "\$id" "docker.io/library/\$base:latest"
done
SEED
chmod +x "$work/seed-buildah.sh"
"$work/seed-buildah.sh"

for case in busybox-multistage debian-multistage large-context; do
    ctx="$work/ctx-$case"
    cp -a "$here/$case" "$ctx"
    if [ "$case" = large-context ]; then
        python3 "$repo/bench/layers/gen-tree.py" "$ctx/src" >/dev/null
    fi
    jb="$jbuild --root $work/store build --progress plain -t bench:$case $ctx"
    bb="${buildah_base[*]} bud --layers --isolation chroot --pull-never -t bench:$case $ctx"
    reset_jb="rm -rf $work/store && cp -a $work/template $work/store"
    hyperfine --runs "$runs" --export-markdown "$results/$case-cold.md" \
        -n "jbuild cold" --prepare "$reset_jb" "$jb" \
        -n "buildah cold" --prepare "$work/seed-buildah.sh" "$bb"
    # jbuild --version: the JVM started with jbuild's classes and its command line read, and no build;
    # what any cached build pays before its own work, timed beside it
    hyperfine --runs "$runs" --warmup 1 --export-markdown "$results/$case-cached.md" \
        -n "jbuild cached" "$jb" \
        -n "buildah cached" "$bb" \
        -n "jbuild --version" "$jbuild --version"
    hyperfine --runs "$runs" --warmup 1 --export-markdown "$results/$case-touched.md" \
        -n "jbuild one file changed" --prepare "date +%s%N > $ctx/src/touched.txt" "$jb" \
        -n "buildah one file changed" --prepare "date +%s%N > $ctx/src/touched.txt" "$bb"
done
echo "results in $results"
