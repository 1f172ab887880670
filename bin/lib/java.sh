# Sourced by the launchers and scripts/test.sh: finds a JDK >= 25 and keeps the CLI jar fresh.

# Every fork and exec here is paid by every command, so the common path uses bash built-ins only.
jbuild_home=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)

java_feature_version() { # prints the feature version of the JDK home $1, or nothing
  # A JDK's release file says its version without starting a JVM (which costs ~0.3 s per command).
  if [ -f "$1/release" ]; then
    local line
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=\"*) line=${line#JAVA_VERSION=\"}; echo "${line%%[!0-9]*}"; return ;;
      esac
    done < "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'
  fi
}

is_jdk25() { # true when $1 is a JDK home with java and javac of version >= 25
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v
  v=$(java_feature_version "$1")
  [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null
}

find_jdk25() { # prints the home of a JDK >= 25: JAVA_HOME, then java on PATH, then /usr/lib/jvm/*
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && is_jdk25 "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(readlink -f "$(command -v java)")
    candidate=${candidate%/bin/java}
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

# The JVM flags of every jbuild command. C1 only: C2 spent more CPU compiling (1.3 s in a cold build
# on 2 cores) than its code saved a command, and the one loop that needs C2's speed, SHA-256, runs
# in the system's libcrypto instead (oci-model's HashEngine). The serial GC starts fastest and
# suits a short-lived process. No perf-data file: the CLI ends with _exit (see ProcessExit), which
# would leave it behind in /tmp/hsperfdata_*, and nothing here reads it.
jbuild_jvm_flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)

cli_jar_is_stale() { # true when the jar is missing or any source or POM is newer
  [ -f "$cli_jar" ] || return 0
  [ -f "$jbuild_home/pom.xml" ] || return 1   # a packed jbuild (scripts/dist.sh) has no sources
  [ -n "$(find "$jbuild_home"/pom.xml "$jbuild_home"/*/pom.xml "$jbuild_home"/*/src/main \
      -newer "$cli_jar" -print -quit)" ]
}

run_jbuild() { # runs the CLI with the given arguments, building it first when stale
  local jdk
  jdk=$(find_jdk25) || exit 2
  if cli_jar_is_stale; then
    echo "jbuild: building the CLI (first run or sources changed)..." >&2
    # Maven's output is shown only when the build fails: even with -B -q it writes colour resets.
    local log
    log=$(mktemp)
    if ! (cd "$jbuild_home" && JAVA_HOME="$jdk" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
        mvn -B -q -DskipTests package -pl cli -am >"$log" 2>&1); then
      cat "$log" >&2
      rm -f "$log"
      echo "jbuild: the build of the CLI failed" >&2
      exit 2
    fi
    rm -f "$log"
    touch "$cli_jar"
  fi
  # Native access comes from the jar's Enable-Native-Access manifest entry: the same flag on the
  # command line differs from the JDK's base CDS archive, which then prints errors on every run.
  # The archive is a cache, so its log stays off.
  local archive_flags=()
  local archive
  if archive=$(cds_archive "$jdk"); then
    archive_flags=(-XX:SharedArchiveFile="$archive")
  fi
  exec "$jdk/bin/java" "${jbuild_jvm_flags[@]}" "${archive_flags[@]}" -Xlog:cds*=off,aot*=off -jar "$cli_jar" "$@"
}

cds_class_list="$jbuild_home/cli/src/cds/classes.lst"

cds_archive() { # prints the CDS archive of the current CLI jar, dumping it once from the class list
  # The JVM maps the listed classes from the archive instead of loading and verifying them from the
  # jars, which is most of a short command's start-up. A static archive dumped from a list made by
  # scripts/cds-classlist.sh serves every command, whichever runs first after a build. It is dumped
  # again when the jar or the list is newer, because the JVM refuses an archive whose jar changed.
  # AOTClassLinking also stores the classes linked, and the lambdas of the list resolved, which
  # start-up would otherwise do (a cached build 15 ms faster in the median of 60 interleaved runs).
  local jdk=$1
  [ -f "$cds_class_list" ] || return 1
  local archive="$jbuild_home/cli/target/jbuild.jsa"
  if [ ! "$archive" -nt "$cli_jar" ] || [ ! "$archive" -nt "$cds_class_list" ]; then
    echo "jbuild: preparing the class-data archive (once per build of the CLI)..." >&2
    local partial="$archive.$$"
    if dump_cds_archive "$jdk" "$cli_jar" "$partial"; then
      mv -f "$partial" "$archive"
    else
      rm -f "$partial"
      return 1
    fi
  fi
  echo "$archive"
}

dump_cds_archive() { # dumps the archive of the CLI jar $2 to $3 with the JDK $1, from the class list
  "$1/bin/java" "${jbuild_jvm_flags[@]}" -Xshare:dump -XX:+AOTClassLinking -XX:SharedClassListFile="$cds_class_list" \
      -XX:SharedArchiveFile="$3" -jar "$2" >/dev/null 2>&1
}
