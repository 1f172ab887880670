#!/usr/bin/env bash
# The whole test suite: installs the real peers the tests drive (when root and missing), then `mvn -B verify`.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bin/lib/java.sh"

peers=(docker-registry skopeo umoci busybox-static runc buildah uidmap qemu-user-static zstd file gcc libc6-dev libssl3 git openssh-client)
missing=()
for package in "${peers[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test.sh: not root, so not installing ${missing[*]}; the tests that need them say so and skip" >&2
  fi
fi

JAVA_HOME=$(find_jdk25) || exit 2
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
cd "$jbuild_home"
exec mvn -B verify "$@"
