#!/usr/bin/env bash
# Regenerates cli/src/cds/classes.lst, the class list the launcher dumps its CDS archive from.
#
# The JVM maps classes from that archive instead of loading, parsing and verifying them from the
# jars, which is most of a short command's start-up. The list is the union of the classes that a
# representative session loads (build cold, cached and after a context change with a RUN step, a
# multi-stage build with COPY --from, run, push, pull, copy, images, inspect, parse, help), so one
# archive serves every command whichever runs first.
# Run it as root (the build runs RUN steps) after changes that load other classes; a class missing
# from the list still loads from its jar, only more slowly. Needs docker-registry and busybox-static.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$repo/bin/lib/java.sh"
jdk=$(find_jdk25)
"$repo/bin/jbuild" --version >/dev/null   # builds the CLI jar when stale

work=$(mktemp -d "${TMPDIR:-/tmp}/jbuild-cds.XXXXXX")
source "$repo/scripts/lib/local-registry.sh"
cleanup() {
  stop_local_registry
  rm -rf "$work"
}
trap cleanup EXIT
start_local_registry "$work/registry" "$work/registry.log"
host=$registry_host

run=0
traced() { # runs the CLI with its arguments, recording the classes it loads
  run=$((run + 1))
  "$jdk/bin/java" "${jbuild_jvm_flags[@]}" -Djbuild.exit.jvm=true -Xshare:off -XX:DumpLoadedClassList="$work/$run.lst" \
      -jar "$cli_jar" --root "$work/store" "$@" >/dev/null 2>&1 || { echo "cds-classlist: jbuild $* failed" >&2; exit 1; }
}

sh "$repo/testdata/examples/hello/busybox-rootfs.sh" "$work/rootfs"
traced --version
traced --help
traced parse "$repo/testdata/examples/hello/Dockerfile"
traced import "$work/rootfs" busybox:latest
traced build --progress plain -t hello:latest "$repo/testdata/examples/hello"
traced build --progress plain -t hello:latest "$repo/testdata/examples/hello"
cp -r "$repo/testdata/examples/hello" "$work/hello-touched"
echo "one more line" >> "$work/hello-touched/message.txt"
traced build --progress plain -t hello:touched "$work/hello-touched"
traced build --progress plain -t multi:latest "$repo/testdata/builds/multi-stage"
traced build --progress plain -t multi:latest "$repo/testdata/builds/multi-stage"
traced run --rm hello:latest
traced images
traced inspect hello:latest
traced push hello:latest "$host/cds/hello:1"
traced rmi hello:latest
traced pull "$host/cds/hello:1"
traced copy "docker://$host/cds/hello:1" "oci:$work/layout:1"
traced copy "oci:$work/layout:1" "docker://$host/cds/again:1"

# The union in first-seen order, without the files' comments and without the per-file class ids,
# which would clash between files (classes on the class path need no id).
cat "$work"/*.lst | grep -v '^#' | sed 's/ id: [0-9]*$//' | awk '!seen[$0]++' > "$work/classes.lst"
mv "$work/classes.lst" "$repo/cli/src/cds/classes.lst"
echo "cds-classlist: $(wc -l < "$repo/cli/src/cds/classes.lst") entries in cli/src/cds/classes.lst" >&2
