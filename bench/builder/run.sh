#!/usr/bin/env bash
# Builder benchmark: cold build, fully cached rebuild, and rebuild after one context file changes,
# jbuild vs buildah bud --layers in the same run (hyperfine). Needs root, busybox-static, buildah, hyperfine.
# Usage: bench/builder/run.sh [RUNS]   (results: bench/builder/results/*.md)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${1:-5}
work=$(mktemp -d /tmp/jbuild-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
results="$here/results"
mkdir -p "$results"
jbuild="$repo/bin/jbuild"
buildah_base=(buildah --root "$work/containers" --runroot "$work/runroot")

# the base image, built once by jbuild into a template store, then given to buildah through an OCI layout
mkdir -p "$work/base"
cp "$here/base/Dockerfile" /bin/busybox "$work/base/"
"$jbuild" --root "$work/template" build --progress plain -t busybox:latest "$work/base" >/dev/null 2>&1
cat > "$work/seed-buildah.sh" <<SEED
#!/bin/sh
# buildah's cold start: no images, no cache, only the base image
${buildah_base[*]} rmi -a -f >/dev/null 2>&1 || true
id=\$(${buildah_base[*]} pull -q "oci:$work/template:docker.io/library/busybox:latest" | tail -1)
${buildah_base[*]} tag "\$id" docker.io/library/busybox:latest
SEED
chmod +x "$work/seed-buildah.sh"
"$work/seed-buildah.sh"

for case in busybox-multistage; do
    ctx="$work/ctx-$case"
    cp -a "$here/$case" "$ctx"
    jb="$jbuild --root $work/store build --progress plain -t bench:$case $ctx"
    bb="${buildah_base[*]} bud --layers --isolation chroot --pull-never -t bench:$case $ctx"
    reset_jb="rm -rf $work/store && cp -a $work/template $work/store"
    hyperfine --runs "$runs" --export-markdown "$results/$case-cold.md" \
        -n "jbuild cold" --prepare "$reset_jb" "$jb" \
        -n "buildah cold" --prepare "$work/seed-buildah.sh" "$bb"
    hyperfine --runs "$runs" --warmup 1 --export-markdown "$results/$case-cached.md" \
        -n "jbuild cached" "$jb" \
        -n "buildah cached" "$bb"
    hyperfine --runs "$runs" --warmup 1 --export-markdown "$results/$case-touched.md" \
        -n "jbuild one file changed" --prepare "date +%s%N > $ctx/src/touched.txt" "$jb" \
        -n "buildah one file changed" --prepare "date +%s%N > $ctx/src/touched.txt" "$bb"
done
echo "results in $results"
