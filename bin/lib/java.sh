# Sourced by the launchers and scripts/test.sh: finds a JDK >= 25 and keeps the CLI jar fresh.

jbuild_home=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

java_feature_version() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'
}

is_jdk25() { # true when $1 is a JDK home with java and javac of version >= 25
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v
  v=$(java_feature_version "$1/bin/java")
  [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null
}

find_jdk25() { # prints the home of a JDK >= 25: JAVA_HOME, then java on PATH, then /usr/lib/jvm/*
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && is_jdk25 "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if is_jdk25 "$candidate"; then echo "$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    if is_jdk25 "$candidate"; then echo "$candidate"; return 0; fi
  done
  echo "jbuild: no JDK 25 or newer found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm/*)." >&2
  echo "jbuild: install one (for example Temurin 25) or set JAVA_HOME to it." >&2
  return 1
}

cli_jar="$jbuild_home/cli/target/jbuild-cli.jar"

cli_jar_is_stale() { # true when the jar is missing or any source or POM is newer
  [ -f "$cli_jar" ] || return 0
  [ -n "$(find "$jbuild_home" -path "$jbuild_home/.git" -prune -o \
      \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$cli_jar" -print -quit)" ]
}

run_jbuild() { # runs the CLI with the given arguments, building it first when stale
  local jdk
  jdk=$(find_jdk25) || exit 2
  if cli_jar_is_stale; then
    echo "jbuild: building the CLI (first run or sources changed)..." >&2
    (cd "$jbuild_home" && JAVA_HOME="$jdk" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -B -q -DskipTests -Dmaven.test.skip=true \
        package -pl cli -am >&2) || { echo "jbuild: the build of the CLI failed" >&2; exit 2; }
    touch "$cli_jar"
  fi
  exec "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
      -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$jbuild_home/cli/target/jbuild.jsa" -jar "$cli_jar" "$@"
}
