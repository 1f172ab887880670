#!/usr/bin/env bash
# Pull and push of a multi-layer image (random, so incompressible) against a local docker-registry,
# jbuild side by side with skopeo in the same run. Prints hyperfine tables and writes results/*.json.
#
#   bench/registry/run.sh [LAYERS] [LAYER_MB] [RUNS]     (default 5 layers x 24 MB, 5 runs)
#
# Needs: docker-registry, skopeo, hyperfine, a JDK 25 (bin/jbuild finds one and builds the CLI).
set -euo pipefail

layers=${1:-5}
layer_mb=${2:-24}
runs=${3:-5}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
jbuild="$repo/bin/jbuild"
work=$(mktemp -d "${TMPDIR:-/tmp}/jbuild-bench-registry.XXXXXX")
results="$here/results"
mkdir -p "$results"

for tool in docker-registry skopeo hyperfine sha256sum gzip curl openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y docker-registry skopeo hyperfine curl openssl)" >&2; exit 1; }
done

source "$repo/scripts/lib/local-registry.sh"
cleanup() {
  stop_local_registry
  rm -rf "$work"
}
trap cleanup EXIT
start_local_registry "$work/data" "$work/registry.log"
host=$registry_host

echo "== building a $layers x $layer_mb MB random image as an OCI layout"
layout="$work/layout"
mkdir -p "$layout/blobs/sha256"
echo '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
layer_json=""
diff_ids=""
for i in $(seq "$layers"); do
  mkdir -p "$work/src$i"
  head -c $((layer_mb * 1024 * 1024)) /dev/urandom > "$work/src$i/data$i.bin"
  tar -C "$work/src$i" -cf "$work/layer$i.tar" .
  diff_id=$(sha256sum "$work/layer$i.tar" | cut -d' ' -f1)
  gzip -1 -n -c "$work/layer$i.tar" > "$work/layer$i.tgz"
  digest=$(sha256sum "$work/layer$i.tgz" | cut -d' ' -f1)
  size=$(stat -c %s "$work/layer$i.tgz")
  mv "$work/layer$i.tgz" "$layout/blobs/sha256/$digest"
  rm -rf "$work/src$i" "$work/layer$i.tar"
  layer_digests="${layer_digests:-} $digest"
  layer_json="$layer_json${layer_json:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$digest\",\"size\":$size}"
  diff_ids="$diff_ids${diff_ids:+,}\"sha256:$diff_id\""
done
printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[%s]}}' "$diff_ids" > "$work/config.json"
config_digest=$(sha256sum "$work/config.json" | cut -d' ' -f1)
config_size=$(stat -c %s "$work/config.json")
mv "$work/config.json" "$layout/blobs/sha256/$config_digest"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
  "$config_digest" "$config_size" "$layer_json" > "$work/manifest.json"
manifest_digest=$(sha256sum "$work/manifest.json" | cut -d' ' -f1)
manifest_size=$(stat -c %s "$work/manifest.json")
mv "$work/manifest.json" "$layout/blobs/sha256/$manifest_digest"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' \
  "$manifest_digest" "$manifest_size" > "$layout/index.json"
total=$(du -cb "$layout"/blobs/sha256/* | tail -1 | cut -f1)
echo "image: $layers layers, $total bytes compressed, manifest sha256:$manifest_digest"

skopeo copy -q --dest-tls-verify=false "oci:$layout:v1" "docker://$host/bench/src:v1"
"$jbuild" --version >/dev/null   # builds the CLI jar once, outside the timings
repos="$work/data/docker/registry/v2/repositories/bench"
echo "== pull: registry -> OCI layout"
pull() { echo "copy -q docker://$host/bench/src:v1 oci:$work/out-jbuild:v1"; }
hyperfine --runs "$runs" --warmup 1 --export-json "$results/pull.json" \
  --prepare "rm -rf $work/out-skopeo $work/out-jbuild" \
  -n "skopeo copy" "skopeo copy -q --src-tls-verify=false docker://$host/bench/src:v1 oci:$work/out-skopeo:v1" \
  -n "jbuild copy" "$jbuild $(pull)"

echo "== the floor of a pull: every blob fetched at once, written and hashed, with no start-up"
# every layer blob fetched at once by curl, written to a file and hashed by openssl (SHA-NI) on the
# way: no manifest, no auth, no start-up of a runtime
cat > "$work/floor.sh" <<FLOOR
#!/usr/bin/env bash
rm -rf "$work/out-floor"; mkdir -p "$work/out-floor"
for blob in $layer_digests; do
  curl -sf "http://$host/v2/bench/src/blobs/sha256:\$blob" | tee "$work/out-floor/\$blob" | openssl dgst -sha256 >/dev/null &
done
wait
FLOOR
chmod +x "$work/floor.sh"
hyperfine --runs 5 --warmup 1 --export-json "$results/floor.json" \
  --prepare "rm -rf $work/out-floor" \
  -n "curl | tee | openssl dgst, all blobs at once" "$work/floor.sh"
"$work/floor.sh"
for blob in $layer_digests; do
  test "$(sha256sum < "$work/out-floor/$blob" | cut -d' ' -f1)" = "$blob" || { echo "bench: the floor fetched a wrong $blob" >&2; exit 1; }
done

echo "== push: OCI layout -> registry (the target repository is removed before each run, so every byte moves)"
# skopeo remembers where it saw each blob and would mount it from bench/src instead of uploading
rm -rf "$repos/src"
push() { echo "copy -q oci:$layout:v1 docker://$host/bench/push-jbuild:v1"; }
hyperfine --runs "$runs" --warmup 1 --export-json "$results/push.json" \
  --prepare "rm -rf $repos/push-skopeo $repos/push-jbuild" \
  -n "skopeo copy" "skopeo copy -q --dest-tls-verify=false oci:$layout:v1 docker://$host/bench/push-skopeo:v1" \
  -n "jbuild copy" "$jbuild $(push)"

echo "== the floor of a push: every blob uploaded at once by curl (POST, then one PUT), with no start-up"
cat > "$work/floor-push.sh" <<FLOOR
#!/usr/bin/env bash
for blob in $layer_digests; do
  (
    location=\$(curl -sf -X POST -D - -o /dev/null "http://$host/v2/bench/floor-push/blobs/uploads/" \\
      | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p')
    case \$location in http*) ;; *) location="http://$host\$location" ;; esac
    curl -sf -T "$layout/blobs/sha256/\$blob" "\$location&digest=sha256:\$blob" -o /dev/null
  ) &
done
wait
FLOOR
chmod +x "$work/floor-push.sh"
hyperfine --runs "$runs" --warmup 1 --export-json "$results/floor-push.json" \
  --prepare "rm -rf $repos/floor-push" \
  -n "curl POST + PUT, all blobs at once" "$work/floor-push.sh"
for blob in $layer_digests; do
  curl -sf -I "http://$host/v2/bench/floor-push/blobs/sha256:$blob" >/dev/null \
    || { echo "bench: the push floor did not upload $blob" >&2; exit 1; }
done

echo "== limits on this machine"
hyperfine --runs 5 --warmup 1 --export-json "$results/limits.json" \
  -n "sha256sum of all blobs" "sha256sum $layout/blobs/sha256/*" \
  -n "openssl dgst -sha256 of all blobs" "openssl dgst -sha256 $layout/blobs/sha256/*" \
  -n "cat of all blobs" "cat $layout/blobs/sha256/* > /dev/null" \
  -n "jbuild --version (JVM start)" "$jbuild --version"

echo "== median wall, mean user and system CPU (s)"
python3 - "$results" <<'PY'
import json, statistics, sys
for name in ("pull", "floor", "push", "floor-push", "limits"):
    for r in json.load(open(f"{sys.argv[1]}/{name}.json"))["results"]:
        print(f"{name:6} {r['command']:42} {statistics.median(r['times']):6.3f} "
              f"{r['user']:6.3f} {r['system']:6.3f}")
PY
echo "bytes=$total"
echo "$total" > "$results/bytes"
