#!/usr/bin/env bash
# Per-container overhead: start -> exit of `true` in a busybox rootfs, jbuild-init against runc and crun
# on the same rootfs. Needs root, hyperfine, a static /bin/busybox and a built runtime module
# (mvn -pl runtime -am package). Usage: bench/runtime/run.sh [RUNS]   (results: bench/runtime/results/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${1:-200}
arch=$(uname -m)
helper=$repo/runtime/target/classes/dev/jbuild/runtime/native/linux-$arch/jbuild-init
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -x "$helper" ] || { echo "build first: mvn -B -q -pl runtime -am package -DskipTests" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "install hyperfine" >&2; exit 1; }

work=$(mktemp -d /tmp/jbuild-bench-runtime.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs=$work/bundle/rootfs
mkdir -p "$rootfs/bin" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/etc" "$rootfs/tmp" "$work/upper" "$work/work" "$work/merged"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $(/bin/busybox --list-full); do
    [ -e "$rootfs/$applet" ] || { mkdir -p "$(dirname "$rootfs/$applet")"; ln -s /bin/busybox "$rootfs/$applet"; }
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"

# jbuild-init specs: "JBI1 <length>\n" then NUL-terminated key/value tokens (see jbuild-init.c)
spec() { # file tokens...
    local out=$1; shift
    local body
    body=$(printf '%s\0' "$@" | base64 -w0)
    { printf 'JBI1 %d\n' "$(printf '%s' "$body" | base64 -d | wc -c)"; printf '%s' "$body" | base64 -d; } > "$out"
}
common=(hostname bench cwd / uid 0 gid 0 group 0 env PATH=/usr/sbin:/usr/bin:/sbin:/bin arg /bin/true)
spec "$work/overlay.spec" status "$work/status" flags MPTINC lower "$rootfs" overlay "$work/upper" "$work/work" "$work/merged" "${common[@]}"
spec "$work/dir.spec" status "$work/status" flags MPTINC rootdir "$rootfs" "${common[@]}"
"$helper" < "$work/overlay.spec" && "$helper" < "$work/dir.spec"

# the same rootfs as an OCI bundle: runc's default spec, command `true`, no terminal, writable rootfs
(cd "$work/bundle" && runc spec)
jq '.process.args=["/bin/true"] | .process.terminal=false | .root.readonly=false | .hostname="bench"' \
    "$work/bundle/config.json" > "$work/bundle/config.tmp" && mv "$work/bundle/config.tmp" "$work/bundle/config.json"

# runc over the same overlay, mounted the way `jbuild run --runtime runc` does it (private mount namespace)
mkdir -p "$work/bundle-overlay/rootfs" "$work/upper-runc" "$work/work-runc"
jq '.root.path="rootfs"' "$work/bundle/config.json" > "$work/bundle-overlay/config.json"
overlay_opts="lowerdir=$rootfs,upperdir=$work/upper-runc,workdir=$work/work-runc,userxattr,index=off,metacopy=off,redirect_dir=nofollow"

mkdir -p "$here/results"
commands=(
    -n "jbuild-init, overlay rootfs" "$helper < $work/overlay.spec"
    -n "jbuild-init, directory rootfs" "$helper < $work/dir.spec"
    -n "runc run" "runc run --bundle $work/bundle jbuild-bench-runc"
    -n "runc run, overlay rootfs" "unshare --mount --propagation private sh -c 'mount -t overlay overlay -o $overlay_opts $work/bundle-overlay/rootfs && exec runc run --bundle $work/bundle-overlay jbuild-bench-runc-ovl'"
)
crun_note="crun not installed"
if command -v crun >/dev/null; then
    if crun_out=$(crun run --bundle "$work/bundle" jbuild-bench-crun 2>&1); then
        commands+=(-n "crun run" "crun run --bundle $work/bundle jbuild-bench-crun")
        crun_note="crun ran"
    else
        crun_note="crun $(crun --version | head -1 | awk '{print $3}') failed: $crun_out"
    fi
fi
echo "$crun_note" | tee "$here/results/crun.txt"
# interleaved rounds, pooled: the machine's load drifts, and one long block per command would bias the ratios
rounds=5
per_round=$(( (runs + rounds - 1) / rounds ))
rm -f "$here"/results/round-*.json
for round in $(seq 1 $rounds); do
    hyperfine --style basic --warmup 5 --runs "$per_round" --export-json "$here/results/round-$round.json" "${commands[@]}" > /dev/null
done
jq -s '[.[].results] | transpose | map({command: .[0].command,
        times: (map(.times) | add | sort),
        user: (map(.user) | add / length), system: (map(.system) | add / length)})
    | map(. + {n: (.times | length), median: .times[(.times | length) / 2 | floor],
               p25: .times[(.times | length) / 4 | floor], p75: .times[(.times | length) * 3 / 4 | floor],
               min: .times[0]})
    | map(del(.times))' "$here"/results/round-*.json > "$here/results/pooled.json"
jq -r '"| command | runs | median ms | p25 | p75 | min | CPU ms (user+sys, mean) |", "|---|---:|---:|---:|---:|---:|---:|",
    (.[] | "| \(.command) | \(.n) | \(.median * 10000 | round / 10) | \(.p25 * 10000 | round / 10) | \(.p75 * 10000 | round / 10) | \(.min * 10000 | round / 10) | \((.user + .system) * 10000 | round / 10) |")' \
    "$here/results/pooled.json" | tee "$here/results/pooled.md"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "kernel: $(uname -r), cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "runc: $(runc --version | head -1)"
    echo "hyperfine: $(hyperfine --version)"
    echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$here/results/machine.txt"
cat "$here/results/machine.txt"

# the same through the Java API from one long-lived JVM (fresh upper/work per container, as the builder uses)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
classpath=$repo/runtime/target/classes:$repo/oci-model/target/classes:$(find ~/.m2/repository/com/fasterxml/jackson/core -path "*/2.22.4/*.jar" | tr "\n" ":")
"$java" --enable-native-access=ALL-UNNAMED -cp "$classpath" "$here/ContainerLoop.java" "$rootfs" "$runs" | tee "$here/results/jvm-loop.txt"
