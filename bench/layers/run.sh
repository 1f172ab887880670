#!/bin/sh
# Layer write (tar+gzip+digest) and apply of a ~200 MB mixed tree: jbuild's LayerWriter/LayerApplier
# against GNU tar czf / tar xzf on the same tree, whole programs (JVM start included), with hyperfine.
# Usage: bench/layers/run.sh [WORKDIR]   (default /tmp/jbuild-bench-layers; needs ~1.2 GB free)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-/tmp/jbuild-bench-layers}
runs=${RUNS:-5}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}

mkdir -p "$work"
(cd "$repo" && mvn -B -q -pl layer-store -am package -DskipTests \
    && mvn -B -q -pl layer-store dependency:build-classpath -Dmdep.outputFile="$work/deps.txt")
cp="$repo/layer-store/target/classes:$repo/oci-model/target/classes:$(cat "$work/deps.txt")"
mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" -d "$work/classes" -cp "$cp" "$here/src/LayerBench.java"
java="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp $work/classes:$cp LayerBench"

if [ ! -d "$work/tree" ]; then
    python3 "$here/gen-tree.py" "$work/tree"
fi
du -sb "$work/tree"
tar czf "$work/gnu.tgz" -C "$work/tree" .

hyperfine --runs "$runs" --warmup 1 --export-json "$work/write.json" \
    -n "tar czf" "tar czf $work/gnu-out.tgz -C $work/tree ." \
    -n "jbuild write gzip" "$java write $work/tree $work/jbuild.tgz gzip" \
    -n "jbuild write zstd" "$java write $work/tree $work/jbuild.tzst zstd"
hyperfine --runs "$runs" --warmup 1 --export-json "$work/apply.json" \
    --prepare "rm -rf $work/x && mkdir $work/x" \
    -n "tar xzf" "tar xzf $work/gnu.tgz -C $work/x" \
    -n "jbuild apply gzip" "$java apply $work/gnu.tgz $work/x"
ls -l "$work/gnu.tgz" "$work/jbuild.tgz" "$work/jbuild.tzst"
python3 - "$work/write.json" "$work/apply.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        print("%-20s median %6.2f s  mean %6.2f ± %.2f s  user %5.2f s  sys %5.2f s"
              % (r["command"], r["median"], r["mean"], r["stddev"], r["user"], r["system"]))
PY
