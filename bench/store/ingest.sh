#!/usr/bin/env bash
# Store ingest and fsck on the ~200 MB benchmark tree, against coreutils doing the same work.
#   import of a .tar.gz (stored as is): gunzip+sha256 for the diffID, sha256+copy+fsync for the blob
#   import of a plain .tar: gzip -6 + sha256 of both streams + fsync
#   fsck: sha256 of every blob
# Usage: bench/store/ingest.sh [WORKDIR]   (needs python3, hyperfine, a JDK 25 for bin/jbuild)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/jbuild-bench-store}"
mkdir -p "$work"
if [[ ! -f "$work/tree.tar" ]]; then
    rm -rf "$work/tree"
    python3 "$repo/bench/layers/gen-tree.py" "$work/tree"
    tar -C "$work/tree" --sort=name -cf "$work/tree.tar" .
    gzip -6 -kf "$work/tree.tar"
fi
jbuild="$repo/bin/jbuild"
"$jbuild" --version >/dev/null   # builds the CLI once, outside the measurements

hyperfine --warmup 1 --runs 5 --export-markdown "$work/import-gz.md" \
    --prepare "rm -rf '$work/store' '$work/copy'; mkdir -p '$work/copy'" \
    -n 'jbuild import tree.tar.gz' "'$jbuild' --root '$work/store' import '$work/tree.tar.gz' bench:gz" \
    -n 'gunzip|sha256sum; sha256sum; cp; sync' \
    "gzip -dc '$work/tree.tar.gz' | sha256sum >/dev/null; sha256sum '$work/tree.tar.gz' >/dev/null; cp '$work/tree.tar.gz' '$work/copy/blob'; sync -f '$work/copy/blob'"

hyperfine --warmup 1 --runs 3 --export-markdown "$work/import-tar.md" \
    --prepare "rm -rf '$work/store' '$work/copy'; mkdir -p '$work/copy'" \
    -n 'jbuild import tree.tar' "'$jbuild' --root '$work/store' import '$work/tree.tar' bench:tar" \
    -n 'tee >(sha256sum) | gzip -6 | tee >(sha256sum) > blob; sync' \
    "bash -c \"tee >(sha256sum >/dev/null) < '$work/tree.tar' | gzip -6 | tee >(sha256sum >/dev/null) > '$work/copy/blob'; sync -f '$work/copy/blob'\""

rm -rf "$work/store"
"$jbuild" --root "$work/store" import "$work/tree.tar" bench:tar >/dev/null
"$jbuild" --root "$work/store" import "$work/tree.tar.gz" bench:gz >/dev/null
hyperfine --warmup 1 --runs 5 --export-markdown "$work/fsck.md" \
    -n 'jbuild fsck' "'$jbuild' --root '$work/store' fsck" \
    -n 'sha256sum blobs/sha256/*' "sha256sum '$work/store'/blobs/sha256/* >/dev/null"
cat "$work/import-gz.md" "$work/import-tar.md" "$work/fsck.md"
