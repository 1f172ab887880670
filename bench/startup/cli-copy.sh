#!/usr/bin/env bash
# Copies the current CLI (cli/target/jbuild-cli.jar and lib/) into DIR, dumps its class-data
# archive there as the launcher would, and writes DIR/run, which runs that copy with the launcher's
# JVM flags. Two copies, made before and after a change, can be timed against each other with
# compare.py:
#
#   bench/startup/cli-copy.sh /tmp/before; (change, then bin/jbuild -V to rebuild); bench/startup/cli-copy.sh /tmp/after
#   bench/startup/compare.py 30 '/tmp/before/run -V' '/tmp/after/run -V'
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$repo/bin/lib/java.sh"
dir=${1:?usage: cli-copy.sh DIR}
jdk=$(find_jdk25)
"$repo/bin/jbuild" --version >/dev/null
rm -rf "$dir"
mkdir -p "$dir"
cp -a "$cli_jar" "$repo/cli/target/lib" "$dir/"
dump_cds_archive "$jdk" "$dir/jbuild-cli.jar" "$dir/jbuild.jsa"
cat > "$dir/run" <<RUN
#!/usr/bin/env bash
exec "$jdk/bin/java" ${jbuild_jvm_flags[*]} -XX:SharedArchiveFile="$dir/jbuild.jsa" -Xlog:cds*=off,aot*=off \\
    -jar "$dir/jbuild-cli.jar" "\$@"
RUN
chmod +x "$dir/run"
echo "$dir/run"
