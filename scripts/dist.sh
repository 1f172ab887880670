#!/usr/bin/env bash
# Packs jbuild to run where there is no checkout and no Maven: DIR/jbuild-VERSION.tar.gz (DIR defaults
# to target/) holds the launchers, the CLI jar and its libraries (the container helper is inside the
# runtime's jar) and the class list. Unpacked anywhere, its bin/jbuild, bin/jpull and bin/jpush need
# only a JDK 25; the class-data archive is dumped on first use where the directory is writable.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
out=$(mkdir -p "${1:-$repo/target}" && cd "${1:-$repo/target}" && pwd)
version=$("$repo/bin/jbuild" --version 2>/dev/null)   # builds the CLI first when it is stale
version=${version#jbuild }
name=jbuild-$version
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/bin/lib" "$stage/$name/cli/target" "$stage/$name/cli/src/cds"
cp "$repo/bin/jbuild" "$repo/bin/jpull" "$repo/bin/jpush" "$stage/$name/bin/"
cp "$repo/bin/lib/java.sh" "$stage/$name/bin/lib/"
cp "$repo/cli/target/jbuild-cli.jar" "$stage/$name/cli/target/"
cp -r "$repo/cli/target/lib" "$stage/$name/cli/target/"
cp "$repo/cli/src/cds/classes.lst" "$stage/$name/cli/src/cds/"
cp "$repo/README.md" "$stage/$name/"
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
