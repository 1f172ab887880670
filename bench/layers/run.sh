#!/bin/sh
# Layer write (tar+gzip+digest) and apply of a ~200 MB mixed tree: jbuild's LayerWriter/LayerApplier
# against GNU tar czf / tar xzf on the same tree, whole programs (JVM start included): interleaved
# rounds timed with /usr/bin/time (median of RUNS, default 5); HYPERFINE=1 adds hyperfine runs.
# Usage: bench/layers/run.sh [WORKDIR]   (default /tmp/jbuild-bench-layers; needs ~1.2 GB free)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-/tmp/jbuild-bench-layers}
runs=${RUNS:-5}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}

mkdir -p "$work"
# one reactor run, so oci-model comes from this checkout and not from a stale ~/.m2 (layer-store writes
# deps.txt last, being last in reactor order)
(cd "$repo" && mvn -B -q -pl layer-store -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$work/deps.txt")
# copies, so that rebuilding the repository during a run cannot change what is measured
mkdir -p "$work/lib"
cp "$repo"/layer-store/target/layer-store-*.jar "$repo"/oci-model/target/oci-model-*.jar "$work/lib/"
cp="$(ls "$work"/lib/*.jar | tr '\n' ':')$(cat "$work/deps.txt")"
mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" -d "$work/classes" -cp "$cp" "$here/src/LayerBench.java"
java="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp $work/classes:$cp LayerBench"

if [ ! -d "$work/tree" ]; then
    python3 "$here/gen-tree.py" "$work/tree"
fi
du -sb "$work/tree"
tar czf "$work/gnu.tgz" -C "$work/tree" .

if [ "${HYPERFINE:-0}" = 1 ]; then
    hyperfine --runs "$runs" --warmup 1 --export-json "$work/write.json" \
        -n "tar czf" "tar czf $work/gnu-out.tgz -C $work/tree ." \
        -n "jbuild write gzip" "$java write $work/tree $work/jbuild.tgz gzip" \
        -n "jbuild write zstd" "$java write $work/tree $work/jbuild.tzst zstd"
    hyperfine --runs "$runs" --warmup 1 --export-json "$work/apply.json" \
        --prepare "rm -rf $work/x && mkdir $work/x" \
        -n "tar xzf" "tar xzf $work/gnu.tgz -C $work/x" \
        -n "jbuild apply gzip" "$java apply $work/gnu.tgz $work/x"
fi

# Interleaved rounds: each round runs every command once, in rotating order, so a change in the
# machine's load (it is shared) hits all commands alike. Wall, user and system seconds per run.
: > "$work/times.tsv"
measure() {
    name=$1; shift
    rm -rf "$work/x" && mkdir "$work/x" && sync
    /usr/bin/time -f "$name\t%e\t%U\t%S" -a -o "$work/times.tsv" "$@" > /dev/null
}
i=0
while [ "$i" -lt "$runs" ]; do
    for k in 0 1 2 3 4; do
        case $(( (k + i) % 5 )) in
            0) measure "tar czf" tar czf "$work/gnu-out.tgz" -C "$work/tree" . ;;
            1) measure "jbuild write gzip" $java write "$work/tree" "$work/jbuild.tgz" gzip ;;
            2) measure "jbuild write zstd" $java write "$work/tree" "$work/jbuild.tzst" zstd ;;
            3) measure "tar xzf" tar xzf "$work/gnu.tgz" -C "$work/x" ;;
            4) measure "jbuild apply gzip" $java apply "$work/gnu.tgz" "$work/x" ;;
        esac
    done
    i=$((i + 1))
done
ls -l "$work/gnu.tgz" "$work/jbuild.tgz" "$work/jbuild.tzst"
python3 - "$work/times.tsv" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, user, system = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(wall), float(user), float(system)))
medians = {n: [statistics.median(c) for c in zip(*v)] for n, v in rows.items()}
for name, (wall, user, system) in medians.items():
    print("%-18s runs %d  median wall %6.2f s  user %5.2f s  sys %5.2f s  cpu %5.2f s"
          % (name, len(rows[name]), wall, user, system, user + system))
for ours, peer in (("jbuild write gzip", "tar czf"), ("jbuild apply gzip", "tar xzf")):
    print("%s / %s: wall %.2fx, cpu %.2fx" % (ours, peer, medians[ours][0] / medians[peer][0],
          sum(medians[ours][1:]) / sum(medians[peer][1:])))
PY
