#!/usr/bin/env bash
# Builds the parser and its JMH benchmarks (Maven profile `bench`) and runs them.
# Extra arguments go to JMH, e.g. `bench/parser/run.sh typical -f 1`.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME="$java_home" MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -B -q -f "$root/pom.xml" -Pbench -pl bench/parser -am package -DskipTests
bench="$root/bench/parser/target"
exec "$java_home/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$bench/classes:$bench/lib/*" \
    org.openjdk.jmh.Main -rf text -rff "$bench/jmh-result.txt" "$@"
